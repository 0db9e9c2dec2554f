"""Where outputs go and how they are written: file names from titles, atomic writes, the
build time.  Shared by the API and the CLI so both name and write files the same way."""
from __future__ import annotations

import errno
import io
import os
import re
import stat
import sys
import tempfile
import unicodedata
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Callable, Iterable

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


# ------------------------------------------------------------------------------- writing outputs
# How a target is written depends on what it names (shared/CONVENTIONS.md, "Files and determinism"):
#   a plain file or nothing       -> a complete temp file linked/renamed over it (atomic, mode kept)
#   a symlink                     -> the same, done to the file it points at: the link stays a link
#   a FIFO, character device, socket (also behind links: /dev/stdout, /dev/null)
#                                 -> opened and streamed into; never unlinked, renamed over or chmod-ed
#   a directory or block device   -> refused
# Every write is checked: a short write, EPIPE, ENOSPC or EFBIG is an OutputError, never success.

def same_file(a: Path, b: Path) -> bool:
    """True when two paths are one file (also through links), or resolve to the same place."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.realpath(a) == os.path.realpath(b)


def refuse_inputs(target: Path, inputs: Iterable[Path | str]) -> None:
    """OutputError when ``target`` is one of ``inputs`` (also through links)."""
    for source in inputs:
        if str(source) != "-" and same_file(Path(target), Path(source)):
            raise OutputError(f"{target}: is the input {source}; refusing to overwrite it")


def ensure_parent(path: Path) -> None:
    """Create the directory an output goes into (``-o out/`` may name a new one); a link's own
    directory exists already, and where it points is :func:`write_output`'s business."""
    parent = path.parent
    if str(parent) and not parent.exists() and not os.path.islink(path):
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{parent}: cannot create directory: {exc.strerror or exc}") from None


def write_output(target: Path | str, produce: Callable[[BinaryIO], None], *,
                 inputs: Iterable[Path | str] = ()) -> None:
    """Write one output to ``target`` by the rules above.  ``produce`` writes the whole output into
    the stream it is given; for a stream target it is rendered into memory first, so a failing
    writer sends nothing.  ``inputs``: files that must never be overwritten."""
    target = Path(target)
    refuse_inputs(target, inputs)
    kind, path = _classify(target)
    if kind == "file":
        _write_file_atomically(path, produce, shown=target)
        return
    buffer = io.BytesIO()
    produce(buffer)
    data = buffer.getvalue()
    if kind == "socket":
        _send_to_socket(path, data, shown=target)
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise OutputError(f"{target}: cannot open for writing: {exc.strerror or exc}") from None
    try:
        write_all(fd, data, str(target))
    finally:
        os.close(fd)


def _classify(target: Path) -> tuple[str, Path]:
    """("file" | "stream" | "socket", the path to write) for ``target``; OutputError for what is
    never written (a directory, a block device, a link loop, a link into a missing directory)."""
    try:
        info = os.stat(target)                 # follows links
    except FileNotFoundError:
        if os.path.islink(target):
            resolved = Path(os.path.realpath(target))
            if not resolved.parent.is_dir():
                raise OutputError(f"{target}: a dangling link into {resolved.parent}, which does not exist") from None
            return "file", resolved
        return "file", target
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return "file", Path(os.path.realpath(target)) if os.path.islink(target) else target
    if stat.S_ISDIR(mode):
        raise OutputError(f"{target}: is a directory")
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return "stream", target
    if stat.S_ISSOCK(mode):
        return "socket", target
    raise OutputError(f"{target}: is a block device or another special file; refusing to write to it")


