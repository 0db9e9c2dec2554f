"""The saved page itself: parsed safely, within limits, and read for what the extractor does not
report -- its language, and every visible text block with where it stands (so what the extractor
left out can be listed in ``dropped`` with a reason).

Safety: lxml's HTML parser with network access off and no entity resolution beyond HTML's own
(an XML ``<!ENTITY>`` bomb stays inert text); comments and processing instructions removed; a
page nested deeper than libxml2's limit, or with more elements than :data:`MAX_PAGE_ELEMENTS`,
is refused with one line rather than read half.  Scripts, styles, templates and embedded objects
never contribute text, and nothing the page names (images, stylesheets, frames) is fetched.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import unescape as html_unescape

from ...errors import InputError
from ...extras import require

#: More elements than this is no article page (a data dump, a generated bomb); a big news page
#: has a few thousand.
MAX_PAGE_ELEMENTS = 400_000
#: More visible text than this is no article page (a book, a log, a generated page): the text
#: stages would take minutes over it.  The longest news features run to some 100,000 characters.
MAX_PAGE_TEXT_CHARS = 2_000_000
#: A JSON-LD block longer than this is not read for the headline
MAX_JSON_LD_CHARS = 1_000_000
#: libxml2 refuses to nest deeper (without its "huge" option, which stays off)
MAX_DEPTH = 256

_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "title", "meta", "link",
                        "iframe", "object", "embed", "svg", "math", "canvas", "video", "audio", "source",
                        "select", "option", "button", "input", "textarea"})
_BLOCK_LEVEL = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "blockquote",
                          "pre", "figcaption", "caption", "div", "section", "article", "aside", "nav",
                          "header", "footer", "main", "ul", "ol", "dl", "table", "tr", "form", "figure",
                          "address", "fieldset", "legend", "details", "summary", "body", "html", "center"})
# What a region of the page is, from its tag or its class/id words: the reason its text is not
# the article's.  The innermost region a text sits in names it (a menu inside the site header
# is navigation, a related list in a sidebar is related stories).
_REGION_TAGS = {"nav": "navigation", "header": "page-chrome", "footer": "page-chrome", "aside": "outside-article"}
_REGION_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"comment|disqus|discussion|replies", re.I), "comments"),
    (re.compile(r"related|recommend|more-?(?:stories|news|from)|read-?more|recirc|trending|popular|"
                r"outbrain|taboola|also-?like|up-?next", re.I), "related-teaser"),
    (re.compile(r"share|social|sharing", re.I), "share-widget"),
    (re.compile(r"cookie|consent|gdpr", re.I), "cookie"),
    (re.compile(r"newsletter|subscri", re.I), "newsletter"),
    (re.compile(r"(?:^|[\s_-])(?:ad|ads|advert\w*|sponsor\w*|promo\w*|dfp)(?:$|[\s_-])", re.I), "advert"),
    (re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|skip|masthead|site-?header|site-?footer|"
                r"footer|header)(?:$|[\s_-])", re.I), "navigation"),
)
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PageText:
    """One visible text block of the page: its text (white space collapsed), the page line it
    starts on, and the reason of the region it sits in (None: the page's main flow)."""
    text: str
    line: int
    region: str | None


@dataclass(frozen=True, slots=True)
class Page:
    tree: object                 # the lxml document
    title: str | None            # the page's headline as it declares it (see _declared_title)
    author: str | None           # the JSON-LD author name(s), comma-separated
    language: str | None         # <html lang>, else a content-language declaration
    texts: tuple[PageText, ...]


def parse_page(text: str, source_name: str) -> Page:
    """Parse decoded page text (see the module docstring for the limits)."""
    lxml_html = require("lxml.html", "html", "reading web pages")
    from lxml import etree

    text = _without_heavy_parts(text)
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
                                  collect_ids=False, default_doctype=False, huge_tree=False)
    try:
        tree = lxml_html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"{source_name}: not a readable web page: {' '.join(str(exc).split()) or 'no content'}") from None
    for entry in parser.error_log:
        if "Excessive depth" in entry.message:
            raise InputError(f"{source_name}: elements nested more than {MAX_DEPTH} deep; not a readable web page")
        if entry.type_name == "ERR_RESOURCE_LIMIT":
            # libxml2 stops there (a text or attribute of over 10 MB): refused, never read half
            raise InputError(f"{source_name}: a single text or attribute larger than 10 MB; not an article page")
    count = 0
    for _ in tree.iter():
        count += 1
        if count > MAX_PAGE_ELEMENTS:
            raise InputError(f"{source_name}: more than {MAX_PAGE_ELEMENTS:,} elements; not an article page")
    structured = _json_ld(tree)
    title = _first_headline(structured) or _declared_title(tree)
    author = _authors(structured)
    for element in list(tree.iter("script", "style", "template", "noscript")):
        # Never text, and trafilatura need not scan them again: dropped with their tails kept.
        element.drop_tree()
    texts = tuple(_visible_texts(tree, etree))
    if sum(len(item.text) for item in texts) > MAX_PAGE_TEXT_CHARS:
        raise InputError(f"{source_name}: more than {MAX_PAGE_TEXT_CHARS:,} characters of text; not an article page")
    return Page(tree, title, author, _page_language(tree), texts)


