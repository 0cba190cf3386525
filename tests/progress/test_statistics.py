"""All of a project's figures in one call, and `annotator stats`, on a history of known times."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from progress_project import (
    ACTIVE,
    CURATION_DAY,
    DONE_OVERALL,
    DONE_PER_DAY,
    TITLES,
    Clock,
    curated_project,
    team_project,
)

from annotator.cli.main import cli
from annotator.model import text_hash
from annotator.progress.statistics import figures
from annotator.store import activity
from annotator.store.project import Store
from annotator.team.project_agreement import agreement


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
        "ana": {
            "tagged": 5, "curated": 0, "in_bulk": 0, "active_seconds": 170.0,
            "spans_per_hour": 105.9,
        },
        "bo": {
            "tagged": 4, "curated": 0, "in_bulk": 0, "active_seconds": 135.0,
            "spans_per_hour": 106.7,
        },
    }  # fmt: skip


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
        "tester": {
            "tagged": 1, "curated": 0, "in_bulk": 0, "active_seconds": 0.0,
            "spans_per_hour": None,
        }
    }  # fmt: skip
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
    assert "Active time (a gap over 5 min between changes is a break): 5 min 5 s" in out
    assert "  ana              2 min 50 s\n" in out
    assert "  ana                 105.9  (5 tagged one at a time)\n" in out
    assert "  2026-12-01   2  (ana 1, bo 2)" in out
    assert "  2026-12-02   0.750  (3 documents)" in out


def test_stats_refuses_a_negative_break(team):
    result = CliRunner().invoke(cli, ["--db", str(team.path), "stats", "--break-after", "-5"])
    assert result.exit_code == 2
    assert "-5" in result.output


# -- a day of curation: the curator's work is apart from the analysts' -----------------------


@pytest.fixture
def curated(tmp_path):
    path = curated_project(tmp_path)
    with Store(path, "lead") as store:
        yield store


def test_a_curators_spans_and_statuses_are_not_an_analysts_work(curated):
    got = figures(curated)
    assert got["analysts"] == ["ana", "bo"]
    assert got["curators"] == ["lead"]
    # The analysts' layers only: lead's nine curated spans are not "lead's spans".
    assert got["spans_by_annotator"] == {"ana": 9, "bo": 4}
    assert got["spans"] == 13 and got["spans_by_label"]["speaker"] == 4
    assert set(got["spans_by_label_by_analyst"]) == {"ana", "bo"}
    # lead marked two documents done, as curator: no analyst's status, no done day of theirs,
    # no agreement of an analyst with them, and the first document was done overall when bo
    # finished it, not when lead marked it.
    assert set(got["documents_by_status_by_analyst"]) == {"ana", "bo"}
    assert set(got["done"]["by_analyst"]) == {"ana", "bo"}
    assert got["done"]["overall"] == {"2026-12-01": 2, "2026-12-02": 1, "2026-12-03": 1}
    assert [(p["a"], p["b"]) for p in got["agreement_over_time"]] == [("ana", "bo")]
    assert got["curated"] == {
        "spans": 9,
        "spans_by_label": {"claim": 3, "quote": 1, "caption": 1, "concession": 0, "speaker": 4},
        "settled": 3,
        "documents": 4,
        "by_curator": {"lead": {"settled": 3, "spans": 9}},
    }
    assert got["active_time"]["by_analyst"] == {"ana": 240.0, "bo": 135.0}
    assert got["active_time"]["by_curator"] == {"lead": 220.0}
    assert got["active_time"]["total"] == 595.0


def test_an_analyst_who_also_curates_stays_an_analyst_with_their_curated_spans_apart(curated):
    with Store(curated.path, "bo") as store:
        store.spans.add(4, 6, 10, "claim", origin="curated")
    got = figures(curated)
    assert got["analysts"] == ["ana", "bo"]
    assert got["curators"] == ["bo", "lead"]
    assert got["spans_by_annotator"]["bo"] == 4
    assert got["curated"]["by_curator"]["bo"] == {"settled": 0, "spans": 1}
    assert got["spans_per_hour"]["bo"]["curated"] == 1
    assert "bo" in got["done"]["by_analyst"]


def test_spans_accepted_many_at_once_are_counted_apart_from_spans_made_one_at_a_time(curated):
    rates = figures(curated)["spans_per_hour"]
    # ana: five spans drawn, one suggestion accepted with Enter, three with Shift+Enter.
    assert rates["ana"] == {
        "tagged": 6, "curated": 0, "in_bulk": 3, "active_seconds": 240.0, "spans_per_hour": 90.0,
    }  # fmt: skip
    # lead: one span accepted with Enter; three put in by curate --agreed (no history entry
    # of their own) and five accepted at once: 1 span in 220 s, not 9.
    assert rates["lead"] == {
        "tagged": 0, "curated": 1, "in_bulk": 8, "active_seconds": 220.0, "spans_per_hour": 16.4,
    }  # fmt: skip


def spans_at(tmp_path, seconds: list[float]) -> dict[str, dict[str, int]]:
    """How spans made by one analyst at these times (seconds apart) were made."""
    clock = Clock(CURATION_DAY)
    text = "word " * 50
    tmp_path.mkdir()
    with Store(tmp_path / "times.db", "ana", clock=clock) as store:
        doc = store.documents.insert(text=text, text_hash=text_hash(text), title="t")
        for i, at in enumerate(seconds):
            clock.at(at)
            store.spans.add(doc, 5 * i, 5 * i + 4, "claim")
        return activity.spans_made(store)


def test_spans_half_a_second_apart_or_more_were_made_one_at_a_time(tmp_path):
    assert spans_at(tmp_path / "a", [0, 0.5, 1.0, 10]) == {
        "ana": {"tagged": 4, "curated": 0, "in_bulk": 0}
    }
    assert spans_at(tmp_path / "b", [0, 0.499, 10, 20.001, 20.2, 20.3, 30]) == {
        "ana": {"tagged": 2, "curated": 0, "in_bulk": 5}
    }


def test_a_bulk_accept_at_the_machines_own_speed_is_told_apart(tmp_path):
    """The clock as it runs: a thousand suggestions accepted in one step, as Shift+Enter
    does, then one more on its own a second later."""
    from annotator.suggest.running import accept_suggestion

    text = " ".join(f"w{i:04d}" for i in range(1001))
    with Store(tmp_path / "bulk.db", "ana") as store:
        doc = store.documents.insert(text=text, text_hash=text_hash(text), title="t")
        with store.transaction():
            suggested = [
                store.spans.add(doc, 6 * i, 6 * i + 5, "speaker", origin="suggested").id
                for i in range(1001)
            ]
        with store.transaction():
            for span_id in suggested[:1000]:
                accept_suggestion(store, span_id)
        store.clock = lambda: "2999-01-01T00:00:00.000Z"  # long after: on its own
        accept_suggestion(store, suggested[1000])
        made = figures(store)["spans_per_hour"]["ana"]
    assert (made["tagged"], made["in_bulk"]) == (1, 1000)


def test_stats_prints_statuses_as_words_and_the_curated_layer_apart(curated):
    result = CliRunner().invoke(cli, ["--db", str(curated.path), "stats"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "in_progress" not in out and "  in progress  0\n" in out
    assert "Curated layer: 9 spans; settled 3 of 4 documents (75%)\n" in out
    assert "  lead         settled 3, made 9 curated spans\n" in out
    assert "Spans by annotator:\n  ana          9\n  bo           4\n" in out
    assert "  lead (curator)   3 min 40 s\n" in out
    assert "Spans per hour (tagged one at a time; accepts of many at once counted apart):" in out
    assert "  ana                  90.0  (6 tagged one at a time, 3 accepted in bulk)\n" in out
    assert "  lead (curator)       16.4  (1 curated one at a time, 8 accepted in bulk)\n" in out


def test_stats_prints_numbers_rounded_to_what_they_mean(curated):
    out = CliRunner().invoke(cli, ["--db", str(curated.path), "stats"]).output
    # Rates to one decimal, F1 to three places: nothing longer, and seconds as durations.
    assert not re.search(r"\d\.\d{4}", out)
    for line in out.splitlines():
        agreement = re.match(r"  \d{4}-\d\d-\d\d   \d\.\d{3}  \(", line)
        assert agreement or not re.search(r"\d\.\d{2}", line), line


def test_stats_json_keeps_measurements_and_rounds_rates(curated):
    printed = json.loads(
        CliRunner().invoke(cli, ["--db", str(curated.path), "stats", "--json"]).output
    )
    assert printed["documents_by_status"]["in_progress"] == 0  # the keys stay keys
    for row in printed["spans_per_hour"].values():
        assert (
            row["spans_per_hour"] is None
            or round(row["spans_per_hour"], 1) == row["spans_per_hour"]
        )
