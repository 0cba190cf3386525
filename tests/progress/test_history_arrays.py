"""The figures made from the history with arrays, in one scan of it, are those of the plain loops
they replace, figure for figure: on a team's random history made at chosen times (changes
a few milliseconds, half a second and minutes apart, spans deleted and put back, curated
spans, statuses set for a colleague, times with an offset, a time that is none)."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from annotator.cli.main import cli
from annotator.model import text_hash
from annotator.progress import statistics
from annotator.store import activity
from annotator.store.project import Store
from annotator.team.agreement import Tally, add_spans
from annotator.team.curation import curate_agreed
from annotator.team.layers import layers_by_document

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
TEXT = "The council voted. “We won,” said Ana. Taxes rise. The mayor resigned on Monday."


class Clock:
    """The time a store records, moved on by hand."""

    def __init__(self) -> None:
        self.now = START

    def wait(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def __call__(self) -> str:
        return self.now.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def team(path, seed: int) -> Store:
    """Three analysts' work on 30 documents over a few days, then the agreed spans curated."""
    rng = random.Random(seed)
    clock = Clock()
    with Store(path, "lead", clock=clock) as store, store.transaction():
        docs = [
            store.documents.insert(
                text=f"{n}. {TEXT}", text_hash=text_hash(f"{n}. {TEXT}"), title=f"Article {n}"
            )
            for n in range(30)
        ]
    store = Store(path, "lead", clock=clock)
    for who in ("ana", "bo", "cy"):
        store.annotator = who
        for doc in docs:
            assert doc is not None
            clock.wait(rng.choice([0.003, 0.2, 0.4995, 0.5, 0.6, 30, 299.9995, 300, 301, 4000]))
            for _ in range(rng.randrange(5)):
                clock.wait(rng.choice([0.0, 0.001, 0.3, 0.5, 2, 45, 299.5, 900]))
                start = rng.randrange(30)
                label = rng.choice(["claim", "quote"])
                span = store.spans.add(doc, start, start + rng.randrange(1, 20), label)
                if rng.random() < 0.15:  # deleted, then put back
                    clock.wait(rng.choice([0.2, 5]))
                    store.spans.delete(span.id)
                    clock.wait(rng.choice([0.2, 5]))
                    store.spans.restore(span)
            agreed = doc in docs[:5]  # the same span by all, done: the curated layer's
            if agreed:
                store.spans.add(doc, 0, 2, "claim")
            if agreed or rng.random() < 0.85:
                clock.wait(rng.choice([0.1, 10, 200, 86400]))
                store.statuses.set(doc, "done")
                if not agreed and rng.random() < 0.2:  # undone, then done again later
                    clock.wait(50)
                    store.statuses.set(doc, "in_progress")
                    clock.wait(rng.choice([50, 86400 * 3]))
                    store.statuses.set(doc, "done")
        if who == "cy":  # a status set for a colleague: the history names whose it was
            clock.wait(7)
            store.statuses.set(docs[0], "done", annotator="bo")
    clock.wait(3600)
    store.annotator = "lead"
    curate_agreed(store)
    # Times written elsewhere: with an offset, one a moment after a colleague's, and none.
    with store.transaction():
        for at in ("2026-03-05T10:00:00.250+02:00", "2026-03-05T08:00:00.250Z", "whenever"):
            store.conn.execute(
                "INSERT INTO changes (at, annotator, action, document_id, details)"
                " VALUES (?, 'bo', 'set_note', ?, '{}')",
                (at, docs[3]),
            )
    return store


# -- the loops the arrays replaced, as they were ---------------------------------------------


def active_times_by_loops(store: Store, break_after: float) -> dict[tuple[int, str], float]:
    timelines: dict[tuple[int, str], list[float]] = {}
    for who, day, doc in store.conn.execute(
        "SELECT annotator, day, document_id FROM (SELECT annotator, julianday(at) AS day,"
        " document_id FROM changes WHERE document_id IS NOT NULL ORDER BY id)"
        " WHERE day IS NOT NULL"
    ):
        timelines.setdefault((doc, who), []).append(day)
    limit = (break_after + 0.0005) / 86400.0
    out = {}
    for key, timeline in timelines.items():
        timeline.sort()
        total, previous = 0.0, timeline[0]
        for day in timeline:
            gap, previous = day - previous, day
            if gap <= limit:
                total += gap
        out[key] = round(total * 86400.0, 3)
    return out


