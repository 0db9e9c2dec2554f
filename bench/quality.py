"""Reader quality on the development corpora, every set in one run: runs shared/corpus's scorers in
place and prints their figures beside the targets.

    python bench/quality.py [--jobs 2]

* readability (36 whole web pages): body F1, titles, languages (``score_body.py --json``);
* PolNeAR dev (84) and train (840, never used to write the rules): direct-quote F1 and speaker
  accuracy (``score_quotes.py --split … --json``), and what the scorer's summary lacks:
  **speaker precision** (right / quotes given a speaker) and **coverage** (quotes given a speaker /
  quotes whose source is named), over the same matched quotes the accuracy counts.

The scorers are read-only, so they are wrapped, never edited: the official figures come from their
``--json`` output, and precision comes from the scorer's own functions (gold, matching, speaker
check) applied to the reader's output for the same articles, read in-process.  The two must agree
on the accuracy, which is checked.  The corpora are read where they are and never copied."""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
QUOTE_SETS = ("train", "dev")
# (set, measure, target) of the README's quality table; a target is a floor.
TARGETS = {
    ("train", "f1"): 0.975, ("train", "speaker_accuracy"): 0.94, ("train", "speaker_precision"): 0.97,
    ("dev", "f1"): 0.975, ("dev", "speaker_accuracy"): 0.95, ("dev", "speaker_precision"): 0.97,
    ("readability", "body_f1"): 0.96, ("readability", "titles"): 35, ("readability", "languages"): 28,
}


def run_scorer(script: str, *args: str, jobs: int) -> dict:
    command = f"{sys.executable} -m exporter"
    proc = subprocess.run([sys.executable, str(CORPUS / script), "--cmd", command, "--jobs", str(jobs), "--json", *args],
                          cwd=ROOT, capture_output=True, text=True)
    try:
        return json.loads(proc.stdout)
    except ValueError:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise SystemExit(f"quality: {script} {' '.join(args)} gave no JSON summary: {tail}") from None


def load_scorer():
    spec = importlib.util.spec_from_file_location("score_quotes", CORPUS / "score_quotes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def speaker_figures(scorer, split: str) -> dict:
    """Accuracy, precision and coverage of speakers on matched gold quotes with a named source, and
    precision by attribution evidence, from the reader run in-process on the split's articles."""
    import exporter

    named = predicted = right = 0
    by_evidence: dict[str, list[int]] = {}
    for art in scorer.load_gold(str(CORPUS / scorer.SPLITS[split])):
        data = json.loads(exporter.read(Path(art["path"])).to_json())
        records = scorer.quote_records(data)
        evidence = _evidence_in_order(scorer, data)
        preds, pred_evidence = [], []
        for rec, ev in zip(records, evidence, strict=True):
            if rec["kind"] == "speech" and not rec["in_speech"]:
                preds.append((rec["text"], rec["speaker"]))
                pred_evidence.append(ev)
        match = scorer.match_article(art["gold"], art["partial"], preds)
        for i, pieces, _, speaker in match["matched"]:
            gold = art["gold"][i]
            if not gold["named"]:
                continue
            named += 1
            ok = scorer.speaker_ok(speaker, gold["source"], gold["named"])
            right += ok
            if speaker:
                predicted += 1
                how = next((pred_evidence[j] for j in pieces if preds[j][1]), None) or "none"
                tally = by_evidence.setdefault(how, [0, 0])
                tally[0] += 1
                tally[1] += ok
    return {"speaker_n": named, "speaker_correct": right, "speaker_predicted": predicted,
            "speaker_precision": right / predicted if predicted else 0.0,
            "speaker_coverage": predicted / named if named else 0.0,
            "by_evidence": {how: (n, ok / n) for how, (n, ok) in sorted(by_evidence.items())}}


def _evidence_in_order(scorer, data: dict) -> list:
    """Quote.evidence of every quote node in the order the scorer's quote_records lists them."""
    out: list = []

    def walk(nodes) -> None:
        for node in nodes:
            if isinstance(node, dict) and node.get("type") == "quote":
                out.append(node.get("evidence"))
            if isinstance(node, dict):
                walk(scorer._children(node))

    for block in scorer._leaf_blocks(scorer.body_blocks(data)):
        walk(scorer._children(block))
    return out


def verdict(key: tuple[str, str], value: float) -> str:
    target = TARGETS.get(key)
    if target is None:
        return ""
    return f"target >= {target}: {'met' if value >= target else 'NOT MET'}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"quality: {CORPUS} not found; nothing to score")
        return 0
    rows: list[tuple[str, str, str, str]] = []
    body = run_scorer("score_body.py", jobs=args.jobs)
    rows += [
        ("readability (36 pages)", "body F1", f"{body['body']['f1']:.3f}", verdict(("readability", "body_f1"), body["body"]["f1"])),
        ("", "titles right", f"{body['title_correct']} / {body['title_n']}", verdict(("readability", "titles"), body["title_correct"])),
        ("", "languages right", f"{body['language_correct']} / {body['language_n']}",
         verdict(("readability", "languages"), body["language_correct"])),
    ]
    rows += html_rows(args.jobs, body["body"]["f1"])
    scorer = load_scorer()
    for split in QUOTE_SETS:
        summary = run_scorer("score_quotes.py", "--split", split, jobs=args.jobs)
        mine = speaker_figures(scorer, split)
        if (mine["speaker_n"], mine["speaker_correct"]) != (summary["speaker_n"], summary["speaker_correct"]):
            print(f"quality: warning: {split}: in-process speakers {mine['speaker_correct']}/{mine['speaker_n']} "
                  f"differ from the scorer's {summary['speaker_correct']}/{summary['speaker_n']}")
        name = f"polnear-{split} ({summary['articles']})"
        rows += [
            (name, "direct-quote F1", f"{summary['f1']:.3f} (P {summary['precision']:.3f}, R {summary['recall']:.3f})",
             verdict((split, "f1"), summary["f1"])),
            ("", "speaker accuracy", f"{summary['speaker_accuracy']:.3f} ({summary['speaker_correct']} / {summary['speaker_n']})",
             verdict((split, "speaker_accuracy"), summary["speaker_accuracy"])),
            ("", "speaker precision", f"{mine['speaker_precision']:.3f} ({mine['speaker_correct']} / {mine['speaker_predicted']})",
             verdict((split, "speaker_precision"), mine["speaker_precision"])),
            ("", "speaker coverage", f"{mine['speaker_coverage']:.3f} ({mine['speaker_predicted']} / {mine['speaker_n']})", ""),
            ("", "precision by evidence", ", ".join(f"{how} {ok:.2f} of {n}" for how, (n, ok) in mine["by_evidence"].items()), ""),
        ]
    # Values of rows without a target (the evidence breakdown) may run long: they set no width.
    width = [max(len(r[c]) for r in rows if r[3] or c < 2) for c in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width[c]) if c < 3 else cell for c, cell in enumerate(row)).rstrip())
    return 0


