"""Archive-scale work (issue 16): exports on a Dask LocalCluster with a run ledger, resumable and
idempotent; fsspec URLs; the findings as Parquet, checked against `exporter inspect --json`.

The LocalClusters are started by these tests themselves (2 worker processes, one thread each)."""
from __future__ import annotations

import json
import os
import signal
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed", reason="the [cluster] extra is not installed")
import pyarrow.parquet as pq  # noqa: E402

from cli_support import run_cli, run_process  # noqa: E402
from exporter import archive, ledger  # noqa: E402

BUILD = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
QUOTED = ('“We will keep talking,” said Ana Ruiz, the union’s secretary.\n\n'
          'The minister, Tom Hale, said: “There is no deal yet.”\n')


def make_articles(directory: Path, count: int) -> list[Path]:
    """``count`` distinct small articles with quotes (every line carries the article's number)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = directory / f"a{number:04d}.txt"
        path.write_text(f"Talks round {number} end without a deal\n\n"
                        f"The two sides met for hour {number} on Friday in the capital.\n\n"
                        + QUOTED.replace("talking", f"talking, round {number}"), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of 2 worker processes, and its client (to find and kill workers)."""
    import logging

    from dask.distributed import Client, LocalCluster

    local = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                         silence_logs=logging.ERROR)
    client = Client(local)
    yield local.scheduler_address, client
    client.close()
    local.close()


def run(inputs, root: Path, address: str, **kwargs):
    failures: list[archive.Outcome] = []
    summary = archive.export_archive([str(p) for p in inputs], kwargs.pop("formats", ["json"]), str(root),
                                     build_time=BUILD, cluster=address, on_failure=failures.append, **kwargs)
    return summary, failures


def test_200_articles_on_two_workers_then_a_rerun_redoes_nothing_and_a_change_redoes_one(tmp_path: Path, cluster):
    address, _ = cluster
    inputs = make_articles(tmp_path / "in", 200)
    binary = tmp_path / "in" / "zz-binary.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    inputs.append(binary)
    out = tmp_path / "out"

    summary, failures = run(inputs, out, address)
    assert (summary.ok, summary.failed, summary.skipped) == (200, 1, 0)
    assert [f.input for f in failures] == [str(binary)] and "binary data" in failures[0].error
    outputs = sorted(p.name for p in out.iterdir() if p.is_file())
    assert outputs == sorted(f"a{n:04d}.json" for n in range(200))
    record = ledger.load(str(out), str(inputs[0]))
    assert record.outcome == "ok" and record.outputs == (str(out / "a0000.json"),)
    assert record.content_sha256 == ledger.content_hash(inputs[0].read_bytes())
    bad = ledger.load(str(out), str(binary))
    assert bad.outcome == "failed" and "binary data" in bad.error
    first = (out / "a0007.json").read_bytes()
    assert json.loads(first)["meta"]["title"] == "Talks round 7 end without a deal"

    summary, _ = run(inputs, out, address)                      # the same command again
    assert (summary.ok, summary.failed, summary.skipped, summary.failed_before) == (0, 0, 201, 1)

    inputs[7].write_text(inputs[7].read_text(encoding="utf-8").replace("Friday", "Saturday"), encoding="utf-8")
    summary, _ = run(inputs, out, address)
    assert (summary.ok, summary.skipped) == (1, 200)
    assert (out / "a0007.json").read_bytes() != first

    binary.write_text("Now a readable story\n\nIt has words in it.\n", encoding="utf-8")
    summary, _ = run(inputs, out, address, retry_failed=True)   # only the failure is redone
    assert (summary.ok, summary.failed, summary.skipped) == (1, 0, 200)
    assert ledger.load(str(out), str(binary)).outcome == "ok"


def test_a_worker_killed_mid_run_loses_nothing(tmp_path: Path, cluster):
    address, client = cluster
    inputs = make_articles(tmp_path / "in", 120)
    out = tmp_path / "out"
    killed: list[int] = []

    def kill_one_worker(done, total, ok, failed, skipped, seconds):
        if not killed and done >= 10:
            pid = next(iter(client.run(os.getpid).values()))
            killed.append(pid)
            os.kill(pid, signal.SIGKILL)

    summary, failures = run(inputs, out, address, formats=["json", "docx"], progress=kill_one_worker)
    assert killed, "no worker was killed"
    assert failures == [] and summary.ok + summary.skipped == 120
    names = sorted(os.listdir(out))
    assert names == sorted([*(f"a{n:04d}.json" for n in range(120)), *(f"a{n:04d}.docx" for n in range(120)),
                            "exporter-ledger"])                # no partial or temp file anywhere
    assert len(os.listdir(out / "exporter-ledger")) == 120
    from docx import Document
    assert Document(str(out / "a0119.docx")).paragraphs


