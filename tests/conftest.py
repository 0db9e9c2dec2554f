"""Fixtures shared by the command-line and API tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from support import STORY


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """A short article file, ``story.txt``, alone in a fresh temp directory."""
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path
