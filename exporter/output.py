"""Where outputs go and how they are written: file names from titles, atomic writes, the
build time.  Shared by the API and the CLI so both name and write files the same way."""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Callable

from .errors import OutputError, UsageError

# ------------------------------------------------------------------------------------ build time
def build_time_from_env(environ: os._Environ | dict | None = None) -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now; always UTC, whole seconds."""
    env = os.environ if environ is None else environ
    raw = env.get("SOURCE_DATE_EPOCH")
    if raw is not None and raw.strip() != "":
        try:
            seconds = int(raw.strip())
        except ValueError:
            raise UsageError(f"SOURCE_DATE_EPOCH: not an integer number of seconds: {raw!r}") from None
        if seconds < 0:
            raise UsageError(f"SOURCE_DATE_EPOCH: must not be negative: {raw!r}")
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise UsageError(f"SOURCE_DATE_EPOCH: out of range: {raw!r}") from None
    return datetime.now(timezone.utc).replace(microsecond=0)


# ------------------------------------------------------------------------------------ file names
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]')
# bidi controls and other invisible format characters that can disguise a name
_BIDI = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_NAME_BYTES = 200


def sanitize_filename(title: str | None) -> str:
    """A safe file stem made from a title (without extension), as the conventions define it."""
    name = unicodedata.normalize("NFC", title or "")
    name = _BIDI.sub("", name)
    name = _FORBIDDEN.sub(" ", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    # words that are only dots are what is left of "../" path tricks
    name = " ".join(word for word in name.split() if word.strip("."))
    name = name.lstrip(".-").strip()
    encoded = name.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        name = encoded[:MAX_NAME_BYTES].decode("utf-8", errors="ignore")
        cut = name.rfind(" ")
        if cut >= MAX_NAME_BYTES // 2:       # prefer a word boundary when one is near the end
            name = name[:cut]
        name = name.rstrip(" .")
    name = name.rstrip(" .")                 # Windows drops trailing dots and spaces
    if name.split(".")[0].strip().lower() in _WINDOWS_RESERVED:
        name = "_" + name
    return name or "untitled"


# -------------------------------------------------------------------------------- atomic writing
def same_file(a: Path, b: Path) -> bool:
    """True when two paths are one file (also through links), or resolve to the same place."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.realpath(a) == os.path.realpath(b)


def write_atomic(target: Path, produce: Callable[[BinaryIO], None]) -> None:
    """Write ``target`` through a temp file in its directory, renamed over it only when complete.

    A failure (in ``produce`` or in the file system) leaves neither a partial file nor the temp
    file, and an existing ``target`` untouched."""
    target = Path(target)
    directory = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputError(f"{target}: is a directory")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name[:60]}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as tmp:
            produce(tmp)
            tmp.flush()
            os.fsync(tmp.fileno())
        mode = 0o666 & ~_UMASK
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException as exc:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
        raise


def _read_umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# Read once at import: os.umask can only be read by setting it, which races with other threads.
_UMASK = _read_umask()
