"""The reading sequence of a presented document: what a reader sees, part by part, as plain text.

Every format must show the same sequence (page furniture aside), so this is the oracle a
cross-format test reads each output back against.  Each entry is ``(kind, text)``:

    cover-title, cover-line                      a briefing's cover
    heading                                      a section heading (contents, key quotes, related…)
    toc-entry                                    a contents entry (headings of an article nested after it)
    kq-column, kq-speaker, kq-quote, kq-article  the key-quotes table, header then row by row
    title, meta-line, standfirst                 an article's head (no title when it has no headline)
    paragraph                                    a body paragraph or heading, without its speaker labels
    speaker-label                                the labels a paragraph carries, after it, in order
    speaker-note, related-item, dropped-item     the article's closing sections
"""
from __future__ import annotations

from . import model as m

RELATED_SEPARATOR = " — "


def run_text(runs: tuple[m.Run, ...]) -> str:
    """The text of runs without speaker labels (line breaks as newlines)."""
    out: list[str] = []
    for run in runs:
        match run:
            case m.TextRun(text=text):
                out.append(text)
            case m.QuoteRun(content=content) | m.EmphasisRun(content=content) | m.StrongRun(content=content) \
                    | m.LinkRun(content=content):
                out.append(run_text(content))
            case m.SpeakerLabel():
                pass
            case m.LineBreak():
                out.append("\n")
            case _:
                raise m.UnknownPartError(run, "reading sequence")
    return "".join(out)


def labels_of(runs: tuple[m.Run, ...]) -> list[str]:
    found: list[str] = []
    for run in runs:
        match run:
            case m.SpeakerLabel(text=text):
                found.append(text)
            case m.QuoteRun(content=content) | m.EmphasisRun(content=content) | m.StrongRun(content=content) \
                    | m.LinkRun(content=content):
                found.extend(labels_of(content))
            case m.TextRun() | m.LineBreak():
                pass
            case _:
                raise m.UnknownPartError(run, "reading sequence")
    return found


def reading_sequence(doc: m.PresentedDocument) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for part in doc.parts:
        match part:
            case m.Cover(title=title, subtitle=subtitle, lines=lines):
                out.append(("cover-title", title))
                if subtitle:
                    out.append(("cover-line", subtitle))
                out.extend(("cover-line", line) for line in lines)
            case m.Contents(heading=heading, entries=entries, empty_text=empty):
                out.append(("heading", heading))
                out.extend(_contents(entries))
                if not entries and empty:
                    out.append(("toc-entry", empty))
            case m.KeyQuotes(heading=heading, columns=columns, rows=rows):
                out.append(("heading", heading))
                out.extend(("kq-column", column) for column in columns)
                for row in rows:
                    out += [("kq-speaker", row.speaker), ("kq-quote", row.text)]
                    if row.article is not None:
                        out.append(("kq-article", row.article))
            case m.ArticlePart():
                out.extend(_article(part))
            case _:
                raise m.UnknownPartError(part, "reading sequence")
    return out


def _contents(entries: tuple[m.ContentsEntry, ...]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for entry in entries:
        out.append(("toc-entry", entry.text))
        out.extend(_contents(entry.children))
    return out


def _article(part: m.ArticlePart) -> list[tuple[str, str]]:
    title = part.title
    out: list[tuple[str, str]] = []
    if title.headline is not None:
        out.append(("title", title.headline))
        if title.standfirst:
            out.append(("standfirst", title.standfirst))
        if title.meta_line:
            out.append(("meta-line", title.meta_line))
    else:
        if title.meta_line:
            out.append(("meta-line", title.meta_line))
        if title.standfirst:
            out.append(("standfirst", title.standfirst))
    out.extend(_blocks(part.blocks))
    if part.speaker_notes is not None:
        out.append(("heading", part.speaker_notes.heading))
        out.extend(("speaker-note", note.speaker) for note in part.speaker_notes.notes)
    if part.related is not None:
        out.append(("heading", part.related.heading))
        out.extend(("related-item", e.title + (RELATED_SEPARATOR + e.summary if e.summary else ""))
                   for e in part.related.entries)
    if part.dropped is not None:
        out.append(("heading", part.dropped.heading))
        out.extend(("dropped-item", f"{e.label}: {e.text}") for e in part.dropped.entries)
    return out


def _blocks(blocks: tuple[m.Block, ...]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for block in blocks:
        match block:
            case m.TextBlock(runs=runs) | m.HeadingBlock(runs=runs):
                text = run_text(runs)
                if text.strip():
                    out.append(("paragraph", text))
                out.extend(("speaker-label", label) for label in labels_of(runs))
            case m.QuoteBlock(blocks=inner):
                out.extend(_blocks(inner))
            case m.ListBlock(items=items):
                for item in items:
                    out.extend(_blocks(item))
            case m.RuleBlock():
                pass
            case _:
                raise m.UnknownPartError(block, "reading sequence")
    return out