def _without_heavy_parts(text: str) -> str:
    """The page without what is never text but may be most of its bytes: the insides of
    ``<script>`` (JSON-LD metadata aside) and ``<style>``, and long ``data:`` URIs (images saved
    into the page).  One pass of forward searches, linear in the page; an unclosed ``<script>``
    runs to the end, as browsers read it."""
    if "<" not in text:
        return text
    parts: list[str] = []
    position = 0
    while (opening := _HEAVY_OPEN.search(text, position)) is not None:
        body_start = opening.end()
        closing = re.compile(rf"</{opening.group(1)}\s*>", re.IGNORECASE).search(text, body_start)
        body_end = closing.start() if closing is not None else len(text)
        keep = opening.group(1).lower() == "script" and "ld+json" in opening.group(2).lower() \
            and body_end - body_start <= MAX_JSON_LD_CHARS
        parts.append(text[position:body_start])
        if keep:
            parts.append(text[body_start:body_end])
        if closing is None:
            position = len(text)
            break
        parts.append(closing.group(0))
        position = closing.end()
    parts.append(text[position:])
    return _LONG_DATA_URI.sub("data:,", "".join(parts))


_HEAVY_OPEN = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)
_LONG_DATA_URI = re.compile(r"data:[^\s\"'<>)]{1000,}", re.IGNORECASE)


def _json_ld(tree) -> list:
    """The page's JSON-LD blocks, parsed (unreadable or oversized ones left out)."""
    out = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = (script.text or "").strip()
        if len(text) > MAX_JSON_LD_CHARS:
            continue
        if text.startswith("<![CDATA[") and text.endswith("]]>"):      # XHTML-safe wrapping
            text = text[9:-3]
        try:
            out.append(json.loads(text))
        except (ValueError, RecursionError):
            continue
    return out


def _first_headline(blocks: list) -> str | None:
    for data in blocks:
        headline = _json_ld_headline(data, 0)
        if headline:
            return headline
    return None


def _authors(blocks: list) -> str | None:
    """The names of the first JSON-LD ``author`` (a name, an object with one, or a list)."""
    for data in blocks:
        found = _json_ld_key(data, "author", 0)
        names: list[str] = []
        for entry in (found if isinstance(found, list) else [found])[:20]:
            name = entry.get("name") if isinstance(entry, dict) else entry
            if isinstance(name, str) and _SPACES.sub(" ", html_unescape(name)).strip():
                name = _SPACES.sub(" ", html_unescape(name)).strip()
                if name not in names:
                    names.append(name)
        if names:
            return ", ".join(names)
    return None


def _json_ld_key(data, key: str, depth: int):
    """The first value of ``key`` in JSON-LD data (objects, lists, ``@graph``), a few levels deep."""
    if depth > 6:
        return None
    if isinstance(data, dict):
        if data.get(key):
            return data[key]
        children = list(data.values())
    elif isinstance(data, list):
        children = data
    else:
        return None
    for child in children[:200]:
        found = _json_ld_key(child, key, depth + 1)
        if found:
            return found
    return None


