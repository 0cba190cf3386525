"""Active time and done documents per day, from a history made at chosen times."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone

import pytest

from annotator.formats.exporting import export
from annotator.formats.importing import import_paths
from annotator.model import text_hash
from annotator.store import activity
from annotator.store.project import Store

START = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
TEXTS = [
    "The minister said the bridge opens in 2027. Critics doubt it.",
    "“We are on budget,” said Ana Ruiz. Costs rose anyway.",
    "Photo: the river at dawn. Admittedly, the works are late.",
]


class Clock:
    """The time the store records: moved by hand, in seconds after START."""

    def __init__(self) -> None:
        self.now = START

    def at(self, seconds: float) -> None:
        self.now = START + timedelta(seconds=seconds)

    def __call__(self) -> str:
        return self.now.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def project(tmp_path, clock):
    """Three documents, and a store for each of two analysts on the same file."""
    path = tmp_path / "team.db"
    with Store(path, "ana", clock=clock) as ana, ana.transaction():
        ids = [
            ana.documents.insert(text=t, text_hash=text_hash(t), title=f"t{i}")
            for i, t in enumerate(TEXTS)
        ]
    ana = Store(path, "ana", clock=clock)
    bo = Store(path, "bo", clock=clock)
    yield ana, bo, ids
    ana.close()
    bo.close()


def tag(store, clock, seconds, doc, start=0, end=3):
    clock.at(seconds)
    return store.spans.add(doc, start, end, "claim")


def test_gaps_up_to_the_limit_count_and_longer_ones_are_breaks(project, clock):
    ana, _, (d1, _, _) = project
    for t in (0, 60, 360, 661, 700):  # gaps 60, 300 (counts), 301 (a break), 39
        tag(ana, clock, t, d1)
    assert activity.active_times(ana) == {(d1, "ana"): 399.0}


def test_a_gap_a_millisecond_under_the_limit_counts_one_over_does_not(project, clock):
    ana, _, (d1, d2, _) = project
    tag(ana, clock, 0, d1)
    tag(ana, clock, 299.999, d1)
    tag(ana, clock, 1000, d2)
    tag(ana, clock, 1300.001, d2)
    times = activity.active_times(ana)
    assert times == {(d1, "ana"): 299.999, (d2, "ana"): 0.0}


def test_the_limit_is_a_parameter(project, clock):
    ana, _, (d1, _, _) = project
    for t in (0, 100, 250):
        tag(ana, clock, t, d1)
    assert activity.active_times(ana, break_after=120) == {(d1, "ana"): 100.0}
    assert activity.active_times(ana, break_after=150) == {(d1, "ana"): 250.0}
    for wrong in (-1, math.nan, math.inf):
        with pytest.raises(ValueError):
            activity.active_times(ana, break_after=wrong)


def test_a_lone_change_counts_nothing(project, clock):
    ana, _, (d1, _, _) = project
    tag(ana, clock, 0, d1)
    assert activity.active_times(ana) == {(d1, "ana"): 0.0}


def test_two_analysts_interleaving_on_one_document_each_have_their_own_time(project, clock):
    ana, bo, (d1, _, _) = project
    tag(ana, clock, 0, d1)
    tag(bo, clock, 30, d1)
    tag(ana, clock, 100, d1)
    tag(bo, clock, 250, d1)
    tag(ana, clock, 120, d1)  # recorded after bo's change but earlier: time order wins
    assert activity.active_times(ana) == {(d1, "ana"): 120.0, (d1, "bo"): 220.0}


def test_each_document_is_measured_along_its_own_changes(project, clock):
    ana, _, (d1, d2, _) = project
    tag(ana, clock, 0, d1)
    tag(ana, clock, 60, d2)  # the first change on d2: 0 s, the reading before it unknown
    tag(ana, clock, 100, d2)
    tag(ana, clock, 160, d1)  # back on d1 within the limit: its 160 s gap counts
    tag(ana, clock, 700, d1)  # after a break: nothing
    times = activity.active_times(ana)
    assert times == {(d1, "ana"): 160.0, (d2, "ana"): 40.0}


def test_history_without_a_document_takes_no_part(project, clock):
    ana, _, (d1, _, _) = project
    tag(ana, clock, 0, d1)
    clock.at(50)
    ana.labels.add("hedge", "#cc6677")
    tag(ana, clock, 100, d1)
    assert activity.active_times(ana) == {(d1, "ana"): 100.0}


def test_times_written_with_an_offset_are_read_as_the_instant_they_name(project):
    ana, _, (d1, _, _) = project
    rows = [
        ("2026-11-30T10:00:00.000+01:00", d1),  # 09:00 UTC
        ("2026-11-30T09:02:00.500Z", d1),
        ("2026-11-30T09:03:00", d1),  # no offset: UTC
        ("not a time", d1),  # ignored, and does not cut the stretch
        ("2026-11-30T09:04:00.000Z", None),
    ]
    with ana.transaction():
        for at, doc in rows:
            ana.conn.execute(
                "INSERT INTO changes (at, annotator, action, document_id) VALUES (?, 'ana',"
                " 'add_span', ?)",
                (at, doc),
            )
    assert activity.active_times(ana) == {(d1, "ana"): 180.0}
    assert activity.period_of("2026-11-30T23:30:00-02:00") == "2026-12-01"
    assert activity.period_of("2026-11-30T23:30:00Z", "week") == "2026-W49"
    assert activity.period_of("junk") is None


def test_summaries_of_active_time(project, clock):
    ana, bo, (d1, d2, d3) = project
    for t in (0, 100):
        tag(ana, clock, t, d1)
    for t in (1000, 1030):
        tag(ana, clock, t, d2)
    for t in (0, 40):
        tag(bo, clock, t, d1)
    tag(bo, clock, 2000, d3)
    times = activity.active_times(ana)
    per_doc = activity.by_document(times)
    assert per_doc == {d1: 140.0, d2: 30.0, d3: 0.0}
    assert activity.by_analyst(times) == {"ana": 130.0, "bo": 40.0}
    assert activity.median_time(per_doc) == 30.0
    assert activity.median_time({}) is None
    assert activity.slowest(per_doc, 5) == [(d1, 140.0), (d2, 30.0)]
    assert activity.per_document_by_analyst(times)[d1] == {"ana": 100.0, "bo": 40.0}


def test_done_documents_are_counted_on_the_utc_day_they_became_done(project, clock):
    ana, bo, (d1, d2, d3) = project
    clock.at(15 * 3600 - 0.001)  # 2026-11-30 23:59:59.999
    ana.statuses.set(d1, "done")
    clock.at(15 * 3600)  # 2026-12-01 00:00:00.000
    ana.statuses.set(d2, "done")
    bo.statuses.set(d1, "done")
    # Done, reopened, and done again two days later: counted on the later day only.
    clock.at(16 * 3600)
    ana.statuses.set(d3, "done")
    ana.statuses.set(d3, "in_progress")
    clock.at(63 * 3600)
    ana.statuses.set(d3, "done")
    # Done, then reopened: not counted.
    clock.at(64 * 3600)
    bo.statuses.set(d2, "done")
    bo.statuses.set(d2, "new")
    assert activity.done_per_period(ana) == {
        "ana": {"2026-11-30": 1, "2026-12-01": 1, "2026-12-03": 1},
        "bo": {"2026-12-01": 1},
    }
    assert activity.done_per_period(ana, "week") == {
        "ana": {"2026-W49": 3},
        "bo": {"2026-W49": 1},
    }
    # A document is done overall when the last of its analysts finished it.
    overall = activity.overall_done_times(ana)
    assert set(overall) == {d1, d3}  # bo has d2 new again: it is not done overall
    assert overall[d1] == "2026-12-01T00:00:00.000Z"
    # The same counted in SQL by time, as the figures count them.
    for period in ("day", "week"):
        counts = activity.done_by_period(ana, period, times=True)
        assert counts.overall == activity.count_by_period(overall.values(), period)
        assert counts.by_analyst == activity.done_per_period(ana, period)
        assert counts.times == activity.done_times(ana)
    left_out = activity.done_by_period(ana, leave_out=["bo"])
    assert (left_out.overall, left_out.by_analyst, left_out.times) == (
        {"2026-11-30": 1, "2026-12-03": 1},
        {"ana": {"2026-11-30": 1, "2026-12-01": 1, "2026-12-03": 1}},
        None,
    )


def test_a_status_set_for_another_analyst_is_theirs_and_its_time_the_setters(project, clock):
    ana, _, (d1, _, _) = project
    tag(ana, clock, 0, d1)
    clock.at(90)
    ana.statuses.set(d1, "done", annotator="cy")
    assert activity.done_times(ana) == {(d1, "cy"): "2026-11-30T09:01:30.000Z"}
    assert activity.active_times(ana) == {(d1, "ana"): 90.0}


def test_a_status_with_no_history_is_dated_by_its_own_row(tmp_path, clock):
    records = tmp_path / "done.jsonl"
    records.write_text(json.dumps({"text": TEXTS[0], "status": "done"}) + "\n")
    clock.at(3 * 86400)
    with Store(tmp_path / "p.db", "ana", clock=clock) as store:
        import_paths(store, [records])
        (key,) = activity.done_times(store)
        assert activity.done_per_period(store)["ana"] == {
            activity.period_of(activity.done_times(store)[key]): 1
        }


def test_the_annotator_export_writes_each_documents_lead_times(project, clock, tmp_path):
    ana, bo, (d1, d2, _) = project
    tag(ana, clock, 0, d1)
    tag(ana, clock, 12.5, d1)
    tag(bo, clock, 20, d1)
    tag(bo, clock, 21.25, d1)
    tag(ana, clock, 70, d2)
    out = tmp_path / "out.jsonl"
    export(ana, "annotator", out)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["lead_time"], r["lead_times"]) for r in records] == [
        (13.75, {"ana": 12.5, "bo": 1.25}),
        (0.0, {"ana": 0.0}),  # a lone change
        (0.0, {}),
    ]


def test_an_export_with_lead_times_imports_again_unchanged(project, clock, tmp_path):
    ana, _, (d1, _, _) = project
    tag(ana, clock, 0, d1)
    tag(ana, clock, 30, d1, 4, 12)
    first = tmp_path / "first.jsonl"
    export(ana, "annotator", first)
    with Store(tmp_path / "again.db", "ana") as again:
        report = import_paths(again, [first])
        assert not report.refused and report.documents_added == 3
        second = tmp_path / "second.jsonl"
        export(again, "annotator", second)
    a = [json.loads(line) for line in first.read_text().splitlines()]
    b = [json.loads(line) for line in second.read_text().splitlines()]
    # The spans come back; the lead time is not taken from the file (no work was done here).
    assert [[(s["start"], s["end"], s["label"]) for s in r["spans"]] for r in a] == [
        [(s["start"], s["end"], s["label"]) for s in r["spans"]] for r in b
    ]
    assert a[0]["lead_time"] == 30.0
    assert all(r["lead_time"] == 0.0 for r in b)


def test_merged_history_keeps_each_analysts_times(tmp_path, clock):
    from annotator.team.merge import merge_projects

    for who, offset in (("ana", 0), ("bo", 5)):
        with Store(tmp_path / f"{who}.db", who, clock=clock) as mine:
            with mine.transaction():
                doc = mine.documents.insert(text=TEXTS[0], text_hash=text_hash(TEXTS[0]), title="t")
            tag(mine, clock, offset, doc)
            tag(mine, clock, offset + 40 + offset, doc)
    with Store(tmp_path / "team.db", "lead") as team:
        merge_projects(team, [tmp_path / "ana.db", tmp_path / "bo.db"])
        assert activity.by_analyst(activity.active_times(team)) == {"ana": 40.0, "bo": 45.0}


def test_the_label_studio_export_gives_each_annotation_its_analysts_lead_time(
    project, clock, tmp_path
):
    ana, bo, (d1, d2, _) = project
    tag(ana, clock, 0, d1)
    tag(ana, clock, 12.5, d1)
    tag(bo, clock, 20, d1)
    tag(bo, clock, 21.25, d1)
    tag(ana, clock, 400, d2)
    tag(ana, clock, 1000, d2)  # after a break: 0 s
    out = tmp_path / "tasks.json"
    export(ana, "label-studio", out)
    tasks = json.loads(out.read_text())
    got = [
        sorted((a["result"][0]["meta"]["annotator"], a["lead_time"]) for a in t["annotations"])
        for t in tasks
    ]
    assert got == [[("ana", 12.5), ("bo", 1.25)], [("ana", 0.0)], []]


def test_a_single_analysts_documents_done_are_counted_overall_as_theirs(project, clock):
    ana, _, (d1, d2, d3) = project
    clock.at(3600)
    ana.statuses.set(d1, "done")
    ana.statuses.set(d2, "done")
    clock.at(30 * 3600)
    ana.statuses.set(d3, "done")
    counts = activity.done_by_period(ana)
    assert (
        counts.overall
        == activity.count_by_period(activity.overall_done_times(ana).values())
        == {"2026-11-30": 2, "2026-12-01": 1}
    )
    assert counts.by_analyst == {"ana": counts.overall}
    assert activity.done_by_period(ana, leave_out=["ana"]).overall == {}


def test_a_span_put_back_was_made_when_it_was_last_made(project, clock):
    ana, _, ids = project
    tag(ana, clock, 0, ids[0], 0, 3)
    clock.at(100)
    later = ana.spans.add(ids[0], 4, 7, "claim")
    ana.spans.delete(later.id)
    clock.at(0.2)  # put back (redo) with a clock set back: its latest making still counts
    ana.spans.restore(later)
    assert activity.spans_made(ana) == {"ana": {"tagged": 2, "curated": 0, "in_bulk": 0}}


class _CountingRows:
    """A connection that counts the rows its statements give to Python."""

    def __init__(self, conn) -> None:
        self._conn = conn
        self.rows = 0

    def execute(self, *args):
        return _Counted(self._conn.execute(*args), self)

    def __getattr__(self, name):
        return getattr(self._conn, name)


class _Counted:
    def __init__(self, cursor, counter: _CountingRows) -> None:
        self._cursor, self._counter = cursor, counter

    def __iter__(self):
        for row in self._cursor:
            self._counter.rows += 1
            yield row

    def fetchone(self):
        row = self._cursor.fetchone()
        self._counter.rows += row is not None
        return row

    def fetchall(self):
        return list(self)


def _rows_read_by_spans_made(path, spans: int) -> int:
    text = "word " * spans
    with Store(path, "ana") as store:
        doc = store.documents.insert(text=text, text_hash=text_hash(text), title="t")
        with store.transaction():
            for i in range(spans):
                store.spans.add(doc, 5 * i, 5 * i + 4, "claim")
        counter = _CountingRows(store.conn)
        store.conn = counter  # type: ignore[assignment]
        assert activity.spans_made(store)["ana"]["in_bulk"] == spans
        return counter.rows


def test_how_spans_were_made_is_read_in_a_few_rows_whatever_their_number(tmp_path):
    assert _rows_read_by_spans_made(tmp_path / "few.db", 3) == _rows_read_by_spans_made(
        tmp_path / "many.db", 300
    )


def test_done_counts_with_each_time_read_each_done_time_once(project, clock):
    ana, bo, (d1, d2, d3) = project
    for hours, store, doc in [(1, ana, d1), (2, bo, d1), (30, ana, d2), (31, bo, d2), (60, bo, d3)]:
        clock.at(hours * 3600)
        store.statuses.set(doc, "done")
    counter = _CountingRows(ana.conn)
    ana.conn = counter  # type: ignore[assignment]
    counts = activity.done_by_period(ana, times=True)
    assert counter.rows <= 5 + 3  # the five done times, and the three documents done overall
    assert counts.overall == {"2026-11-30": 1, "2026-12-01": 1, "2026-12-02": 1}
    assert counts.by_analyst == {
        "ana": {"2026-11-30": 1, "2026-12-01": 1},
        "bo": {"2026-11-30": 1, "2026-12-01": 1, "2026-12-02": 1},
    }
    assert len(counts.times or {}) == 5
    without_bo = activity.done_by_period(ana, leave_out=["bo"], times=True)
    assert without_bo.overall == {"2026-11-30": 1, "2026-12-01": 1}  # d3 was bo's alone
    assert set(without_bo.by_analyst) == {"ana"} and len(without_bo.times or {}) == 2
