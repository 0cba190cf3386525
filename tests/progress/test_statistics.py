"""All of a project's figures in one call, and `annotator stats`, on a history of known times."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from progress_project import ACTIVE, DONE_OVERALL, DONE_PER_DAY, TITLES, team_project

from annotator.cli.main import cli
from annotator.progress.statistics import figures
from annotator.store.project import Store
from annotator.team.curation import agreement


@pytest.fixture
def team(tmp_path):
    path = team_project(tmp_path)
    with Store(path, "lead") as store:
        yield store


def test_the_counts_stats_gave_before_are_all_still_there(team):
    got = figures(team)
    assert {k: got[k] for k in team.stats()} == team.stats()


def test_active_time_per_document_and_analyst(team):
    active = figures(team)["active_time"]
    assert active["break_after"] == 300.0
    assert active["by_analyst"] == {"ana": 170.0, "bo": 135.0}
    assert active["total"] == 305.0
    per_doc = {}
    for (index, _), seconds in ACTIVE.items():
        per_doc[index] = per_doc.get(index, 0) + seconds
    assert sorted(per_doc.values()) == [0.0, 45.0, 80.0, 180.0]
    assert active["documents"] == 4
    assert active["median_per_document"] == 62.5
    assert [(d["title"], d["seconds"]) for d in active["slowest"]] == [
        (TITLES[0], 180.0),
        (TITLES[1], 80.0),
        (TITLES[2], 45.0),  # the last document's lone change took no measurable time
    ]
    assert [d["id"] for d in active["slowest"]][:1] == ["1"]
    assert [d["title"] for d in figures(team, slowest=2)["active_time"]["slowest"]] == TITLES[:2]


def test_a_shorter_break_limit_counts_less(team):
    active = figures(team, break_after=50)["active_time"]
    # ana: 30 (the 90 s gap is a break) and 50 (exactly the limit); bo: 30 and 45.
    assert active["by_analyst"] == {"ana": 80.0, "bo": 75.0}


def test_documents_done_per_day_and_per_week(team):
    done = figures(team)["done"]
    assert done == {"period": "day", "overall": DONE_OVERALL, "by_analyst": DONE_PER_DAY}
    weekly = figures(team, period="week")["done"]
    assert weekly == {
        "period": "week",
        "overall": {"2026-W49": 3},
        "by_analyst": {"ana": {"2026-W49": 3}, "bo": {"2026-W49": 3}},
    }
    with pytest.raises(ValueError):
        figures(team, period="month")


def test_spans_per_label_per_analyst_and_spans_per_hour(team):
    got = figures(team)
    assert got["analysts"] == ["ana", "bo"]
    assert got["spans_by_label_by_analyst"]["ana"] == {
        "claim": 3,
        "quote": 1,
        "caption": 1,
        "concession": 0,
        "speaker": 0,
    }
    assert got["spans_by_label_by_analyst"]["bo"]["claim"] == 2
    assert got["spans_per_hour"] == {
        "ana": {"spans": 5, "active_seconds": 170.0, "spans_per_hour": 105.8824},
        "bo": {"spans": 4, "active_seconds": 135.0, "spans_per_hour": 106.6667},
    }


def test_agreement_grows_as_documents_both_finished_come_in(team):
    (pair,) = figures(team)["agreement_over_time"]
    assert (pair["a"], pair["b"]) == ("ana", "bo")
    points = pair["points"]
    assert [(p["period"], p["documents"]) for p in points] == [
        ("2026-12-01", 2),
        ("2026-12-02", 3),
    ]
    first, last = points
    assert first["labels"]["claim"]["exact_f1"] == 0.5
    assert first["labels"]["quote"]["exact_f1"] == 1.0
    assert first["labels"]["caption"]["exact_f1"] is None
    assert first["all"]["exact_f1"] == 0.6667
    assert last["all"] == {"exact_f1": 0.75, "overlap_f1": 1.0}
    # The last point is the agreement `annotator agreement` measures now.
    now = agreement(team).pairs[0]
    assert last["all"]["exact_f1"] == round(now.all.exact_f1, 4)
    for label, t in now.labels.items():
        expected = None if t.exact_f1 is None else round(t.exact_f1, 4)
        assert last["labels"][label]["exact_f1"] == expected


def test_a_project_of_one_analyst_has_no_agreement_and_no_history_is_no_time(tmp_path):
    # One instant for every change: the span and the status it sets are not a millisecond
    # apart, whatever the machine's speed.
    store = Store(tmp_path / "one.db", "tester", clock=lambda: "2026-11-30T09:00:00.000Z")
    doc = store.documents.insert(text="Some words here.", text_hash="x" * 64, title="t")
    got = figures(store)
    assert got["agreement_over_time"] == []
    assert got["active_time"]["median_per_document"] is None
    assert got["active_time"]["slowest"] == []
    store.spans.add(doc, 0, 4, "claim")
    got = figures(store)
    assert got["active_time"]["documents"] == 1  # a lone change: worked on, for 0 s
    assert got["spans_per_hour"] == {
        "tester": {"spans": 1, "active_seconds": 0.0, "spans_per_hour": None}
    }
    json.dumps(got)  # plain data
    store.close()


def test_stats_json_gives_every_figure(team):
    result = CliRunner().invoke(cli, ["--db", str(team.path), "stats", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(json.dumps(figures(team)))
    result = CliRunner().invoke(
        cli, ["--db", str(team.path), "stats", "--json", "--period", "week", "--break-after", "50"]
    )
    printed = json.loads(result.output)
    assert printed["done"]["period"] == "week"
    assert printed["active_time"]["by_analyst"] == {"ana": 80.0, "bo": 75.0}


def test_stats_prints_the_counts_then_the_progress(team):
    result = CliRunner().invoke(cli, ["--db", str(team.path), "stats"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Documents: 4\n")
    assert "Spans by annotator:" in out
    assert "Active time (a gap over 300 s between changes is a break): 5 min 5 s" in out
    assert "  ana          2 min 50 s     105.9 spans per hour" in out
    assert "  2026-12-01   2  (ana 1, bo 2)" in out
    assert "  2026-12-02   0.750  (3 documents)" in out


def test_stats_refuses_a_negative_break(team):
    result = CliRunner().invoke(cli, ["--db", str(team.path), "stats", "--break-after", "-5"])
    assert result.exit_code == 2
    assert "-5" in result.output