def spans_made_by_loops(store: Store, together: float) -> dict[str, dict[str, int]]:
    ids, times = (
        json.loads(column)
        for column in store.conn.execute(
            "SELECT json_group_array(span_id), json_group_array((day - 2440587.5) * 86400000.0)"
            " FROM (SELECT span_id, julianday(at) AS day FROM changes WHERE span_id IS NOT NULL"
            " AND action IN ('add_span', 'restore_span', 'accept_suggestion'))"
            " WHERE day IS NOT NULL"
        ).fetchone()
    )
    made: dict[int, float] = {}
    for span, at in zip(ids, times, strict=True):
        made[span] = max(made.get(span, at), at)
    out: dict[str, dict[str, int]] = {}
    made_by: dict[str, list[tuple[float, bool]]] = {}
    for who, curated, spans in store.conn.execute(
        "SELECT annotator, origin = 'curated', json_group_array(id) FROM spans"
        " WHERE origin IN ('manual', 'curated') GROUP BY annotator, origin"
    ):
        mine = out.setdefault(who, {"tagged": 0, "curated": 0, "in_bulk": 0})
        known = [made.get(span) for span in json.loads(spans)]
        found = [(at, bool(curated)) for at in known if at is not None]
        if curated:
            mine["in_bulk"] += len(known) - len(found)
        made_by.setdefault(who, []).extend(found)
    gap = (together - 0.0005) * 1000.0
    for who, found in made_by.items():
        if not found:  # the loops failed here (a curator of curate --agreed alone)
            continue
        found.sort()
        close = [b[0] - a[0] < gap for a, b in zip(found, found[1:], strict=False)]
        bulks = map(bool.__or__, [False, *close], [*close, False])
        for (_, curated), bulk in zip(found, bulks, strict=True):
            key = "in_bulk" if bulk else "curated" if curated else "tagged"
            out[who][key] += 1
    return {who: out[who] for who in sorted(out)}


def points_by_loops(store: Store, period: str, done: dict) -> list[dict]:
    """agreement_over_time, each document of each pair in Python."""
    by_analyst: dict[str, dict[int, str]] = {}
    for (doc, who), at in done.items():
        by_analyst.setdefault(who, {})[doc] = at
    labels = [lab.name for lab in store.labels.all()]
    layers = layers_by_document(store, set(labels))
    analysts = sorted(set(layers) | set(by_analyst))
    out = []
    for i, a in enumerate(analysts):
        for b in analysts[i + 1 :]:
            mine, theirs = by_analyst.get(a, {}), by_analyst.get(b, {})
            arrivals: dict[str, list[int]] = {}
            for doc in sorted(mine.keys() & theirs.keys()):
                later = max((mine[doc], theirs[doc]), key=statistics._instant)
                key = activity.period_of(later, period)
                if key is not None:
                    arrivals.setdefault(key, []).append(doc)
            points = statistics._points(arrivals, labels, layers.get(a, {}), layers.get(b, {}))
            out.append({"a": a, "b": b, "points": points})
    return out


# -- the comparisons -------------------------------------------------------------------------


@pytest.fixture(scope="module", params=[1, 2])
def project(request, tmp_path_factory):
    store = team(tmp_path_factory.mktemp("team") / "team.db", request.param)
    yield store
    store.close()


@pytest.mark.parametrize("break_after", [0.0, 0.5, 2.0, 45.0, 299.5, 300.0, 1000.25])
def test_active_times_are_those_of_the_loops(project, break_after):
    expected = active_times_by_loops(project, break_after)
    got = activity.active_times(project, break_after=break_after)
    assert got == expected
    assert list(got) == list(expected)  # in the order the loops made them, too
    assert any(seconds > 0 for seconds in got.values()) or break_after < 1


