"""The PDF writer's hyphenation loader: the same pattern table as pyphen builds, loaded lazily."""
from __future__ import annotations

import pytest

import support

pyphen = support.require_module("pyphen")

from exporter.writers.pdf.hyphen import LazyHyphenator, hyphenator_for, load_patterns  # noqa: E402


@pytest.mark.parametrize("language", ["en_GB", "en_US", "ru", "uk", "fr", "es", "pl", "cs", "el", "nl"])
def test_patterns_are_exactly_pyphens(language):
    path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
    ours, theirs = load_patterns(path), pyphen.HyphDict(path)
    assert ours.maxlen == theirs.maxlen              # exact before any pattern is parsed
    assert ours.patterns.keys() == theirs.patterns.keys()
    assert ours.patterns.resolved() == theirs.patterns


def test_patterns_are_parsed_on_first_lookup():
    path = pyphen.LANGUAGES["en_GB"]
    ours, theirs = load_patterns(path), pyphen.HyphDict(path)
    raw = [key for key, value in dict.items(ours.patterns) if isinstance(value, str)]
    assert len(raw) > 0.9 * len(theirs.patterns)     # nothing parsed yet (beyond special lines)
    words = ("Negotiators Zaporizhzhia unconditional ceasefire representatives administration "
             "hyphenation internationalisation").split()
    for word in words:
        assert ours.positions(word) == theirs.positions(word)
    parsed = [key for key in raw if not isinstance(dict.get(ours.patterns, key), str)]
    assert 0 < len(parsed) < len(raw) / 10            # only the patterns those words looked up
    assert all(dict.get(ours.patterns, key) == theirs.patterns[key] for key in parsed)
    assert ours.patterns.get("no such pattern") is None


def test_hyphenation_points_match_pyphen():
    words = ["internationalisation", "characterisation", "telecommunications", "hyphenation", "extraordinary"]
    path = pyphen.LANGUAGES["en_GB"]
    ours = pyphen.Pyphen(lang="en_GB")
    ours.hd = load_patterns(path)
    theirs = pyphen.Pyphen(filename=path, cache=False)
    for word in words:
        assert list(ours.iterate(word)) == list(theirs.iterate(word))


def test_hyphenator_is_lazy_shared_and_none_without_a_dictionary(monkeypatch):
    from exporter.writers.pdf import hyphen

    monkeypatch.setattr(pyphen, "hdcache", {})
    monkeypatch.setattr(hyphen, "_HYPHENATORS", {})     # (an earlier test may have used en_GB)
    h = hyphenator_for("en-GB")
    assert isinstance(h, LazyHyphenator) and h is hyphenator_for("en_GB")
    assert pyphen.hdcache == {}                       # nothing loaded yet
    pairs = list(h("internationalisation"))
    assert pairs and all(head + tail == "internationalisation" for head, tail in pairs)
    assert len(pyphen.hdcache) == 1
    assert hyphenator_for("zz") is None and hyphenator_for(None) is None and hyphenator_for("") is None


@pytest.mark.parametrize("language, plain", [("en_GB", True), ("ru", True), ("fr", False), ("el", False)])
def test_both_readers_are_exercised(language, plain):
    # en_GB and ru are read by whole-text operations, fr and el line by line (test above: both
    # give pyphen's table)
    from exporter.writers.pdf.hyphen import _plain_table

    path = pyphen.LANGUAGES[language]
    encoding = path.open("rb").readline().decode().strip()
    encoding = "cp1251" if encoding.lower() == "microsoft-cp1251" else encoding
    table = _plain_table(path.read_text(encoding).partition("\n")[2], pyphen.ignored)
    assert (table is not None) == plain
