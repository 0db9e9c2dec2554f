"""The one link policy every writer follows: which URLs become live links, and in what form.

A link in an article comes from outside (a pasted page, a feed, ``--url``), so every document
format treats it the same way:

- only ``http``/``https`` URLs with a plain host name and ``mailto:`` addresses become links
  (:data:`LINK_SCHEMES`); anything else (``javascript:``, ``file:``, relative paths, hosts that
  are not host names) stays text;
- a ``user:password@`` part is removed, with a warning: a document is passed on, and the
  credentials would travel with it (and be one click from use);
- what remains is percent-encoded (IDNA for the host), so every writer may put it into its
  markup with no further care but its own attribute escaping;
- a link longer than :data:`MAX_LINK_LENGTH` stays text (Word refuses longer hyperlink targets).
"""
from __future__ import annotations

import re
from typing import Callable
from urllib.parse import quote, urlsplit

#: the URL schemes that become live links, in every format
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
#: the classic 2,083-character URL limit; Word refuses hyperlink targets beyond it
MAX_LINK_LENGTH = 2083

_HOSTNAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"        # RFC 3986 pchar and "/" (unreserved letters are always kept)
_QUERY_SAFE = _PATH_SAFE + "?"
_ADDRESS_SAFE = "@.+-_~!$&'*=,;%"          # an addr-spec list in a mailto: path
#: C0 and C1 controls, DEL, surrogates and non-characters: never part of a URL anyone meant
_UNFIT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def safe_link(url: str | None, warn: Callable[[str], None] | None = None) -> str | None:
    """The link target ``url`` becomes in a document, or None when it must stay text.

    ``warn`` is told (one line, without the credentials) when a ``user:password@`` part was
    removed; pass a callable from :func:`warn_once` so a document repeating a link warns once."""
    url = (url or "").strip()
    if not url or _UNFIT.search(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in LINK_SCHEMES:
        return None
    if scheme == "mailto":
        return _mailto(parts)
    if not host:
        return None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    if not _HOSTNAME.match(host):
        return None
    origin = f"{scheme}://{host}" + (f":{port}" if port is not None else "")
    href = origin + _encode(parts.path, _PATH_SAFE)
    if parts.query:
        href += "?" + _encode(parts.query, _QUERY_SAFE)
    if parts.fragment:
        href += "#" + _encode(parts.fragment, _QUERY_SAFE)
    if len(href) > MAX_LINK_LENGTH:
        return None
    if parts.username or parts.password:
        _warn_removed(href, warn)
    return href


def strip_credentials(url: str, warn: Callable[[str], None] | None = None) -> str:
    """``url`` as text to print (a document's source URL), without any ``user:password@`` part;
    ``warn`` is told when one was removed.  Anything that is not such a URL comes back as is."""
    try:
        parts = urlsplit(url)
        credentials = bool(parts.username or parts.password)
    except ValueError:
        return url
    if not credentials:
        return url
    stripped = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
    _warn_removed(stripped, warn)
    return stripped


def _warn_removed(shown: str, warn: Callable[[str], None] | None) -> None:
    if warn is not None:
        warn(f"link {_shorten(shown)}: user name and password removed")


def _mailto(parts) -> str | None:
    if parts.netloc or "@" not in parts.path or any(ch.isspace() for ch in parts.path.strip()):
        return None
    href = "mailto:" + _encode(parts.path.strip(), _ADDRESS_SAFE)
    if parts.query:
        href += "?" + _encode(parts.query, _QUERY_SAFE)
    return href if len(href) <= MAX_LINK_LENGTH else None


def warn_once(warn: Callable[[str], None]) -> Callable[[str], None]:
    """``warn`` that passes each distinct message on once (one per export is enough)."""
    seen: set[str] = set()

    def once(message: str) -> None:
        if message not in seen:
            seen.add(message)
            warn(message)
    return once


def _encode(piece: str, safe: str) -> str:
    # a "%" not followed by two hex digits is a literal percent sign, not an escape
    return _BAD_PERCENT.sub("%25", quote(piece, safe=safe))


def _shorten(href: str, limit: int = 80) -> str:
    return href if len(href) <= limit else href[: limit - 1] + "…"