@pytest.mark.parametrize("together", [0.0, 0.3, 0.5, 2.0, 60.0])
def test_spans_made_are_those_of_the_loops(project, together):
    got = activity.spans_made(project, together=together)
    assert got == spans_made_by_loops(project, together)
    assert sum(c["tagged"] for c in got.values())
    assert sum(c["in_bulk"] for c in got.values()) or together < 0.5


@pytest.mark.parametrize("period", ["day", "week"])
def test_done_counts_from_the_history_read_once_are_those_read_apart(project, period):
    read = activity.history(project)
    apart = activity.done_by_period(project, period, ["lead"], times=True)
    once = activity.done_by_period(project, period, ["lead"], times=True, read=read)
    assert once == apart
    assert activity.done_times(project, read) == activity.done_times(project)


@pytest.mark.parametrize("period", ["day", "week"])
def test_agreement_over_time_is_that_of_the_loops(project, period):
    done = activity.done_times(project)
    got = statistics.agreement_over_time(project, period, done)
    assert got == points_by_loops(project, period, done)
    assert len(got) == 3 and all(pair["points"] for pair in got)


def test_the_figures_are_the_same_with_the_arrays_or_the_loops(project, monkeypatch):
    figures = statistics.figures(project)
    monkeypatch.setattr(
        activity, "active_times", lambda store, *, break_after, read: active_times_by_loops(
            store, break_after
        )
    )  # fmt: skip
    monkeypatch.setattr(activity, "spans_made", lambda store, read: spans_made_by_loops(store, 0.5))
    monkeypatch.setattr(statistics, "running_tallies", lambda *args: None)  # Python's points
    assert statistics.figures(project) == figures


def test_tallies_of_the_loops_agree_with_add_spans():
    """The reference above counts as agreement.py does: spans, matches and overlaps."""
    so_far = {"claim": Tally()}
    add_spans(so_far, {"claim": [(0, 5), (3, 9)]}, {"claim": [(0, 5), (8, 12)]})
    assert so_far["claim"] == Tally(a_spans=2, b_spans=2, exact=1, a_overlapping=2,
                                    b_overlapping=2)  # fmt: skip


def test_stats_count_a_curator_who_only_curated_agreed_spans(tmp_path):
    """curate --agreed writes no history entry a span: its curator made nothing one at a time,
    and every curated span in bulk (``stats`` failed with a traceback here)."""
    path = tmp_path / "team.db"
    team(path, 1).close()
    result = CliRunner().invoke(cli, ["--db", str(path), "stats", "--json"])
    assert result.exit_code == 0, result.output
    lead = json.loads(result.output)["spans_per_hour"]["lead"]
    assert (lead["tagged"], lead["curated"], lead["in_bulk"]) == (0, 0, 5)
    assert lead["spans_per_hour"] is None


def test_a_name_holding_the_separator_is_read_whole(tmp_path):
    """Names are read joined by char(31); one that holds it is read again, whole."""
    store = team(tmp_path / "team.db", 3)
    odd = "x\x1fy"
    with store.transaction():
        for at in ("2026-03-09T10:00:00.000Z", "2026-03-09T10:01:00.000Z"):
            store.conn.execute(
                "INSERT INTO changes (at, annotator, action, document_id, details)"
                " VALUES (?, ?, 'set_note', 1, '{}')",
                (at, odd),
            )
    got = activity.active_times(store)
    assert got[(1, odd)] == 60.0
    assert got == active_times_by_loops(store, activity.DEFAULT_BREAK)
    store.close()


def test_name_codes_number_each_name_in_order_of_first_appearance():
    names, codes = activity.name_codes("bo\x1fbo\x1fana\x1fbo\x1f", 5, lambda: "[]")
    assert names == ["bo", "ana", ""]
    assert codes.tolist() == [0, 0, 1, 0, 2]
    names, codes = activity.name_codes("a\x1fb", 1, lambda: '["a\\u001fb"]')
    assert (names, codes.tolist()) == (["a\x1fb"], [0])