def test_the_cli_on_a_local_cluster_with_a_summary_and_ledger(tmp_path: Path):
    inputs = make_articles(tmp_path / "in", 6)
    result = run_process(["export", str(tmp_path / "in"), "-f", "pdf", "-o", str(tmp_path / "out") + "/",
                          "--cluster", "local:2"])
    assert result.code == 0, result.err
    assert result.err_lines[-1].startswith("exporter: 6 inputs: 6 exported, 0 failed, 0 skipped")
    assert f"ledger: {tmp_path / 'out' / 'exporter-ledger'}" in result.err_lines[-1]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == [f"{p.stem}.pdf" for p in inputs]


def test_cluster_usage_errors():
    assert run_cli(["export", "x.txt", "--cluster", "local:2"]).code == 2            # no -o
    result = run_cli(["export", "x.txt", "--retry-failed", "-o", "out/"])
    assert result.code == 2 and "--retry-failed" in result.err


def test_fsspec_urls_for_inputs_and_outputs(tmp_path: Path):
    """memory:// is a second file system: inputs listed and read, outputs and ledger written there.
    Workers are threads of this process so that they share its memory file system."""
    import logging

    import fsspec
    from dask.distributed import LocalCluster

    fs = fsspec.filesystem("memory")
    for path in make_articles(tmp_path / "in", 5):
        fs.pipe_file(f"/news/in/{path.name}", path.read_bytes())
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0",
                      silence_logs=logging.ERROR) as local:
        from exporter.storage import expand_inputs

        names = expand_inputs(["memory://news/in/*.txt"])
        assert names == [f"memory:///news/in/a{n:04d}.txt" for n in range(5)]
        summary = archive.export_archive(names, ["json"], "memory://news/out", build_time=BUILD,
                                         cluster=local.scheduler_address)
        assert (summary.ok, summary.failed) == (5, 0)
        assert json.loads(fs.cat_file("/news/out/a0003.json"))["meta"]["title"] == "Talks round 3 end without a deal"
        assert len(fs.ls("/news/out/exporter-ledger")) == 5
        assert not [p for p in fs.find("/news/out") if p.endswith(".tmp")]
        again = archive.export_archive(names, ["json"], "memory://news/out", build_time=BUILD,
                                       cluster=local.scheduler_address)
        assert again.skipped == 5
        table = archive.table_archive(names, "quotes", "memory://news/quotes.parquet", cluster=local.scheduler_address)
        assert table.ok == 5
        import io
        assert pq.read_table(io.BytesIO(fs.cat_file("/news/quotes.parquet"))).num_rows > 0


# ----------------------------------------------------------------------------------------- table
def _expected_rows(paths: list[Path]):
    """Quote and article rows computed from `exporter inspect --json`, the reader's own account."""
    quotes, articles = [], []
    for path in paths:
        result = run_cli(["inspect", str(path), "--json"])
        data = json.loads(result.out)
        meta = data["meta"]
        for paragraph, block in enumerate(data["body"]):
            for quote, depth in _quotes_in(block):
                quotes.append((str(path), paragraph, depth, quote["kind"], quote["speaker"], quote.get("evidence"),
                               meta["source"], meta["language"]))
        articles.append((str(path), meta["title"], len(data["dropped"])))
    return quotes, articles


def _quotes_in(node, depth=0):
    if isinstance(node, dict):
        if node.get("type") == "quote":
            yield node, depth
            for child in node["content"]:
                yield from _quotes_in(child, depth + 1)
            return
        for value in node.values():
            yield from _quotes_in(value, depth)
    elif isinstance(node, list):
        for value in node:
            yield from _quotes_in(value, depth)


@pytest.mark.parametrize("mode", [["-j", "1"], ["-j", "2"]])
def test_table_rows_match_inspect_json(tmp_path: Path, mode):
    paths = make_articles(tmp_path / "in", 7)
    paths.append(Path(__file__).resolve().parent.parent / "fixtures" / "000_26941f31262b2c1a.txt")
    target = tmp_path / "quotes.parquet"
    result = run_cli(["table", *map(str, paths), "-o", str(target), *mode])
    assert result.code == 0, result.err
    table = pq.read_table(target).to_pylist()
    expected_quotes, expected_articles = _expected_rows(paths)
    got = [(r["input"], r["paragraph"], r["depth"], r["kind"], r["speaker"], r["evidence"], r["source"], r["language"])
           for r in table]
    assert got == expected_quotes
    assert len({r["article_id"] for r in table}) == len(paths)

    parts = tmp_path / "articles"
    result = run_cli(["table", *map(str, paths), "-o", str(parts) + "/", "--what", "articles", *mode])
    assert result.code == 0, result.err
    rows = sorted(pq.read_table(parts).to_pylist(), key=lambda r: r["input"])
    assert [(r["input"], r["title"], r["dropped"]) for r in rows] == sorted(expected_articles)
    assert all(sum(count for _, count in r["dropped_by_reason"]) == r["dropped"] for r in rows)
    assert all(p.name.startswith("part-") for p in parts.iterdir())


