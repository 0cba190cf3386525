"""Team work: analysts' projects merged into one, their agreement measured, a curated layer."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from annotator.cli.main import cli
from annotator.formats.exporting import export
from annotator.model import text_hash
from annotator.store.project import Store
from annotator.team.curation import curate_agreed
from annotator.team.merge import MergeError, merge_projects
from annotator.team.project_agreement import agreement

TEXTS = [
    "The minister said the bridge opens in 2027. Critics doubt it.",
    "“We are on budget,” said Ana Ruiz. Costs rose anyway.",
    "Photo: the river at dawn. Admittedly, the works are late.",
]


def analyst_project(path, who, work, statuses=None):
    """A project of one analyst: ``work`` maps a text index to (start, end, label) spans."""
    with Store(path, who) as store:
        with store.transaction():
            ids = [
                store.documents.insert(text=t, text_hash=text_hash(t), title=f"t{i}")
                for i, t in enumerate(TEXTS)
            ]
        for index, spans in work.items():
            for start, end, label in spans:
                store.spans.add(ids[index], start, end, label)
        for index, status in (statuses or {i: "done" for i in range(len(TEXTS))}).items():
            store.statuses.set(ids[index], status)
    return path


@pytest.fixture
def three(tmp_path):
    ana = analyst_project(
        tmp_path / "ana.db",
        "ana",
        {0: [(0, 12, "claim"), (44, 61, "claim")], 1: [(0, 20, "quote")]},
    )
    bo = analyst_project(
        tmp_path / "bo.db", "bo", {0: [(0, 12, "claim"), (44, 60, "claim")], 1: [(0, 20, "quote")]}
    )
    cy = analyst_project(
        tmp_path / "cy.db",
        "cy",
        {0: [(0, 12, "claim")], 2: [(0, 24, "caption")]},
        statuses={0: "done", 1: "in_progress", 2: "done"},
    )
    return [ana, bo, cy]


def stored(path):
    conn = sqlite3.connect(path)
    try:
        return {
            "spans": sorted(
                conn.execute(
                    'SELECT d.text_hash, s.start, s."end", l.name, s.annotator, s.origin'
                    " FROM spans s JOIN labels l ON l.id = s.label_id"
                    " JOIN documents d ON d.id = s.document_id"
                )
            ),
            "statuses": sorted(
                conn.execute(
                    "SELECT d.text_hash, s.annotator, s.status FROM statuses s"
                    " JOIN documents d ON d.id = s.document_id"
                )
            ),
            "documents": conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            "changes": conn.execute("SELECT count(*) FROM changes").fetchone()[0],
        }
    finally:
        conn.close()


def test_merge_keeps_every_analysts_spans_statuses_and_history(three, tmp_path):
    team = tmp_path / "team.db"
    with Store(team, "lead") as store:
        report = merge_projects(store, three)
    got = stored(team)
    assert got["documents"] == 3
    assert len([s for s in got["spans"] if s[4] == "ana"]) == 3
    assert {s[4] for s in got["spans"]} == {"ana", "bo", "cy"}
    assert ("cy" in {s[1] for s in got["statuses"]}) and len(got["statuses"]) == 9
    assert [s.analysts for s in report.sources] == [["ana"], ["bo"], ["cy"]]
    with Store(team, "lead") as store:
        actions = {(c["annotator"], c["action"]) for c in store.history()}
        assert ("ana", "add_span") in actions and ("cy", "set_status") in actions


def test_merging_the_same_files_again_adds_nothing(three, tmp_path):
    team = tmp_path / "team.db"
    with Store(team, "lead") as store:
        merge_projects(store, three)
    before = stored(team)
    with Store(team, "lead") as store:
        report = merge_projects(store, three)
    assert stored(team) == before
    assert not any(s.added_anything for s in report.sources)
    assert "Nothing new was merged" in report.summary()


def test_work_done_in_a_file_since_its_last_merge_comes_in_and_replaces_the_old(three, tmp_path):
    team = tmp_path / "team.db"
    with Store(team, "lead") as store:
        merge_projects(store, three[:1])
    with Store(three[0], "ana") as ana:
        span = next(s for s in ana.spans.in_document(1) if s.start == 44)
        ana.spans.delete(span.id)
        ana.spans.add(1, 13, 20, "quote")
    with Store(team, "lead") as store:
        report = merge_projects(store, three[:1])
        assert report.sources[0].spans_added == 1 and report.sources[0].spans_removed == 1
        assert sorted((s.start, s.end) for s in store.spans.in_document(1)) == [(0, 12), (13, 20)]


def test_the_same_analyst_with_other_work_in_two_files_is_refused(three, tmp_path):
    twin = analyst_project(tmp_path / "twin.db", "ana", {0: [(13, 43, "claim")]})
    team = tmp_path / "team.db"
    with Store(team, "lead") as store:
        merge_projects(store, [three[0]])
    before = stored(team)
    with Store(team, "lead") as store, pytest.raises(MergeError) as refused:
        merge_projects(store, [twin])
    message = str(refused.value)
    assert "analyst 'ana' has other work" in message and "ana.db" in message
    assert "--rename ana=" in message
    assert stored(team) == before  # nothing written
    with Store(team, "lead") as store:
        merge_projects(store, [twin], {"ana": "ana-two"})
    assert {s[4] for s in stored(team)["spans"]} == {"ana", "ana-two"}


def test_labels_are_matched_by_name_and_the_missing_ones_added_and_said(tmp_path):
    path = tmp_path / "x.db"
    with Store(path, "xi") as store:
        store.labels.add("rumour", "#112233")
        with store.transaction():
            doc = store.documents.insert(text=TEXTS[0], text_hash=text_hash(TEXTS[0]), title="t")
        store.spans.add(doc, 0, 3, "rumour")
    with Store(tmp_path / "team.db", "lead") as team:
        report = merge_projects(team, [path])
        assert report.sources[0].labels_added == ["rumour"]
        assert "labels added from it: rumour" in report.summary()
        assert [s.label for s in team.spans.in_document(1)] == ["rumour"]


def test_agreement_from_a_merged_project_equals_the_definitions(three, tmp_path):
    team = tmp_path / "team.db"
    with Store(team, "lead") as store:
        merge_projects(store, three)
        report = agreement(store).to_json()
    pairs = {(p["a"], p["b"]): p for p in report["pairs"]}
    assert list(pairs) == [("ana", "bo"), ("ana", "cy"), ("bo", "cy")]
    ana_bo = pairs[("ana", "bo")]
    assert ana_bo["documents"] == 3
    claim = ana_bo["labels"]["claim"]
    assert (claim["a_spans"], claim["b_spans"]) == (2, 2)
    assert claim["exact_f1"] == pytest.approx(2 * 1 / 4)
    assert claim["overlap_f1"] == pytest.approx(1.0)
    # claim characters over the three texts: ana covers 12 + 17, bo 12 + 16; 28 in common
    n = sum(len(t) for t in TEXTS)
    both, only_a, only_b = 28, 1, 0
    po = (n - only_a - only_b) / n
    pa, pb = (both + only_a) / n, (both + only_b) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    assert claim["kappa"] == pytest.approx((po - pe) / (1 - pe), abs=1e-9)
    assert pairs[("ana", "cy")]["documents"] == 2  # cy has not done the second
    assert report["documents"][0]["unmatched_spans"] >= report["documents"][-1]["unmatched_spans"]


def test_curate_agreed_then_export_curated_gives_exactly_the_spans_all_agreed_on(three, tmp_path):
    team = tmp_path / "team.db"
    with Store(team, "lead") as store:
        merge_projects(store, three)
    with Store(team, "curator") as store:
        report = curate_agreed(store)
        again = curate_agreed(store)  # nothing twice
        out = tmp_path / "gold.jsonl"
        export(store, "annotator", out, curated=True)
    assert report.spans == 2 and again.spans == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    got = {(r["text"], s["start"], s["end"], s["label"]) for r in lines for s in r["spans"]}
    # text 0: all three made (0, 12); text 1: ana and bo (cy not done) made (0, 20) quote;
    # text 2: only cy did it, so it is not agreed.
    assert got == {(TEXTS[0], 0, 12, "claim"), (TEXTS[1], 0, 20, "quote")}
    assert all(
        s["origin"] == "curated" and s["annotator"] == "curator" for r in lines for s in r["spans"]
    )


def test_agreement_against_the_curated_layer(three, tmp_path):
    team = tmp_path / "team.db"
    with Store(team, "lead") as store:
        merge_projects(store, three)
    with Store(team, "curator") as store:
        curate_agreed(store)
        report = agreement(store, ["claim"], against="curated").to_json()
    ana = report["pairs"][0]
    assert (ana["a"], ana["b"]) == ("ana", "curated")
    assert ana["labels"]["claim"]["exact_f1"] == pytest.approx(2 * 1 / 3)


def test_the_commands_merge_measure_curate_and_export(three, tmp_path):
    team = str(tmp_path / "team.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["merge", *map(str, three), "--into", team])
    assert result.exit_code == 0, result.output
    assert "ana.db (ana): 3 documents added" in result.output
    figures = json.loads(runner.invoke(cli, ["--db", team, "agreement", "--json"]).output)
    assert [p["a"] + "/" + p["b"] for p in figures["pairs"]] == ["ana/bo", "ana/cy", "bo/cy"]
    table = runner.invoke(cli, ["--db", team, "agreement", "--label", "claim"]).output
    assert "ana and bo: 3 documents both marked done" in table
    result = runner.invoke(cli, ["--db", team, "--user", "cur", "curate", "--agreed"])
    assert "2 agreed spans put into the curated layer" in result.output
    out = runner.invoke(cli, ["--db", team, "export", "--curated", "-o", "-"]).stdout
    assert len(out.strip().split("\n")) == 3  # the third settled with no span agreed
    again = runner.invoke(cli, ["merge", *map(str, three), "--into", team])
    assert "Nothing new was merged" in again.output


def test_a_curated_project_merged_brings_its_curated_layer(three, tmp_path):
    curated = tmp_path / "curated.db"
    with Store(curated, "lead") as store:
        merge_projects(store, three)
    with Store(curated, "cur") as store:
        curate_agreed(store)
    final = tmp_path / "final.db"
    with Store(final, "lead") as store:
        merge_projects(store, [curated])
        out = tmp_path / "gold.jsonl"
        report = export(store, "annotator", out, curated=True)
    assert report.documents == 3 and report.spans == 2


def test_merge_carries_relations_and_attributes_and_again_adds_nothing(tmp_path):
    text = "“We will build it,” said Mayor Ana Ruiz."
    path = tmp_path / "ana.db"
    with Store(path, "ana") as store:
        with store.transaction():
            doc = store.documents.insert(text=text, text_hash=text_hash(text), title="t")
        quote = store.spans.add(doc, 0, 19, "quote")
        speaker = store.spans.add(doc, 25, 39, "speaker")
        store.relations.add(quote.id, speaker.id, "said_by")
        store.spans.set_attributes(quote.id, {"speaker": "the mayor"})
        store.statuses.set(doc, "done")
    team = tmp_path / "team.db"
    with Store(team, "lead") as store:
        report = merge_projects(store, [path])
        assert report.sources[0].relations_added == 1
        (relation,) = store.relations.in_document(1)
        spans = {s.id: s for s in store.spans.in_document(1)}
        assert (spans[relation.head].label, spans[relation.child].label) == ("quote", "speaker")
        assert spans[relation.head].attributes == {"speaker": "the mayor"}
        again = merge_projects(store, [path])
        assert not again.sources[0].added_anything
        assert len(store.relations.in_document(1)) == 1


def _with_relation(path, who, speaker_end):
    text = "“We will build it,” said Mayor Ana Ruiz."
    with Store(path, who) as store:
        with store.transaction():
            doc = store.documents.insert(text=text, text_hash=text_hash(text), title="t")
        quote = store.spans.add(doc, 0, 19, "quote")
        speaker = store.spans.add(doc, 25, speaker_end, "speaker")
        store.relations.add(quote.id, speaker.id, "said_by")
        store.statuses.set(doc, "done")
    return path


def test_relations_agree_when_both_ends_and_the_type_agree(tmp_path):
    ana = _with_relation(tmp_path / "ana.db", "ana", 39)
    bo = _with_relation(tmp_path / "bo.db", "bo", 39)
    cy = _with_relation(tmp_path / "cy.db", "cy", 30)  # another end: no agreement
    with Store(tmp_path / "team.db", "lead") as store:
        merge_projects(store, [ana, bo, cy])
        pairs = {(p["a"], p["b"]): p for p in agreement(store).to_json()["pairs"]}
    assert pairs[("ana", "bo")]["relations"]["said_by"] == {
        "a_relations": 1,
        "b_relations": 1,
        "exact_f1": 1.0,
    }
    assert pairs[("ana", "cy")]["relations"]["said_by"]["exact_f1"] == 0.0
    assert pairs[("ana", "bo")]["relations"]["concedes"]["exact_f1"] is None


def test_curate_agreed_carries_the_relations_all_analysts_made(tmp_path):
    ana = _with_relation(tmp_path / "ana.db", "ana", 39)
    bo = _with_relation(tmp_path / "bo.db", "bo", 39)
    team = tmp_path / "team.db"
    with Store(team, "lead") as store:
        merge_projects(store, [ana, bo])
    with Store(team, "cur") as store:
        report = curate_agreed(store)
        assert report.relations == 1
        out = tmp_path / "gold.jsonl"
        export(store, "annotator", out, curated=True)
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    by_id = {s["id"]: s for s in record["spans"]}
    (relation,) = record["relations"]
    assert (by_id[relation["head"]]["label"], by_id[relation["child"]]["label"]) == (
        "quote",
        "speaker",
    )
    assert all(s["origin"] == "curated" for s in record["spans"])


def test_curated_spans_keep_the_attributes_all_analysts_gave_them(tmp_path):
    paths = []
    for who in ("ana", "bo"):
        path = _with_relation(tmp_path / f"{who}.db", who, 39)
        with Store(path, who) as store:
            quote = next(s for s in store.spans.in_document(1) if s.label == "quote")
            store.spans.set_attributes(quote.id, {"speaker": "the mayor"})
        paths.append(path)
    team = tmp_path / "team.db"
    with Store(team, "lead") as store:
        merge_projects(store, paths)
    with Store(team, "cur") as store:
        curate_agreed(store)
        curated = [
            s for s in store.spans.in_document(1) if s.origin == "curated" and s.label == "quote"
        ]
        assert [s.attributes for s in curated] == [{"speaker": "the mayor"}]


def _team_over(path, text):
    """A project of ana and bo, who both marked one document (``text``) done, their claims
    after its first sentence alike in part; returns every figure that counts its characters."""
    with Store(path, "ana") as store:
        with store.transaction():
            doc = store.documents.insert(text=text, text_hash=text_hash(text), title="t")
        start = text.index("The minister")
        for who, end in (("ana", start + 30), ("bo", start + 20)):
            with Store(path, who) as mine:
                mine.spans.add(doc, start, end, "claim")
                mine.spans.add(doc, text.index("Critics"), len(text), "claim")
                mine.statuses.set(doc, "done")
        figures = agreement(store).to_json()
    runner = CliRunner()
    cli_figures = runner.invoke(cli, ["--db", str(path), "agreement", "--json"])
    stats = runner.invoke(cli, ["--db", str(path), "stats", "--json"])
    assert cli_figures.exit_code == 0 and stats.exit_code == 0, cli_figures.output + stats.output
    over_time = json.loads(stats.output)["agreement_over_time"]
    points = [{k: v for k, v in p.items() if k != "period"} for o in over_time for p in o["points"]]
    return figures, json.loads(cli_figures.output), points


@pytest.mark.parametrize("nul", ["\x00", "\x00\x00\x00"])
def test_a_nul_in_a_text_counts_as_a_character_in_every_figure(tmp_path, nul):
    text = f"Intro{nul}duction. The minister said the bridge opens in 2027. Critics doubt it."
    with_nul = _team_over(tmp_path / "nul.db", text)
    plain = _team_over(tmp_path / "plain.db", text.replace("\x00", "-"))
    assert with_nul == plain
    claim = with_nul[0]["pairs"][0]["labels"]["claim"]
    n, both, only_a = len(text), 20 + len("Critics doubt it."), 10
    po = (n - only_a) / n
    pa, pb = (both + only_a) / n, both / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    assert claim["kappa"] == pytest.approx((po - pe) / (1 - pe), abs=1e-9)
