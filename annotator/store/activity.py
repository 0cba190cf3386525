"""Active time: how long analysts worked on each document, read from the change history.

Every change to a document (a span made, moved, relabelled or deleted, a relation, a status, a
suggestion taken or turned down) is in the ``changes`` table with its time and analyst. An
analyst's active time on a document is the sum of the gaps between their consecutive changes
on that document, in time order; a gap longer than ``break_after`` seconds (300 by default)
is a break and counts nothing (no fixed allowance either: how much of a long gap was work,
nothing in the history says, and a figure that cannot be checked is not added). So:

- the first change on a document, and the first after a break, counts 0 s: nothing says how
  long the analyst read before it. A lone change is 0 s;
- a gap of exactly ``break_after`` still counts;
- two analysts on one document each have their own time, measured along their own changes;
- each document is measured on its own: an analyst who goes back and forth between two
  documents within a few minutes has that time counted on both, as it is time each
  document was open and being worked on.

Times are kept to the millisecond the history records. History entries that name no document
(an import, a label edited) take no part. Days are UTC days, as the history records UTC times.

Spans made one at a time are told apart from spans accepted many at once (:func:`spans_made`):
accepting every suggestion of a label, every agreed span or every span of a label from an
analyst writes one history entry per span, all within milliseconds, and ``curate --agreed``
writes no entry per span at all (one per document, ``curate_agreed``, with how many it put
in); a person making spans one at a time is never that quick. So a span whose entry is less
than ``TOGETHER`` seconds from another span of the same person's was made in one step with it.

Everything here is read with a few queries over the whole history, whatever the number of
documents: an export of 100,000 documents asks once.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from itertools import groupby
from statistics import median
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from annotator.store.project import Store

#: Seconds without a change after which an analyst is taken to have paused.
DEFAULT_BREAK = 300.0
PERIODS = ("day", "week")
#: Spans a person made less than this many seconds apart were made in one step (a bulk
#: accept), not one at a time: half a second is far above how long a bulk accept takes per
#: span, and far below how long a person takes to tag or accept the next span by hand.
TOGETHER = 0.5

# Timestamps have milliseconds; julianday differences carry a little float noise.
_NOISE = 0.0005

# A history time as whole milliseconds since 1970: SQLite keeps a time as whole milliseconds,
# which julianday gives as a fraction of a day; rounded back, they are exact (NULL if no time).
_MS = "CAST(round((julianday({at}) - 2440587.5) * 86400000.0) AS INTEGER)"

# Stands for "none" in a list of numbers (no document, no time): below every time there is.
_NONE = -(1 << 62)
_MAKING = "('add_span', 'restore_span', 'accept_suggestion')"

# The changes the figures read: to a document, or that made a span.
_READ = f"""
    document_id IS NOT NULL
    OR (span_id IS NOT NULL AND span_id != 0 AND action IN {_MAKING})"""

# In one scan of the history, in the order it was recorded: every change the figures read, as
# lists in one row (who, joined by SEPARATOR, with how many there are; the document, the time
# and the span made, or 0). A few hundred thousand changes are read as a few strings, not as
# rows.
_HISTORY = f"""
    SELECT group_concat(annotator, char(31)), count(*),
           group_concat(coalesce(document_id, {_NONE})), group_concat(coalesce(ms, {_NONE})),
           group_concat(made)
    FROM (SELECT annotator, document_id, {_MS.format(at="at")} AS ms,
                 CASE WHEN span_id IS NOT NULL AND action IN {_MAKING} THEN span_id ELSE 0 END
                     AS made
          FROM changes NOT INDEXED WHERE {_READ})"""

# Every entry that set a status to done, as [document, whose status, time, entry, time in
# ms], in one JSON array: a scan of its own, which takes half the time these entries take
# when they are picked out by the scan above.
_DONE_ENTRIES = f"""
    SELECT json_group_array(json_array(document_id,
               coalesce(json_extract(details, '$.of'), annotator), at, id, ms))
    FROM (SELECT document_id, details, annotator, at, id, {_MS.format(at="at")} AS ms
          FROM changes NOT INDEXED
          WHERE action = 'set_status' AND document_id IS NOT NULL
            AND json_extract(details, '$.after') = 'done')
    WHERE ms IS NOT NULL"""

# The names of the same changes as a JSON array, for when a name holds the separator.
_HISTORY_NAMES = f"SELECT json_group_array(annotator) FROM changes NOT INDEXED WHERE {_READ}"

SEPARATOR = "\x1f"  # char(31), which no name holds but by mistake


@dataclass
class History:
    """What the figures read from the change history, read once (:func:`history`):
    every change to a document or that made a span (``names``: who made the changes; then a
    row a change: ``who``, the place of its maker in ``names``; ``doc``; ``ms``, its time in
    milliseconds since 1970; ``made``, the span it made or 0; ``_NONE`` for no document or no
    time), and ``done``, the time of the last entry that set each (document, analyst) done."""

    names: list[str]
    who: np.ndarray
    doc: np.ndarray
    ms: np.ndarray
    made: np.ndarray
    done: dict[tuple[int, str], str]


def history(store: Store) -> History:
    """The history as :class:`History` holds it: two statements, two scans of the table."""
    import numpy as np

    done = store.conn.execute(_DONE_ENTRIES).fetchone()[0]
    names, rows, docs, times, made = store.conn.execute(_HISTORY).fetchone()
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return History([], empty, empty, empty, empty, _latest_done(done))
    who_names, who = name_codes(
        names, rows, lambda: store.conn.execute(_HISTORY_NAMES).fetchone()[0]
    )
    return History(who_names, who, numbers(docs), numbers(times), numbers(made), _latest_done(done))


def _latest_done(entries: str | None) -> dict[tuple[int, str], str]:
    """Of the entries that set a status done, the time of each (document, analyst)'s latest:
    the last in time, of two at one time the one recorded last."""
    latest: dict[tuple[int, str], tuple[int, int, str]] = {}
    for doc, who, at, entry, ms in json.loads(entries) if entries else ():
        key = (doc, who)
        known = latest.get(key)
        if known is None or (ms, entry) > known[:2]:
            latest[key] = (ms, entry, at)
    return {key: at for key, (_, _, at) in latest.items()}


def numbers(text: str) -> np.ndarray:
    """A list of integers SQLite's group_concat wrote, as an array."""
    import numpy as np

    return np.fromstring(text, dtype=np.int64, sep=",")