def test_table_on_a_cluster_writes_part_files_from_the_workers(tmp_path: Path, cluster):
    address, _ = cluster
    paths = make_articles(tmp_path / "in", 40)
    summary = archive.table_archive([str(p) for p in paths], "articles", str(tmp_path / "parts") + "/",
                                    cluster=address)
    assert (summary.ok, summary.failed) == (40, 0)
    assert pq.read_table(tmp_path / "parts").num_rows == 40
    assert len(list((tmp_path / "parts").iterdir())) == len(archive.chunked(paths, archive.chunk_size(40, 8)))


def test_a_missing_extra_is_one_line(tmp_path: Path):
    code = ("import sys; sys.modules['pyarrow'] = None; sys.modules['dask'] = None; sys.modules['dask.distributed'] = None;"
            "sys.argv = ['exporter', *sys.argv[1:]]; from exporter.cli import main; main()")
    story = make_articles(tmp_path / "in", 1)[0]
    for args in (["table", str(story), "-o", str(tmp_path / "q.parquet")],
                 ["export", str(story), "-o", str(tmp_path / "o") + "/", "--cluster", "local:1"]):
        import subprocess
        proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert len(proc.stderr.splitlines()) == 1 and "pip install 'exporter[cluster]'" in proc.stderr, proc.stderr


def test_chunks_batch_the_scheduler_work():
    assert archive.chunk_size(1_000_000, 64) == 100          # 10,000 tasks for a million articles
    assert archive.chunk_size(200, 2) == 25                  # at least four chunks per worker
    assert archive.chunk_size(3, 2) == 1


def test_a_client_killed_mid_run_loses_nothing_that_was_finished(tmp_path: Path):
    """kill -9 of the `exporter export --cluster` process: every output is whole, and the same
    command afterwards skips what the ledger recorded and finishes the rest."""
    import subprocess
    import time

    make_articles(tmp_path / "in", 60)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "exporter", "export", str(tmp_path / "in"), "-f", "json,docx", "-o", str(out) + "/",
               "--cluster", "local:2", "-q"]
    client = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            records = out / "exporter-ledger"
            if records.is_dir() and len(list(records.iterdir())) >= 5:
                break
            time.sleep(0.05)
        os.killpg(client.pid, signal.SIGKILL)           # the client and the workers it started
    finally:
        client.wait(30)
    finished = {p.name for p in (out / "exporter-ledger").iterdir()}
    assert len(finished) >= 5
    leftovers = [p.name for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    for docx in out.glob("*.docx"):                      # every output there is whole
        from docx import Document
        Document(str(docx))
    rerun = run_process(command[3:-1])                  # the same command (without -q, for its summary)
    assert rerun.code == 0, rerun.err
    skipped = int(rerun.err_lines[-1].split(" skipped")[0].rsplit(" ", 1)[1])
    assert skipped >= len(finished), rerun.err_lines[-1]
    assert len(list((out / "exporter-ledger").iterdir())) == 60
    assert len(list(out.glob("*.json"))) == len(list(out.glob("*.docx"))) == 60


def test_the_progress_line_counts_done_failed_skipped_and_rate(monkeypatch, capsys):
    from exporter.cli import Console, _archive_progress

    console = Console()
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    show = _archive_progress(console)
    show(30, 120, 25, 1, 4, 2.0)
    err = capsys.readouterr().err
    assert "30/120" in err and "ok 25 failed 1 skipped 4 13.0/s" in err


def test_a_partitioned_table_replaces_its_old_parts_and_refuses_a_directory_of_other_files(tmp_path: Path):
    paths = [str(p) for p in make_articles(tmp_path / "in", 30)]
    parts = tmp_path / "parts"
    assert archive.table_archive(paths, "articles", str(parts) + "/", jobs=1).ok == 30
    many = len(list(parts.iterdir()))
    assert archive.table_archive(paths[:3], "articles", str(parts) + "/", jobs=1).ok == 3
    assert len(list(parts.iterdir())) < many and pq.read_table(parts).num_rows == 3      # no stale rows
    from exporter.errors import UsageError
    with pytest.raises(UsageError, match="not part files of a table"):
        archive.table_archive(paths, "articles", str(tmp_path / "in") + "/")
    assert len(list((tmp_path / "in").iterdir())) == 30