# ------------------------------------------------------------------ saved web pages (HTML reader)
HTML_TARGETS = {"body_f1": 0.96, "titles": 35, "languages": 30, "bylines_dates": 0.90}


def html_rows(jobs: int, text_body_f1: float | None = None) -> list[tuple[str, str, str, str]]:
    """The readability pages read as saved pages (``score_body.py --input html``): body F1 against
    the target and against the same pages as text, titles, languages, and -- what the scorer does
    not count -- bylines and dates against the reference's ``byline``/``publishedTime`` where it
    has them, read in-process from the pages where they lie."""
    summary = run_scorer("score_body.py", "--input", "html", jobs=jobs)
    f1 = summary["body"]["f1"]
    against_text = "" if text_body_f1 is None else \
        f"; as text {text_body_f1:.4f}: {'not below' if f1 >= text_body_f1 else 'BELOW'}"
    bylines, dates = byline_and_date_figures()
    right = bylines[0] + dates[0]
    asked = bylines[1] + dates[1]
    share = right / asked if asked else 0.0
    return [
        ("readability as HTML (36)", "body F1", f"{f1:.4f} (P {summary['body']['precision']:.3f}, R {summary['body']['recall']:.3f})",
         f"target >= {HTML_TARGETS['body_f1']}: {'met' if f1 >= HTML_TARGETS['body_f1'] else 'NOT MET'}{against_text}"),
        ("", "titles right", f"{summary['title_correct']} / {summary['title_n']}",
         f"target >= {HTML_TARGETS['titles']}: {'met' if summary['title_correct'] >= HTML_TARGETS['titles'] else 'NOT MET'}"),
        ("", "languages right", f"{summary['language_correct']} / {summary['language_n']}",
         f"target = all {summary['language_n']}: {'met' if summary['language_correct'] == summary['language_n'] else 'NOT MET'}"),
        ("", "bylines / dates right", f"{bylines[0]} / {bylines[1]}, {dates[0]} / {dates[1]} ({share:.0%})",
         f"aim >= {HTML_TARGETS['bylines_dates']:.0%}: {'met' if share >= HTML_TARGETS['bylines_dates'] else 'not met'}"),
    ]


def _name_key(text: str) -> str:
    import re
    import unicodedata

    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"^\s*(?:by|par|por|von|door|di)\s+", "", text)
    return " ".join(re.findall(r"[^\W\d_]+", text))


def byline_and_date_figures() -> tuple[tuple[int, int], tuple[int, int]]:
    """(right, asked) for bylines and for dates.  A byline is right when its name words are among
    the reference's (references carry "By …", roles and dates) or the reference's among its; a date
    when its day is the reference's."""
    import exporter
    from exporter.errors import ExporterError

    by_right = by_asked = date_right = date_asked = 0
    for folder in sorted((CORPUS / "readability").iterdir()):
        reference_path = folder / "expected-metadata.json"
        if not (folder / "page.html").is_file() or not reference_path.is_file():
            continue
        reference = json.loads(reference_path.read_text(encoding="utf-8"))
        try:
            meta = exporter.read(folder / "page.html").meta
        except ExporterError:
            meta = None
        if reference.get("byline"):
            by_asked += 1
            ours, theirs = _name_key(meta.byline or "") if meta else "", _name_key(reference["byline"])
            by_right += bool(ours) and (ours in theirs or theirs in ours)
        if reference.get("publishedTime"):
            date_asked += 1
            date_right += bool(meta and meta.date) and meta.date[:10] == reference["publishedTime"][:10]
    return (by_right, by_asked), (date_right, date_asked)


def html_main() -> int:
    """``python bench/quality.py --html``: only the saved-page figures (with the text run beside)."""
    text = run_scorer("score_body.py", jobs=2)
    for row in html_rows(2, text["body"]["f1"]):
        print("  ".join(row).rstrip())
    return 0


if __name__ == "__main__":
    if "--html" in sys.argv[1:]:
        sys.exit(html_main())
    sys.exit(main())