def name_codes(joined: str, rows: int, as_json: Callable[[], str]) -> tuple[list[str], np.ndarray]:
    """The names of ``rows`` rows, ``joined`` by SEPARATOR: each distinct one once, in order of
    first appearance, and each row's as its place among them. When the names do not split
    into ``rows`` (a name holds the separator), ``as_json`` gives them as a JSON array."""
    import numpy as np

    names = joined.split(SEPARATOR)
    if len(names) != rows:
        names = json.loads(as_json())
    # A name comes in runs (a person's changes or spans one after another): run by run.
    runs = [(name, len(list(same))) for name, same in groupby(names)]
    place: dict[str, int] = {}
    for name, _ in runs:
        place.setdefault(name, len(place))
    codes = np.repeat(
        np.array([place[name] for name, _ in runs], dtype=np.int64), [n for _, n in runs]
    )
    return list(place), codes


_DONE_IN_HISTORY = """
    SELECT document_id, who, at FROM (
        SELECT document_id, who, at, row_number() OVER (
            PARTITION BY document_id, who ORDER BY julianday(at) DESC, id DESC) AS latest
        FROM (SELECT document_id, id, at,
                     COALESCE(json_extract(details, '$.of'), annotator) AS who
              FROM changes NOT INDEXED
              WHERE action = 'set_status' AND document_id IS NOT NULL
                AND json_extract(details, '$.after') = 'done' AND julianday(at) IS NOT NULL)
    )
    WHERE latest = 1"""