def _declared_title(tree) -> str | None:
    """The headline the page declares for machines, in the order readers of saved pages trust
    it (after a JSON-LD ``headline``): ``og:title``/``twitter:title``/``dc.title``, then the
    ``<title>`` line (which may carry " - Site Name": the text stages split that off)."""
    declared: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        content = _SPACES.sub(" ", meta.get("content") or "").strip()
        if key in ("og:title", "twitter:title", "dc.title") and content:
            declared.setdefault(key, content)
    for key in ("og:title", "twitter:title", "dc.title"):
        if key in declared:
            return declared[key]
    element = tree.find("head/title")
    if element is None:
        element = tree.find(".//title")
    text = _SPACES.sub(" ", element.text_content()).strip() if element is not None else ""
    return text or None


def _json_ld_headline(data, depth: int) -> str | None:
    """The first ``headline`` string in JSON-LD data (objects, lists, ``@graph``), searched no
    deeper than a few levels."""
    if depth > 6:
        return None
    if isinstance(data, dict):
        value = data.get("headline")
        if isinstance(value, str) and value.strip():
            return _SPACES.sub(" ", html_unescape(value)).strip()
        children = list(data.values())
    elif isinstance(data, list):
        children = data
    else:
        return None
    for child in children[:200]:
        found = _json_ld_headline(child, depth + 1)
        if found:
            return found
    return None


def _page_language(tree) -> str | None:
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language", "dc.language"):
            candidates.append(meta.get("content"))
    for value in candidates:
        tag = (value or "").strip().replace("_", "-").split(",")[0].strip()
        if tag and _LANGUAGE_TAG.match(tag) and tag.lower() not in ("und", "mul", "zxx", "xx"):
            parts = tag.split("-")
            return "-".join([parts[0].lower()] + [p.upper() if len(p) == 2 else p for p in parts[1:]])
    return None


def _region_of(element) -> str | None:
    """The region ``element`` opens: its class/id/role words say what it is more precisely than
    its tag (an ``<aside class="related">`` is related stories, not just a sidebar)."""
    if element.get("role") == "navigation":
        return "navigation"
    words = " ".join(filter(None, (element.get("class"), element.get("id"))))
    if words:
        for pattern, reason in _REGION_WORDS:
            if pattern.search(words):
                return reason
    tag = element.tag if isinstance(element.tag, str) else ""
    return _REGION_TAGS.get(tag)


def _visible_texts(tree, etree) -> list[PageText]:
    """Every visible text block of the body in document order: the text of each block-level
    element (inline children included, nested blocks apart).  One iterative walk: linear in the
    page, no recursion however deep the page nests."""
    body = tree.find("body")
    if body is None:
        body = tree
    out: list[PageText] = []
    # Per open block element: [pieces, line, region]; regions inherit outward-in.
    stack: list[list] = []
    region_stack: list[str | None] = [None]
    hidden = 0

    def emit(block: list) -> None:
        text = _SPACES.sub(" ", "".join(block[0])).strip()
        if text:
            out.append(PageText(text, block[1], block[2]))

    for event, element in etree.iterwalk(body, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            invisible = tag in _INVISIBLE or element.get("hidden") is not None \
                or "display:none" in (element.get("style") or "").replace(" ", "").lower()
            if hidden or invisible:
                hidden += 1
                continue
            region = _region_of(element) or region_stack[-1]
            region_stack.append(region)
            if tag in _BLOCK_LEVEL or not stack:
                if stack and stack[-1][0]:
                    emit(stack[-1])             # the parent's text before this block comes first
                    stack[-1][0] = []
                stack.append([[], element.sourceline or 1, region])
            elif tag == "br":
                stack[-1][0].append(" ")
            if element.text:
                stack[-1][0].append(element.text)
            continue
        if hidden:
            hidden -= 1
            if hidden == 0 and element.tail and stack:
                stack[-1][0].append(element.tail)
            continue
        region_stack.pop()
        if tag in _BLOCK_LEVEL and len(stack) > 1:
            emit(stack.pop())
            # the parent's text after this block starts about where the block did
            stack[-1][1] = element.sourceline or stack[-1][1]
        if element.tail and stack:
            stack[-1][0].append(element.tail)
    while stack:
        emit(stack.pop())
    return out
