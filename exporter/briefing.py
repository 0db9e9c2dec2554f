"""The briefing document: many articles, one document (schema ``exporter/briefing@1``).

A briefing holds its own metadata (what the cover shows) and the articles — each a full article
AST with an identifier that scopes every anchor inside it.  Nothing derived is stored: the key
quotes are an editor's selection the presentation layer makes from the articles' ASTs when the
briefing is shown (:mod:`exporter.presentation.keyquotes`: whole sentences, at most N per article
and M in all, the style's ``sections.key_quotes_per_article`` and ``key_quotes_max``), so a
briefing's JSON has no list of them to drift from what is printed.  JSON written before that
(with a ``key_quotes`` list) still reads; the list is checked and dropped.  Nothing here knows
about formats."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .ast import Article, ASTFormatError, dumps, _expect_dict, _expect_list, _expect_str, _opt_str

BRIEFING_SCHEMA_ID = "exporter/briefing@1"


@dataclass(frozen=True, slots=True)
class BriefingMeta:
    title: str = "Briefing"
    subtitle: str | None = None
    date: str | None = None
    prepared_for: str | None = None
    marking: str | None = None
    language: str | None = None
    notes: tuple[str, ...] = ()          # e.g. inputs left out with --skip-bad


@dataclass(frozen=True, slots=True)
class BriefingArticle:
    """One article of a briefing.  ``id`` (``a01``, ``a02``…) prefixes every anchor, bookmark and
    identifier the writers make for it, so nothing collides across articles."""

    id: str
    article: Article


@dataclass(frozen=True, slots=True)
class Briefing:
    meta: BriefingMeta = field(default_factory=BriefingMeta)
    articles: tuple[BriefingArticle, ...] = ()

    # ---- what the cover shows, derived (never stored twice) -------------------------------------
    @property
    def sources(self) -> tuple[str, ...]:
        """Distinct sources (or sites) of the articles, in order of first appearance."""
        seen: dict[str, None] = {}
        for item in self.articles:
            name = item.article.meta.source or item.article.meta.site
            if name:
                seen.setdefault(name, None)
        return tuple(seen)

    def article(self, article_id: str) -> BriefingArticle:
        for item in self.articles:
            if item.id == article_id:
                return item
        raise KeyError(article_id)

    # ---- JSON ----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        meta = self.meta
        return {
            "schema": BRIEFING_SCHEMA_ID,
            "meta": {"title": meta.title, "subtitle": meta.subtitle, "date": meta.date,
                     "prepared_for": meta.prepared_for, "marking": meta.marking, "language": meta.language,
                     "notes": list(meta.notes)},
            "articles": [{"id": item.id, "article": item.article.to_dict()} for item in self.articles],
        }

    def to_json(self) -> str:
        return dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: Any) -> Briefing:
        obj = _expect_dict(data, "briefing")
        if obj.get("schema") != BRIEFING_SCHEMA_ID:
            raise ASTFormatError(f"briefing: schema must be {BRIEFING_SCHEMA_ID!r}, got {obj.get('schema')!r}")
        meta = _expect_dict(obj.get("meta", {}), "briefing.meta")
        for legacy in _expect_list(obj.get("key_quotes", []), "key_quotes"):   # written before 2026-12: dropped
            _expect_dict(legacy, "key_quotes[]")
        return cls(
            meta=BriefingMeta(
                title=_expect_str(meta.get("title", "Briefing"), "briefing.meta.title"),
                subtitle=_opt_str(meta.get("subtitle"), "briefing.meta.subtitle"),
                date=_opt_str(meta.get("date"), "briefing.meta.date"),
                prepared_for=_opt_str(meta.get("prepared_for"), "briefing.meta.prepared_for"),
                marking=_opt_str(meta.get("marking"), "briefing.meta.marking"),
                language=_opt_str(meta.get("language"), "briefing.meta.language"),
                notes=tuple(_expect_str(n, "briefing.meta.notes[]") for n in _expect_list(meta.get("notes", []), "briefing.meta.notes")),
            ),
            articles=tuple(
                BriefingArticle(_expect_str(a.get("id"), "articles[].id"), Article.from_dict(a.get("article")))
                for a in (_expect_dict(x, "articles[]") for x in _expect_list(obj.get("articles", []), "articles"))
            ),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Briefing:
        try:
            return cls.from_dict(json.loads(text))
        except ValueError as exc:
            if isinstance(exc, ASTFormatError):
                raise
            raise ASTFormatError(f"not JSON: {exc}") from None


def content_key(article: Article) -> str:
    """A digest of what an article says (meta and body), to spot the same article given twice."""
    return hashlib.sha256(json.dumps({"meta": article.to_dict()["meta"], "body": article.to_dict()["body"]},
                                     ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def build_briefing(articles: Iterable[Article], *, title: str | None = None, subtitle: str | None = None,
                   date: str | None = None, prepared_for: str | None = None, marking: str | None = None,
                   language: str | None = None, notes: Iterable[str] = (),
                   warn: Callable[[str], None] | None = None) -> Briefing:
    """Assemble a briefing.  An article given twice is included once, with a warning."""
    kept: list[BriefingArticle] = []
    seen: dict[str, str] = {}
    for article in articles:
        key = content_key(article)
        if key in seen:
            if warn is not None:
                warn(f"{article.meta.title or 'an article'}: given twice; included once (as {seen[key]})")
            continue
        article_id = f"a{len(kept) + 1:02d}"
        seen[key] = article_id
        kept.append(BriefingArticle(article_id, article))
    languages = {item.article.meta.language for item in kept if item.article.meta.language}
    meta = BriefingMeta(
        title=title or "Briefing", subtitle=subtitle, date=date, prepared_for=prepared_for, marking=marking,
        language=language or (languages.pop() if len(languages) == 1 else None) or "en",
        notes=tuple(notes),
    )
    return Briefing(meta, tuple(kept))
