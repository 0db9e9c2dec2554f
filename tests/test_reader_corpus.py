"""Quality on real whole-page articles (../shared/corpus/readability), in process: body word
4-shingle F1, title and language, scored as shared/corpus/score_body.py scores them (its own
functions are reused when the corpus is present; the test is skipped otherwise)."""
from __future__ import annotations

import importlib.util
import json

import pytest

from exporter.reader import decode_bytes, read_text
from support import SHARED

SCORER = SHARED / "corpus" / "score_body.py"
DATA = SHARED / "corpus" / "readability"


@pytest.fixture(scope="module")
def scorer():
    if not SCORER.exists() or not DATA.is_dir():
        pytest.skip("shared corpus not present")
    spec = importlib.util.spec_from_file_location("score_body", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readability_pages(scorer):
    pages = scorer.load_pages(str(DATA))
    assert len(pages) == 36
    tp = fp = fn = titles = title_n = langs = lang_n = 0
    for page in pages:
        text, _ = decode_bytes(page["page"].encode("utf-8"), page["name"])
        article = json.loads(read_text(text, source_name=page["name"]).to_json())
        body = "\n".join(scorer.body_paragraph_texts(article))
        t, f_p, f_n = scorer.shingle_counts(page["gold"], body)
        tp, fp, fn = tp + t, fp + f_p, fn + f_n
        if page["title"]:
            title_n += 1
            titles += scorer.title_ok(article["meta"]["title"], page["title"])
        if page["lang"]:
            lang_n += 1
            langs += scorer.primary_subtag(article["meta"]["language"]) == page["lang"]
    _, _, f1 = scorer.prf(tp, fp, fn)
    assert f1 >= 0.93, f"body F1 {f1:.3f}"
    assert titles >= 34, f"titles {titles}/{title_n}"
    assert langs >= 28, f"languages {langs}/{lang_n}"