def active_times(
    store: Store, *, break_after: float = DEFAULT_BREAK, read: History | None = None
) -> dict[tuple[int, str], float]:
    """Seconds of active time of each (document id, analyst) who changed that document.

    An analyst whose changes on a document were all first of their stretch has 0.0. One
    query over the history, whatever the size of the project (none when ``read`` is the
    history read already).
    """
    if not 0 <= break_after < math.inf:  # NaN too, which every comparison lets through
        raise ValueError("break_after is a finite number of seconds, 0 or more")
    import numpy as np

    read = history(store) if read is None else read
    names = read.names
    kept = (read.doc != _NONE) & (read.ms != _NONE)
    who, doc, ms = read.who[kept], read.doc[kept], read.ms[kept]
    if not len(doc):
        return {}
    # Every timeline sorted at once (by document, analyst, time), as arrays: each gap between
    # changes is then a difference of neighbours, exact in milliseconds.
    order = np.lexsort((ms, who, doc))
    doc, who, ms = doc[order], who[order], ms[order]
    same = (doc[1:] == doc[:-1]) & (who[1:] == who[:-1])
    gaps = np.diff(ms)
    counted = same & (gaps <= break_after * 1000.0 + _NOISE * 1000.0)
    first = np.flatnonzero(np.concatenate(([True], ~same)))
    timeline = np.cumsum(np.concatenate(([True], ~same))) - 1
    totals = np.bincount(timeline[1:][counted], weights=gaps[counted], minlength=len(first))
    # In the order each timeline's first change was recorded, as the rows came.
    arrival = np.minimum.reduceat(order, first)
    ranked = np.argsort(arrival)
    keys = zip(doc[first][ranked].tolist(), who[first][ranked].tolist(), strict=True)
    seconds = (totals[ranked].astype(np.int64) / 1000.0).tolist()
    return {(d, names[w]): s for (d, w), s in zip(keys, seconds, strict=True)}


# The ids of each person's spans in their own layer (manual) and the curated one, a row for
# each person and layer, read along the spans' tally index.
_MADE_BY = """
    SELECT annotator, origin = 'curated', group_concat(id) FROM spans
    WHERE origin IN ('manual', 'curated') GROUP BY annotator, origin"""


def spans_made(
    store: Store, *, together: float = TOGETHER, read: History | None = None
) -> dict[str, dict[str, int]]:
    """How each person's spans (those there now) were made, by name: ``tagged`` (in their own
    layer) and ``curated`` (in the curated layer) one at a time, and ``in_bulk``, either
    layer, made in one step with others (see the module's docstring). A curated span no
    history entry made was put in by ``curate --agreed``: in bulk. A span of the analyst's
    own that no entry made came with a file, and counts in neither.

    A span was made together with another when the one made just before or just after it by
    the same person was made less than ``together`` seconds away: each person's making times
    are sorted and compared with their neighbours, as arrays (faster than SQL's window
    functions, or a loop over rows, over a hundred thousand spans). ``read``: the history, when
    read already."""
    import numpy as np

    read = history(store) if read is None else read
    kept = (read.made != 0) & (read.ms != _NONE)
    made, at = read.made[kept], read.ms[kept]
    order = np.lexsort((at, made))  # by span, its latest making last
    made, at = made[order], at[order]
    latest = np.concatenate((made[1:] != made[:-1], [True])) if len(made) else made == 0
    made, at = made[latest], at[latest]
    out: dict[str, dict[str, int]] = {}
    made_by: dict[str, list[tuple[np.ndarray, bool]]] = {}
    for who, curated, ids in store.conn.execute(_MADE_BY):
        mine = out.setdefault(who, {"tagged": 0, "curated": 0, "in_bulk": 0})
        span = numbers(ids)
        place = np.minimum(np.searchsorted(made, span), max(len(made) - 1, 0))
        known = (made[place] == span) if len(made) else np.zeros(len(span), dtype=bool)
        if curated:  # put in by curate --agreed
            mine["in_bulk"] += int(len(span) - known.sum())
        made_by.setdefault(who, []).append((at[place[known]], bool(curated)))
    gap = (together - _NOISE) * 1000.0  # less than: exactly half a second apart is not
    for who, found in made_by.items():
        when = np.concatenate([times for times, _ in found])
        curated_ = np.concatenate([np.full(len(times), c) for times, c in found])
        order = np.argsort(when, kind="stable")
        when, curated_ = when[order], curated_[order]
        # each with the next: close[i] says whether the i-th and the next were made together
        close = np.diff(when) < gap
        bulk = np.concatenate(([False], close)) | np.concatenate((close, [False]))
        mine = out[who]
        mine["in_bulk"] += int(bulk.sum())
        mine["curated"] += int((~bulk & curated_).sum())
        mine["tagged"] += int((~bulk & ~curated_).sum())
    return {who: out[who] for who in sorted(out)}


