"""Shared helpers for the test suite (importable as ``support`` from any test module)."""
from __future__ import annotations

import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SAMPLE = FIXTURES / "000_26941f31262b2c1a.txt"
SHARED = ROOT.parent / "shared"
BUILD_TIME = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)   # a fixed build time for goldens
#: a short article: a headline and two sentences (the CLI and API tests' ``story`` fixture)
STORY = "Talks end without a deal\n\nThe two sides met for an hour on Friday.\nThey agreed to meet again.\n"
#: an interview transcript (Q:/A: turns, the interviewee named in the introduction), written for tests.
INTERVIEW = """Five questions for a lighthouse keeper

Lighthouse keeper Agnes Morrow has tended the Skerry light for thirty years. She talked with us about storms.

Q: What is the worst storm you remember?

A: The winter of the broken lantern. We kept the light going with oil lamps for a week.

Q: Do you ever get lonely?

A: Never. The sea is loud company.
"""
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(executable: str, why: str = "") -> str:
    """Path of an external tool the test needs.  Locally an absent tool skips the test with its
    reason; under CI=true it fails, because .ci/run installs every tool the suite uses."""
    path = shutil.which(executable)
    if path is None:
        message = f"{executable} not installed{': ' + why if why else ''}"
        if IN_CI:
            pytest.fail(message + " (CI must install it)")
        pytest.skip(message)
    return path


def require_font(char: str) -> None:
    """A system TrueType face that draws ``char``; skipped locally without one, failed under CI
    (.ci/run installs the fonts the suite relies on)."""
    from exporter.style.fonts import system_font_for

    if system_font_for(char) is None:
        message = f"no system TrueType face covers U+{ord(char):04X} (apt: fonts-dejavu-core or fonts-noto-core)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def require_module(name: str):
    try:
        return __import__(name)
    except ImportError:
        if IN_CI:
            pytest.fail(f"python module {name} missing (CI must install it)")
        pytest.skip(f"python module {name} missing")


def work(function, *args, **kwargs) -> int:
    """How much work a call does, as the number of Python function calls it makes (cProfile's
    count): the same on any machine and under any load, so a test can check that work grows
    linearly with input without timing anything (speed itself is measured in bench/)."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    try:
        function(*args, **kwargs)
    finally:
        profile.disable()
    return pstats.Stats(profile).total_calls
