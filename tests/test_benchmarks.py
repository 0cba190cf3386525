"""The benchmarks keep working: every row runs once on tiny sizes. No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not installed

from benchmarks import generate, gui_rows, speaker_articles
from benchmarks import run as runner
from benchmarks.context import Context, Sizes

pytestmark = pytest.mark.slow

GUI_ROWS = {
    "startup",
    "open-long",
    "edit-long",
    "big-project",
    "learn-stall",
    "keys-article",
    "keys-samples",
    "scale-1m-window",
}


def _has_overlap(record: dict) -> bool:
    spans = record["spans"]
    return any(a["end"] > b["start"] for a, b in zip(spans, spans[1:], strict=False))


def test_generator_gives_the_same_bytes_for_the_same_seed(tmp_path: Path) -> None:
    first = generate.write_jsonl(tmp_path / "a.jsonl", generate.articles(20, seed=5))
    second = generate.write_jsonl(tmp_path / "b.jsonl", generate.articles(20, seed=5))
    other = generate.write_jsonl(tmp_path / "c.jsonl", generate.articles(20, seed=6))
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    long_a = generate.dumps(generate.long_article(chars=10_000, spans=50, seed=5))
    long_b = generate.dumps(generate.long_article(chars=10_000, spans=50, seed=5))
    assert long_a == long_b


def test_generated_spans_are_valid_and_cover_the_hard_cases() -> None:
    records = list(generate.articles(50))
    assert len({r["text"] for r in records}) == 50  # distinct, so none is a duplicate
    for r in records:
        assert generate.check_spans(r) == []
        assert len(r["spans"]) == 5
        assert 2500 <= len(r["text"].encode("utf-8")) <= 4500
    labels = {s["label"] for r in records for s in r["spans"]}
    assert labels == set(generate.LABELS)
    assert any(_has_overlap(r) for r in records)
    assert not all(_has_overlap(r) for r in records)
    texts = "".join(r["text"] for r in records)
    assert "🚀" in texts and "👍🏽" in texts and "\u00a0" in texts
    assert any("\u0600" <= ch <= "\u06ff" for ch in texts)  # Arabic
    assert any(ord(ch) > 0xFFFF for r in records for s in r["spans"] for ch in s["text"])

    long = generate.long_article(chars=10_000, spans=50)
    assert len(long["spans"]) == 50
    assert len({(s["start"], s["end"], s["label"]) for s in long["spans"]}) == 50
    assert generate.check_spans(long) == []
    assert len(long["text"]) >= 10_000


def test_speaker_articles_are_the_same_for_a_seed_and_their_gold_points_at_the_text() -> None:
    first, again = speaker_articles.articles(8), speaker_articles.articles(8)
    assert [a.text for a in first] == [a.text for a in again]
    assert [a.text for a in first] != [a.text for a in speaker_articles.articles(8, seed=3)]
    for article in first:
        text = article.text
        for q in article.quotes:
            assert text[q.start] in '“"' and (q.speaker is None or q.speaker in article.speakers)
        for mentions in article.speakers.values():
            for start, end in mentions:
                said = text[start:end]
                assert said.strip() == said and said[0].isalpha()
                assert not any(q.start <= start < q.end for q in article.quotes)


def test_every_row_produces_figures_and_json(tmp_path: Path) -> None:
    figures, path = runner.run(
        Sizes.tiny(),
        list(runner.ROWS),
        cache=tmp_path / "cache",
        results=tmp_path / "results",
        mode="tiny",
        log=False,
    )
    assert {f.row for f in figures} == set(runner.ROWS)
    for f in figures:
        if f.na is not None:
            assert f.row in GUI_ROWS, f"{f.name}: {f.na}"
            assert f.na.startswith(("window not available", "hook missing")), f.na
            continue
        if f.unit == "fraction":  # precision and recall: counts, no clock, may be 0
            assert f.ours is not None and f.reference is not None, f.name
            assert all(0 <= v <= 1 for v in f.ours.samples + f.reference.samples), f.name
            assert f.met in (True, False, None), f.name
            continue
        for stats in (f.ours, f.reference, f.ratio):
            assert stats is not None and stats.samples, f.name
            assert all(v > 0 for v in stats.samples), f.name
        assert f.met in (True, False), f.name
    exports = [
        f for f in figures if f.row in ("export-annotator", "export-prodigy", "export-doccano")
    ]
    assert len(exports) == 3
    assert all(f.extra["same_output"] for f in exports)
    others = [f.name for f in figures if f.row == "export-formats"]
    assert others == [
        f"export-{fmt}" for fmt in ("label-studio", "csv", "parquet", "brat", "spacy")
    ]

    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["mode"] == "tiny"
    assert [f["name"] for f in data["figures"]] == [f.name for f in figures]
    table = runner.table(figures)
    assert all(f.name in table for f in figures)
    assert "import-10k" in runner.compare(path, figures)
    assert not (tmp_path / "cache" / "work").exists()


def test_only_picks_rows_by_name_or_prefix() -> None:
    assert runner.select_rows(["export"]) == [
        "export-annotator",
        "export-prodigy",
        "export-doccano",
        "export-formats",
    ]
    assert runner.select_rows(["startup,import-10k"]) == ["import-10k", "startup"]
    with pytest.raises(SystemExit):
        runner.select_rows(["nonsense"])


def test_the_big_rows_run_when_asked_for() -> None:
    assert "scale-1m-import" not in runner.select_rows([])
    assert "scale-1m-import" not in runner.select_rows(["scale"])
    assert "scale-merge" in runner.select_rows(["scale"])
    assert "scale-1m-import" in runner.select_rows([], big=True)
    assert "scale-1m-import" in runner.select_rows(["scale"], big=True)
    assert runner.select_rows(["scale-1m-import"]) == ["scale-1m-import"]


def test_the_scale_corpora_are_annotator_projects_with_each_analysts_work(tmp_path: Path) -> None:
    from annotator.store.project import Store
    from benchmarks import scale_corpus

    paths = scale_corpus.team_projects(tmp_path, 40)
    assert scale_corpus.team_projects(tmp_path, 40) == paths  # cached
    texts = []
    for who, path in zip(scale_corpus.ANALYSTS, paths, strict=True):
        with Store(path, who) as store:
            assert store.documents.count() == 40
            assert store.statuses.analysts() == [who]
            spans = [s for d in range(1, 41) for s in store.spans.in_document(d)]
            assert 6 * 40 <= len(spans) <= 9 * 40
            assert all(
                store.documents.text(s.document_id)[s.start : s.end] == s.text for s in spans
            )
            assert store.history(1)  # the entries a window writes
            texts.append([store.documents.text(d) for d in range(1, 41)])
    assert texts[0] == texts[1] == texts[2]
    archive = scale_corpus.archive_project(tmp_path, 50)
    with Store(archive, "bench") as store:
        assert store.documents.count() == 50
        assert 0 < store.documents.count("done") < 50
        assert store.stats()["spans"] == 100


def _context(tmp_path: Path) -> Context:
    return Context(sizes=Sizes.tiny(), cache=tmp_path / "cache", work=tmp_path / "work", log=False)


def test_startup_times_the_first_paint_line(tmp_path: Path, monkeypatch) -> None:
    fake = [sys.executable, "-c", "print('first-paint 0.123', flush=True)"]
    monkeypatch.setattr(gui_rows, "window_problem", lambda: None)
    monkeypatch.setattr(gui_rows, "_hook_present", lambda: True)
    monkeypatch.setattr(gui_rows, "annotator_command", lambda: fake)
    [figure] = gui_rows.startup(_context(tmp_path))
    assert figure.na is None
    assert figure.ours is not None and figure.ours.samples[0] > 0
    assert figure.extra["reported"] == [0.123]


def test_startup_says_hook_missing_when_no_line_comes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(gui_rows, "window_problem", lambda: None)
    monkeypatch.setattr(gui_rows, "_hook_present", lambda: True)
    monkeypatch.setattr(gui_rows, "annotator_command", lambda: [sys.executable, "-c", "pass"])
    [figure] = gui_rows.startup(_context(tmp_path))
    assert figure.na is not None and figure.na.startswith("hook missing")


def test_suggester_scoring_matches_each_gold_span_once():
    from benchmarks.suggest_rows import score

    gold = [(0, 10), (20, 30)]
    assert score([(0, 10), (0, 10), (21, 30)], gold, "exact") == (1, 3, 2)
    assert score([(0, 10), (0, 10), (21, 30)], gold, "overlap") == (2, 3, 2)
    assert score([(0, 7)], gold, "overlap") == (0, 1, 2)  # 70 % of the gold span is too little


def test_the_gold_spans_cover_their_text():
    from benchmarks.suggest_rows import gold_documents

    for doc in gold_documents():
        assert all(doc["text"][s["start"] : s["end"]] == s["text"] for s in doc["spans"])


def test_the_keyboard_article_is_the_sample_like_one_and_imports_whole(tmp_path: Path) -> None:
    from collections import Counter

    from annotator.formats.importing import import_paths
    from annotator.store.project import Store
    from benchmarks.keys_rows import ARTICLE, differences, gold_records

    [record] = gold_records(ARTICLE)
    assert all(record["text"][s["start"] : s["end"]] == s["text"] for s in record["spans"])
    labels = Counter(s["label"] for s in record["spans"])
    assert labels == {"caption": 3, "quote": 7, "speaker": 5, "concession": 2, "claim": 10}
    assert [r["label"] for r in record["relations"]] == ["said_by"] * 7
    path = tmp_path / "gold.db"
    with Store(path, "bench") as store:
        assert import_paths(store, [ARTICLE]).ok
    assert differences(path, [record]) == []


def test_a_project_that_is_not_the_gold_is_told_apart(tmp_path: Path) -> None:
    from annotator.formats.importing import import_paths
    from annotator.store.project import Store
    from benchmarks.keys_rows import ARTICLE, differences, gold_records

    [record] = gold_records(ARTICLE)
    path = tmp_path / "gold.db"
    with Store(path, "bench") as store:
        import_paths(store, [ARTICLE])
        quote = next(s for s in store.spans.in_document(1) if s.label == "quote")
        store.spans.delete(quote.id)  # its relation goes with it
        store.spans.add_suggestions(1, [(0, 7, "claim", "claims", 0.5)])
    problems = differences(path, [record])
    assert any("1 suggestions left undecided" in p for p in problems)
    assert any("spans missing" in p and "quote" in p for p in problems)
    assert any("relations missing" in p for p in problems)


def test_a_window_process_measures_its_own_peak_memory_not_its_runners() -> None:
    runner_memory = bytearray(300 * 1024 * 1024)
    for i in range(0, len(runner_memory), 4096):
        runner_memory[i] = 1  # the runner is large, as it is after building a big project
    code = "from benchmarks.gui_child import peak_mb; print(peak_mb())"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert float(done.stdout) < 150
    del runner_memory
