"""The briefing document: many articles, one document (schema ``exporter/briefing@1``).

A briefing holds its own metadata (what the cover shows), the articles — each a full article
AST with an identifier that scopes every anchor inside it — and ``key_quotes``, every attributed
speech quote in reading order (the candidates, kept in the JSON for other tools).  The rows a
reader sees are the editor's selection the presentation layer makes from the articles' ASTs
(:mod:`exporter.presentation.keyquotes`: whole sentences, at most N per article and M in all, the
style's ``sections.key_quotes_per_article`` and ``key_quotes_max``).  Nothing here knows about
formats."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .ast import (Article, ASTFormatError, dumps, inline_text, iter_inline_runs, iter_quotes,
                  _expect_dict, _expect_int, _expect_list, _expect_str, _opt_str)

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
class KeyQuote:
    speaker: str
    text: str            # the quote's text, marks included
    article_id: str      # which article it comes from
    block: int           # index of the top-level body block it sits in (for anchors)


@dataclass(frozen=True, slots=True)
class Briefing:
    meta: BriefingMeta = field(default_factory=BriefingMeta)
    articles: tuple[BriefingArticle, ...] = ()
    key_quotes: tuple[KeyQuote, ...] = ()

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
            "key_quotes": [{"speaker": q.speaker, "text": q.text, "article_id": q.article_id, "block": q.block}
                           for q in self.key_quotes],
        }

    def to_json(self) -> str:
        return dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: Any) -> Briefing:
        obj = _expect_dict(data, "briefing")
        if obj.get("schema") != BRIEFING_SCHEMA_ID:
            raise ASTFormatError(f"briefing: schema must be {BRIEFING_SCHEMA_ID!r}, got {obj.get('schema')!r}")
        meta = _expect_dict(obj.get("meta", {}), "briefing.meta")
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
            key_quotes=tuple(
                KeyQuote(_expect_str(q.get("speaker"), "key_quotes[].speaker"), _expect_str(q.get("text"), "key_quotes[].text"),
                         _expect_str(q.get("article_id"), "key_quotes[].article_id"), _expect_int(q.get("block"), "key_quotes[].block"))
                for q in (_expect_dict(x, "key_quotes[]") for x in _expect_list(obj.get("key_quotes", []), "key_quotes"))
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


def key_quotes_of(article_id: str, article: Article) -> list[KeyQuote]:
    """The article's attributed speech quotes, outermost only, in reading order."""
    found: list[KeyQuote] = []
    for index, block in enumerate(article.body):
        for _, content in iter_inline_runs((block,)):
            for quote, depth in iter_quotes(content):
                if depth == 0 and quote.kind == "speech" and quote.speaker:
                    found.append(KeyQuote(quote.speaker, inline_text(quote.content), article_id, index))
    return found


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
    quotes = [quote for item in kept for quote in key_quotes_of(item.id, item.article)]
    return Briefing(meta, tuple(kept), tuple(quotes))