def lead_times(store: Store, *, break_after: float = DEFAULT_BREAK) -> dict[tuple[int, str], float]:
    """What an export writes as each analyst's ``lead_time`` on a document: their active time
    (seconds, to the millisecond), by (document id, analyst)."""
    return active_times(store, break_after=break_after)


def by_document(times: Mapping[tuple[int, str], float]) -> dict[int, float]:
    """Each document's active time, every analyst's added up."""
    out: dict[int, float] = {}
    for (doc, _), seconds in times.items():
        out[doc] = out.get(doc, 0.0) + seconds
    return {doc: round(seconds, 3) for doc, seconds in out.items()}


def by_analyst(times: Mapping[tuple[int, str], float]) -> dict[str, float]:
    """Each analyst's active time over every document, by name."""
    out: dict[str, float] = {}
    for (_, who), seconds in times.items():
        out[who] = out.get(who, 0.0) + seconds
    return {who: round(out[who], 3) for who in sorted(out)}


def per_document_by_analyst(
    times: Mapping[tuple[int, str], float],
) -> dict[int, dict[str, float]]:
    """Document id → {analyst: seconds}, analysts by name: the export's ``lead_times``."""
    out: dict[int, dict[str, float]] = {}
    for (doc, who), seconds in sorted(times.items(), key=lambda item: item[0][1]):
        out.setdefault(doc, {})[who] = seconds
    return out


def median_time(per_document: Mapping[int, float]) -> float | None:
    """The median active time of the documents someone worked on; None when there are none."""
    return round(median(per_document.values()), 3) if per_document else None


def slowest(per_document: Mapping[int, float], count: int = 10) -> list[tuple[int, float]]:
    """The ``count`` documents with the most active time, most first (ties in project order)."""
    ranked = sorted(per_document.items(), key=lambda item: (-item[1], item[0]))
    return [(doc, seconds) for doc, seconds in ranked[:count] if seconds > 0]


# -- when documents were done ---------------------------------------------------------------


def done_times(store: Store, read: History | None = None) -> dict[tuple[int, str], str]:
    """When each analyst's document that is done now became done: (document id, analyst) →
    the time, as the history records it.

    The time is that of the last history entry that set the analyst's status to done. A status
    that came with an imported file, or from before the history kept statuses, has no such
    entry: its row's own time (when it was last set) stands in. ``read``: the history, when
    read already.
    """
    current = {
        (doc, who): at
        for doc, who, at in store.conn.execute(
            "SELECT document_id, annotator, updated_at FROM statuses WHERE status = 'done'"
        )
    }
    if read is None:
        recorded = {(doc, who): at for doc, who, at in store.conn.execute(_DONE_IN_HISTORY)}
    else:
        recorded = read.done
    return {key: recorded.get(key, at) for key, at in current.items()}


# When each analyst's document that is done now became done: the last history entry that set
# it done, else the status row's own time (as done_times says); ?1: analysts left out (JSON).
_DONE_AT = f"""
    SELECT s.document_id AS document, s.annotator AS who, coalesce(h.at, s.updated_at) AS at
    FROM statuses s LEFT JOIN ({_DONE_IN_HISTORY}) h
        ON h.document_id = s.document_id AND h.who = s.annotator
    WHERE s.status = 'done' AND s.annotator NOT IN (SELECT value FROM json_each(?1))"""

