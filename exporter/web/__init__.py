"""``exporter serve``: a local web page to paste or drop articles, check what the reader made of
them, correct them (as AST edits) and download them.  Needs the ``[web]`` extra."""
from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import threading
import webbrowser

from exporter.errors import ExporterError

from .app import create_app

__all__ = ["create_app", "serve"]


def serve(*, host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False,
          max_upload_bytes: int = 8 * 1024 * 1024, max_files: int = 50) -> None:
    """Run the page until interrupted.  Prints its address; ``port=0`` takes any free port."""
    import uvicorn

    # The page keeps everything in memory; this directory catches whatever a library would write
    # to the system temporary directory, and goes when the server does.
    workdir = tempfile.mkdtemp(prefix="exporter-serve-")
    previous_tempdir, previous_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = os.environ["TMPDIR"] = workdir
    listener = None
    try:
        listener = _listen(host, port)
        app = create_app(host=host, max_upload_bytes=max_upload_bytes, max_files=max_files)
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                                lifespan="off", server_header=False)
        server = uvicorn.Server(config)
        _announce_when_started(server, host, open_browser)
        server.run(sockets=[listener])
    finally:
        if listener is not None:
            listener.close()
        tempfile.tempdir = previous_tempdir
        if previous_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = previous_env
        shutil.rmtree(workdir, ignore_errors=True)


def _listen(host: str, port: int) -> socket.socket:
    """The bound socket the server takes over: binding here turns a busy port or a bad address
    into one error line instead of the server's own log output."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host.strip("[]") or None, port,
                                                             type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        listener = socket.socket(family, kind, proto)
    except OSError as exc:
        raise ExporterError(f"serve: cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
    except OSError as exc:
        listener.close()
        raise ExporterError(f"serve: cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return listener


def _announce_when_started(server, host: str, open_browser: bool) -> None:
    """Print the address (with the port really bound, which port=0 leaves to the system) once the
    server listens, and open the browser on it if asked."""

    def announce() -> None:
        while not server.started:
            if server.should_exit:
                return
            threading.Event().wait(0.05)
        sockets = [s for srv in server.servers for s in srv.sockets]
        port = sockets[0].getsockname()[1] if sockets else server.config.port
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{'127.0.0.1' if host in ('', '0.0.0.0') else '[::1]' if host == '::' else shown}:{port}/"
        print(f"exporter: serving on {url} (Ctrl+C to stop)", file=sys.stderr, flush=True)
        if host.strip("[]") in ("", "0.0.0.0", "::"):
            # The Host check answers only to names it can trust; a wildcard bind names none.
            print("exporter: warning: listening on every address, but the page answers only to "
                  "localhost names; give --host this machine's address to open it from elsewhere",
                  file=sys.stderr, flush=True)
        if open_browser:
            webbrowser.open(url)

    threading.Thread(target=announce, daemon=True, name="exporter-serve-announce").start()