def _write_file_atomically(path: Path, produce: Callable[[BinaryIO], None], shown: Path) -> None:
    """A complete file appears at ``path`` or nothing changes.  On Linux the data goes into an
    unnamed O_TMPFILE that is linked in only once complete, so even a killed process leaves no
    temp file behind; elsewhere (or where the file system refuses O_TMPFILE) a named temp file in
    the same directory is renamed over the target.  An existing file keeps its permission bits."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = 0o666 & ~_UMASK
    fd = _open_unnamed(directory, shown)
    if fd is not None:
        try:
            with os.fdopen(fd, "wb") as stream:
                produce(stream)
                _seal(stream, mode)
                if _link_unnamed(stream.fileno(), path, shown):
                    return
                # /proc is not there to link through: fall back to a named copy
                stream_data = _reread(stream.fileno())
        except OSError as exc:
            raise OutputError(f"{shown}: cannot write: {exc.strerror or exc}") from None
        _write_named_temp(path, directory, lambda out: out.write(stream_data), mode, shown)
        return
    _write_named_temp(path, directory, produce, mode, shown)


def _open_unnamed(directory: Path, shown: Path) -> int | None:
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return None
    try:
        return os.open(directory, flag | os.O_RDWR | os.O_CLOEXEC, 0o600)
    except FileNotFoundError:
        raise OutputError(f"{shown}: cannot write: directory {directory} does not exist") from None
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EROFS, errno.ENOSPC, errno.EDQUOT):
            raise OutputError(f"{shown}: cannot write: {exc.strerror or exc}") from None
        return None           # EOPNOTSUPP, EISDIR, EINVAL: this file system has no O_TMPFILE


def _link_unnamed(fd: int, path: Path, shown: Path) -> bool:
    """Give the complete unnamed file its name.  False when /proc is missing (caller falls back)."""
    # linkat(AT_SYMLINK_FOLLOW) through /proc/self/fd/N names an unnamed file.  os.link calls
    # plain link() (which does not follow the magic link) unless a dir_fd is given, hence /proc's.
    try:
        proc = os.open("/proc", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        entry = f"self/fd/{fd}"
        try:
            os.link(entry, path, src_dir_fd=proc, follow_symlinks=True)
            return True
        except FileExistsError:
            pass
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.EXDEV, errno.EPERM) and not _proc_links_work(proc, entry):
                return False
            raise
        # The target exists: link under a temp name, then rename over it (rename is atomic; link
        # cannot replace).  Only a kill in the instant between the two leaves the temp name.
        for attempt in range(100):
            temp = path.parent / f".{path.name[:60]}.{os.getpid()}.{attempt}.tmp"
            try:
                os.link(entry, temp, src_dir_fd=proc, follow_symlinks=True)
                break
            except FileExistsError:
                continue
        else:
            raise OutputError(f"{shown}: cannot write: no free temporary name")
        try:
            os.replace(temp, path)
        except BaseException:
            _unlink_quietly(temp)
            raise
        return True
    finally:
        os.close(proc)


def _proc_links_work(proc: int, entry: str) -> bool:
    try:
        os.stat(entry, dir_fd=proc)
        return True
    except OSError:
        return False


def _reread(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _seal(stream: BinaryIO, mode: int) -> None:
    """Flush, give the file its permission bits and sync it: on disk in full before it is named."""
    stream.flush()
    os.fchmod(stream.fileno(), mode)
    os.fsync(stream.fileno())


def _write_named_temp(path: Path, directory: Path, produce: Callable[[BinaryIO], None], mode: int,
                      shown: Path) -> None:
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name[:60]}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as tmp:
            produce(tmp)
            _seal(tmp, mode)
        os.replace(tmp_name, path)
    except BaseException as exc:
        _unlink_quietly(tmp_name)
        if isinstance(exc, OSError):
            raise OutputError(f"{shown}: cannot write: {exc.strerror or exc}") from None
        raise


def _unlink_quietly(name: str | Path) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


def _send_to_socket(path: Path, data: bytes, shown: Path) -> None:
    import socket

    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(str(path))
            sock.sendall(data)
    except OSError as exc:
        raise OutputError(f"{shown}: write failed: {exc.strerror or exc}") from None


def write_all(fd: int, data: bytes, name: str) -> None:
    """Write every byte to ``fd`` or raise OutputError: a short write, EPIPE, ENOSPC or EFBIG
    (RLIMIT_FSIZE) never passes as success."""
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except InterruptedError:
            continue
        except OSError as exc:
            raise OutputError(f"{name}: write failed: {exc.strerror or exc}") from None
        if written <= 0:
            raise OutputError(f"{name}: write failed: nothing more could be written")
        view = view[written:]


def write_to_stream(out: object, data: bytes, name: str) -> None:
    """Write ``data`` into a caller's binary stream, checked.  A stream with a file descriptor is
    flushed and written through the descriptor (every short write seen); others through
    ``write``.  Text, closed or unwritable streams are errors of the ExporterError family."""
    if out is None:
        raise OutputError(f"{name}: write failed: standard output is closed" if name == "-"
                          else f"{name}: write failed: no stream")
    if isinstance(out, io.TextIOBase):
        raise UsageError(f"{name}: a text stream; pass a binary stream (e.g. sys.stdout.buffer)")
    if getattr(out, "closed", False):
        raise OutputError(f"{name}: write failed: the stream is closed")
    if not callable(getattr(out, "write", None)):
        raise UsageError(f"{name}: not a writable stream ({type(out).__name__})")
    try:
        fd = out.fileno()                                    # type: ignore[attr-defined]
        out.flush()                                          # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError, io.UnsupportedOperation):
        fd = None
    if isinstance(fd, int) and fd >= 0:
        write_all(fd, data, name)
        return
    view = memoryview(data)
    try:
        while view:
            written = out.write(view)                        # type: ignore[attr-defined]
            if written is None:                              # a non-blocking raw stream would block
                raise OutputError(f"{name}: write failed: the stream would block")
            if not isinstance(written, int):                 # some streams return nothing useful
                break
            if written <= 0:
                raise OutputError(f"{name}: write failed: nothing more could be written")
            view = view[written:]
        flush = getattr(out, "flush", None)
        if callable(flush):
            flush()
    except OutputError:
        raise
    except TypeError:
        raise UsageError(f"{name}: not a binary stream ({type(out).__name__})") from None
    except (OSError, ValueError) as exc:
        raise OutputError(f"{name}: write failed: {getattr(exc, 'strerror', None) or exc}") from None


def write_stdout(data: bytes) -> None:
    """The CLI's ``-o -``: every byte reaches standard output, or a one-line OutputError."""
    stream = sys.stdout
    write_to_stream(getattr(stream, "buffer", stream) if stream is not None else None, data, "-")


def _read_umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# Read once at import: os.umask can only be read by setting it, which races with other threads.
_UMASK = _read_umask()