# What the figures count of documents done, in one statement that reads the history once:
# each analyst's done times, counted by time ('who'); the documents done overall whose
# analysts finished them at one time (every document of one analyst), counted by that time
# ('alone'); and the others with each of their analysts' times ('doc').
_DONE_COUNTS = f"""
    WITH done AS MATERIALIZED ({_DONE_AT}),
    per AS MATERIALIZED (
        SELECT d.document, min(d.at) = max(d.at) AS alone, min(d.at) AS at FROM done d
        WHERE d.document IN (SELECT id FROM documents WHERE status = 'done')
        GROUP BY d.document)
    SELECT 'who', who, at, count(*), NULL FROM done GROUP BY who, at
    UNION ALL
    SELECT 'alone', NULL, at, count(*), NULL FROM per WHERE alone GROUP BY at
    UNION ALL
    SELECT 'doc', NULL, d.at, NULL, d.document FROM per p JOIN done d ON d.document = p.document
    WHERE NOT p.alone"""


@dataclass
class DoneCounts:
    """How many documents became done in each period, periods in order: ``overall`` (as
    :func:`overall_done_times` has them) and ``by_analyst``, by name (as
    :func:`done_per_period`); and, when asked for, each analyst's done ``times`` (as
    :func:`done_times`)."""

    overall: dict[str, int]
    by_analyst: dict[str, dict[str, int]]
    times: dict[tuple[int, str], str] | None = None


def done_by_period(
    store: Store,
    period: str = "day",
    leave_out: Iterable[str] = (),
    *,
    times: bool = False,
    read: History | None = None,
) -> DoneCounts:
    """The documents done, counted by period, ``leave_out``'s statuses left out (with
    ``times``, each done time too, and the counts made from them, the history's entries
    taken from ``read`` when given). Without ``times``, counted in SQL by time first, so that
    a million statuses set at one time (by an import) are one row here, not a million."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    skip = json.dumps(sorted(leave_out))
    if times:
        return _done_with_times(store, period, skip, read)
    by_analyst: dict[str, dict[str, int]] = {}
    overall: dict[str, int] = {}
    latest: dict[int, tuple[datetime, str]] = {}

    def count(into: dict[str, int], at: str, n: int) -> None:
        key = period_of(at, period)
        if key is not None:
            into[key] = into.get(key, 0) + n

    # With one status a document at most (every project of one analyst), a document done
    # overall is its analyst's: the overall counts are the analysts' own, added up.
    alone = (
        store.conn.execute(
            "SELECT 1 FROM statuses GROUP BY document_id HAVING count(*) > 1 LIMIT 1"
        ).fetchone()
        is None
    )
    if alone:
        rows = store.conn.execute(
            f"SELECT 'who', who, at, count(*), NULL FROM ({_DONE_AT}) GROUP BY who, at", (skip,)
        )
    else:
        rows = store.conn.execute(_DONE_COUNTS, (skip,))
    for kind, who, at, n, doc in rows:
        if kind == "who":
            count(by_analyst.setdefault(who, {}), at, n)
        elif kind == "alone":
            count(overall, at, n)
        else:
            when = parse_time(at)
            if when is not None and (doc not in latest or when > latest[doc][0]):
                latest[doc] = (when, at)
    for _, at in latest.values():
        count(overall, at, 1)
    if alone:
        for mine in by_analyst.values():
            for key, n in mine.items():
                overall[key] = overall.get(key, 0) + n
    return _in_order(overall, by_analyst)


# The statuses that are done now, but for those of the analysts left out (?1, JSON).
_DONE_NOW = """
    SELECT document_id, annotator, updated_at FROM statuses
    WHERE status = 'done' AND annotator NOT IN (SELECT value FROM json_each(?1))"""


def _done_with_times(store: Store, period: str, skip: str, read: History | None) -> DoneCounts:
    """:func:`done_by_period` with each done time: every time is read anyway, so the counts
    are made from them here (a document done overall in the period of the latest of its
    analysts' times), without SQL counting them again."""
    each: dict[tuple[int, str], str] = {}
    by_analyst: dict[str, dict[str, int]] = {}
    latest: dict[int, tuple[datetime, str]] = {}
    rows: Iterable[tuple[int, str, str]]
    if read is None:
        rows = store.conn.execute(_DONE_AT, (skip,))
    else:  # as _DONE_AT has them: the last entry that set the status done, else its own time
        recorded = read.done
        rows = (
            (doc, who, recorded.get((doc, who), at))
            for doc, who, at in store.conn.execute(_DONE_NOW, (skip,))
        )
    for doc, who, at in rows:
        each[(doc, who)] = at
        mine = by_analyst.setdefault(who, {})
        key = period_of(at, period)
        if key is None:
            continue
        mine[key] = mine.get(key, 0) + 1
        when = parse_time(at)
        assert when is not None  # it has a period
        if doc not in latest or when > latest[doc][0]:
            latest[doc] = (when, key)
    overall: dict[str, int] = {}
    for (doc,) in store.conn.execute("SELECT id FROM documents WHERE status = 'done'"):
        if doc in latest:
            key = latest[doc][1]
            overall[key] = overall.get(key, 0) + 1
    return _in_order(overall, by_analyst, each)


def _in_order(
    overall: dict[str, int],
    by_analyst: dict[str, dict[str, int]],
    times: dict[tuple[int, str], str] | None = None,
) -> DoneCounts:
    """The counts with their periods, and the analysts, in order."""
    return DoneCounts(
        dict(sorted(overall.items())),
        {who: dict(sorted(by_analyst[who].items())) for who in sorted(by_analyst)},
        times,
    )


def overall_done_times(
    store: Store, done: Mapping[tuple[int, str], str] | None = None
) -> dict[int, str]:
    """When each document whose overall status is done became so: the latest of its analysts'
    done times (the last of them to finish)."""
    done = done_times(store) if done is None else done
    finished = {r[0] for r in store.conn.execute("SELECT id FROM documents WHERE status = 'done'")}
    latest: dict[int, tuple[datetime, str]] = {}
    for (doc, _), at in done.items():
        when = parse_time(at)
        if doc not in finished or when is None:
            continue
        if doc not in latest or when > latest[doc][0]:
            latest[doc] = (when, at)
    return {doc: at for doc, (_, at) in latest.items()}


@lru_cache(maxsize=1 << 16)  # a project's statuses often share their times (an import's)
def parse_time(at: str) -> datetime | None:
    """A history time as an aware UTC datetime: ISO 8601 with "Z" or an offset (a time without
    one is taken as UTC, as every time annotator writes is). None when it is not a time."""
    text = at.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)


@lru_cache(maxsize=1 << 16)
def period_of(at: str, period: str = "day") -> str | None:
    """The UTC day ("2026-11-30") or ISO week ("2026-W48") a history time falls in."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    when = parse_time(at)
    if when is None:
        return None
    return period_key(when.date(), period)


def period_key(day: date, period: str) -> str:
    if period == "day":
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def count_by_period(times: Iterable[str], period: str = "day") -> dict[str, int]:
    """How many of ``times`` fall in each period, periods in order (empty ones left out)."""
    out: dict[str, int] = {}
    for at in times:
        key = period_of(at, period)
        if key is not None:
            out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))


def done_per_period(
    store: Store, period: str = "day", done: Mapping[tuple[int, str], str] | None = None
) -> dict[str, dict[str, int]]:
    """Each analyst's documents done, counted by the period they became done, by name."""
    done = done_times(store) if done is None else done
    times: dict[str, list[str]] = {}
    for (_, who), at in done.items():
        times.setdefault(who, []).append(at)
    return {who: count_by_period(times[who], period) for who in sorted(times)}


def format_seconds(seconds: float | None) -> str:
    """A duration as people read it: "2.5 s", "45 s", "12 min 5 s", "5 min", "3 h 07 min",
    "3 h"; "–" for None. Under ten seconds a tenth is shown, as the history has the
    millisecond; above, what a person would say."""
    if seconds is None:
        return "–"
    whole = int(round(seconds))
    if whole < 60:
        tenths = round(seconds, 1)
        return f"{tenths:.1f} s" if seconds < 10 and tenths != whole else f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours:,} h {minutes:02d} min" if minutes else f"{hours:,} h"
