"""Each analyst scored against gold: their spans (the prediction) against the curated layer
(the reference) on the gold documents they marked done, per label and for all labels, and per
period by when they marked each one done, so that a lead sees whether an analyst improves.

The counts are :func:`annotator.team.agreement.tally`'s, the analyst as A and gold as B:

- exact precision = m / |A|, exact recall = m / |B|, exact F1 = 2·m / (|A| + |B|) (their
  harmonic mean, as ``agreement`` measures exact F1), m the spans with the same start, end
  and label in both;
- overlap precision = a / |A|, the analyst's spans sharing a character with a gold span of the
  label; overlap recall = b / |B|, the gold spans sharing one with one of the analyst's;
  overlap F1 their harmonic mean.

A precision is None when the analyst has no span, a recall when gold has none, an F1 when
neither has (when only one has, it is 0).

Relations are scored alike, per relation type and for all types, on the same documents: the
analyst's relations (both ends their own spans) against the curated layer's.

- exact: a relation matches a gold relation of its type whose head and child have the same
  start, end and label as its own head and child; m the matches, each gold relation matched
  at most once (the counts' minimum, relation by relation);
- overlap: a relation fits a gold relation of its type when its head shares a character with
  the gold head and has its label, and its child likewise with the gold child; k is the most
  pairs that can be matched with each relation on either side in one pair at most (a maximum
  matching, so two of the analyst's relations on one gold relation count once).

Precision m / |A| (k / |A|), recall m / |B| (k / |B|), F1 2·m / (|A| + |B|) (2·k / (|A| + |B|),
their harmonic mean), None and 0 as for spans.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from annotator.model import LabelError
from annotator.store import activity
from annotator.store.project import Store
from annotator.team.agreement import Tally, tally
from annotator.team.gold import GoldError, gold_ids

#: The periods scores are followed by: UTC day, ISO week, calendar month.
PERIODS = ("day", "week", "month")
Spans = dict[tuple[int, str], list[tuple[int, int]]]  # (document, label) -> (start, end)
End = tuple[int, int, str]  # a relation's end: start, end, label
Ends = tuple[End, End]  # head, child
Links = dict[tuple[int, str], list[Ends]]  # (document, relation type) -> its relations' ends


def figures(t: Tally) -> dict[str, Any]:
    """Precision, recall and F1, exact and overlapping, with the counts they come from."""
    exact_p = t.exact / t.a_spans if t.a_spans else None
    exact_r = t.exact / t.b_spans if t.b_spans else None
    overlap_p = t.a_overlapping / t.a_spans if t.a_spans else None
    overlap_r = t.b_overlapping / t.b_spans if t.b_spans else None
    return {
        "analyst_spans": t.a_spans,
        "gold_spans": t.b_spans,
        "exact_matches": t.exact,
        "exact_precision": exact_p,
        "exact_recall": exact_r,
        "exact_f1": t.exact_f1,
        "analyst_overlapping": t.a_overlapping,
        "gold_overlapping": t.b_overlapping,
        "overlap_precision": overlap_p,
        "overlap_recall": overlap_r,
        "overlap_f1": _harmonic(overlap_p, overlap_r, t.a_spans + t.b_spans),
    }


def _harmonic(p: float | None, r: float | None, spans: int) -> float | None:
    if not spans:
        return None
    if not p or not r:  # one side has no span, or nothing overlaps
        return 0.0
    return 2 * p * r / (p + r)


@dataclass
class RelationTally:
    """The counts one relation type's figures are made from (they add up across types)."""

    analyst: int = 0  # |A|
    gold: int = 0  # |B|
    exact: int = 0  # m
    overlap: int = 0  # k

    def __iadd__(self, other: RelationTally) -> RelationTally:
        self.analyst += other.analyst
        self.gold += other.gold
        self.exact += other.exact
        self.overlap += other.overlap
        return self


T = TypeVar("T", Tally, RelationTally)  # the counts of a label, or of a relation type


def relation_figures(t: RelationTally) -> dict[str, Any]:
    """Precision, recall and F1 of relations, exact and overlapping, with their counts."""
    total = t.analyst + t.gold

    def ratio(matched: int, of: int) -> float | None:
        return matched / of if of else None

    return {
        "analyst_relations": t.analyst,
        "gold_relations": t.gold,
        "exact_matches": t.exact,
        "exact_precision": ratio(t.exact, t.analyst),
        "exact_recall": ratio(t.exact, t.gold),
        "exact_f1": ratio(2 * t.exact, total),
        "overlap_matches": t.overlap,
        "overlap_precision": ratio(t.overlap, t.analyst),
        "overlap_recall": ratio(t.overlap, t.gold),
        "overlap_f1": ratio(2 * t.overlap, total),
    }


def relation_tally(mine: Sequence[Ends], gold: Sequence[Ends]) -> RelationTally:
    """One relation type in one document: the analyst's relations against gold's."""
    if not mine or not gold:
        return RelationTally(len(mine), len(gold))
    exact = sum((Counter(mine) & Counter(gold)).values())
    fits = [
        [j for j, theirs in enumerate(gold) if _touch(m[0], theirs[0]) and _touch(m[1], theirs[1])]
        for m in mine
    ]
    return RelationTally(len(mine), len(gold), exact, most_matched(fits))


def _touch(a: End, b: End) -> bool:
    return a[2] == b[2] and max(a[0], b[0]) < min(a[1], b[1])


def most_matched(fits: Sequence[Sequence[int]]) -> int:
    """The size of a maximum matching, ``fits[i]`` the gold relations relation ``i`` may be
    matched to: each one's path to a free gold relation is looked for breadth first (no
    recursion, however many relations a document holds)."""
    owner: dict[int, int] = {}  # gold relation -> the analyst's relation matched to it
    holds: dict[int, int] = {}  # the analyst's relation -> its gold relation
    for start in range(len(fits)):
        came_from: dict[int, int] = {}
        queue = deque([start])
        free: int | None = None
        while queue and free is None:
            i = queue.popleft()
            for j in fits[i]:
                if j in came_from:
                    continue
                came_from[j] = i
                if j not in owner:
                    free = j
                    break
                queue.append(owner[j])
        while free is not None:  # along the path back, each takes the next one's
            i = came_from[free]
            before = holds.get(i)
            owner[free], holds[i] = i, free
            free = before
    return len(holds)


def period_of(at: str, by: str) -> str | None:
    """The period a history time falls in: "2026-11-30", "2026-W49" or "2026-11"."""
    if by not in PERIODS:
        raise GoldError(f"--by must be one of {', '.join(PERIODS)}, not {by!r}")
    if by == "month":
        when = activity.parse_time(at)
        return None if when is None else f"{when.year:04d}-{when.month:02d}"
    return activity.period_of(at, by)


@dataclass
class Period:
    """An analyst's gold documents done in one period, and their figures over them alone."""

    period: str
    documents: list[int]
    labels: dict[str, Tally]
    all: Tally
    relations: dict[str, RelationTally] = field(default_factory=dict)
    relations_all: RelationTally = field(default_factory=RelationTally)


@dataclass
class AnalystScore:
    analyst: str
    documents: list[int]  # gold documents they marked done
    given: int  # gold documents given to them in packets
    labels: dict[str, Tally]
    all: Tally
    periods: list[Period] = field(default_factory=list)
    relations: dict[str, RelationTally] = field(default_factory=dict)
    relations_all: RelationTally = field(default_factory=RelationTally)


@dataclass
class GoldReport:
    by: str
    gold: int  # gold documents in the project
    labels: list[str]
    analysts: list[AnalystScore]
    relation_types: list[str] = field(default_factory=list)

    def to_json(self, digits: int | None = None) -> dict[str, Any]:
        """The figures (rounded to ``digits`` places when given)."""

        def shown(t: Tally | RelationTally) -> dict[str, Any]:
            out = relation_figures(t) if isinstance(t, RelationTally) else figures(t)
            if digits is not None:
                out = {k: _round(v, digits) for k, v in out.items()}
            return out

        def linked(types: Mapping[str, RelationTally], every: RelationTally) -> dict[str, Any]:
            return {"types": {name: shown(t) for name, t in types.items()}, "all": shown(every)}

        return {
            "against": "gold",
            "by": self.by,
            "gold_documents": self.gold,
            "labels": self.labels,
            "relation_types": self.relation_types,
            "analysts": [
                {
                    "analyst": a.analyst,
                    "documents": len(a.documents),
                    "given": a.given,
                    "labels": {name: shown(t) for name, t in a.labels.items()},
                    "all": shown(a.all),
                    "relations": linked(a.relations, a.relations_all),
                    "over_time": [
                        {
                            "period": p.period,
                            "documents": len(p.documents),
                            "all": shown(p.all),
                            "labels": {name: shown(t) for name, t in p.labels.items()},
                            "relations": linked(p.relations, p.relations_all),
                        }
                        for p in a.periods
                    ],
                }
                for a in self.analysts
            ],
        }


def _round(value: Any, digits: int) -> Any:
    return round(value, digits) if isinstance(value, float) else value


def chosen_labels(store: Store, wanted: Sequence[str] | None) -> list[str]:
    """The project's labels, or those asked for (an unknown one is refused)."""
    names = [lab.name for lab in store.labels.all()]
    unknown = [w for w in wanted or () if w not in names]
    if unknown:
        raise LabelError(f"unknown label {unknown[0]!r}; this project has {', '.join(names)}")
    return list(dict.fromkeys(wanted)) if wanted else names


def score(store: Store, labels: Sequence[str] | None = None, *, by: str = "week") -> GoldReport:
    """Every analyst who marked a gold document done (or was given one) against gold."""
    if by not in PERIODS:
        raise GoldError(f"--by must be one of {', '.join(PERIODS)}, not {by!r}")
    chosen = chosen_labels(store, labels)
    gold = gold_ids(store.conn)
    types = [kind.name for kind in store.relation_types.all()]
    report = GoldReport(by, len(gold), chosen, [], types)
    if not gold:
        return report
    mine = _spans(store, "IN ('manual', 'imported')", chosen)[0]
    linked = _links(store, "IN ('manual', 'imported')")[0]
    reference = _Reference(
        spans=_spans(store, "= 'curated'", chosen)[1],
        links=_links(store, "= 'curated'")[1],
        size={doc: len(store.documents.text(doc)) for doc in gold},
        labels=chosen,
        types=types,
    )
    done = _done(store, gold)
    given = dict(
        store.conn.execute(
            "SELECT analyst, count(*) FROM gold_given WHERE document_id IN"
            " (SELECT document_id FROM gold) GROUP BY analyst"
        )
    )
    curators = _curators_only(store, set(done))
    for who in sorted((set(done) - curators) | set(given)):
        scored = _score_one(
            who, done.get(who, {}), mine.get(who, {}), linked.get(who, {}), reference, by
        )
        scored.given = int(given.get(who, 0))
        report.analysts.append(scored)
    return report


@dataclass(frozen=True)
class _Reference:
    """What every analyst is scored against: gold's spans and relations, the documents'
    lengths, and the labels and relation types scored."""

    spans: Spans
    links: Links
    size: Mapping[int, int]
    labels: Sequence[str]
    types: Sequence[str]


def _score_one(
    who: str,
    finished: Mapping[int, str],
    theirs: Spans,
    linked: Links,
    gold: _Reference,
    by: str,
) -> AnalystScore:
    """One analyst over the gold documents they marked done (``finished``: when)."""
    documents = sorted(finished)
    spans = {
        doc: {
            label: tally(
                gold.size[doc], theirs.get((doc, label), []), gold.spans.get((doc, label), [])
            )
            for label in gold.labels
        }
        for doc in documents
    }
    links = {
        doc: {
            kind: relation_tally(linked.get((doc, kind), []), gold.links.get((doc, kind), []))
            for kind in gold.types
        }
        for doc in documents
    }
    score = AnalystScore(who, documents, 0, *_sums(spans, documents, gold.labels, Tally))
    score.relations, score.relations_all = _sums(links, documents, gold.types, RelationTally)
    periods: dict[str, list[int]] = {}
    for doc in documents:
        key = period_of(finished[doc], by)
        if key is not None:
            periods.setdefault(key, []).append(doc)
    for key in sorted(periods):
        period = Period(key, periods[key], *_sums(spans, periods[key], gold.labels, Tally))
        period.relations, period.relations_all = _sums(
            links, periods[key], gold.types, RelationTally
        )
        score.periods.append(period)
    return score


def _sums(
    per_document: Mapping[int, Mapping[str, T]],
    documents: Sequence[int],
    names: Sequence[str],
    zero: Callable[[], T],
) -> tuple[dict[str, T], T]:
    """The counts of ``documents`` added up per label (or relation type), and over all."""
    per_name = {name: zero() for name in names}
    for doc in documents:
        for name in names:
            per_name[name] += per_document[doc][name]
    overall = zero()
    for t in per_name.values():
        overall += t
    return per_name, overall


def _spans(store: Store, origin: str, labels: Sequence[str]) -> tuple[dict[str, Spans], Spans]:
    """The spans of ``origin`` on the gold documents, of the chosen labels: by analyst, and
    all together."""
    by_analyst: dict[str, Spans] = {}
    together: Spans = {}
    for who, doc, start, end, label in store.conn.execute(
        'SELECT s.annotator, s.document_id, s.start, s."end", l.name FROM gold g'
        " JOIN spans s ON s.document_id = g.document_id JOIN labels l ON l.id = s.label_id"
        f" WHERE s.origin {origin} AND l.name IN (SELECT value FROM json_each(?))",
        (json.dumps(list(labels)),),
    ):
        by_analyst.setdefault(who, {}).setdefault((doc, label), []).append((start, end))
        together.setdefault((doc, label), []).append((start, end))
    return by_analyst, together


def _links(store: Store, origin: str) -> tuple[dict[str, Links], Links]:
    """The relations between spans of ``origin`` on the gold documents, by their ends: by
    analyst (whose spans they join), and all together."""
    by_analyst: dict[str, Links] = {}
    together: Links = {}
    for who, doc, hs, he, hl, cs, ce, cl, kind in store.conn.execute(
        'SELECT h.annotator, r.document_id, h.start, h."end", hl.name, c.start, c."end",'
        " cl.name, t.name FROM gold g JOIN relations r ON r.document_id = g.document_id"
        " JOIN relation_types t ON t.id = r.type_id"
        " JOIN spans h ON h.id = r.head JOIN labels hl ON hl.id = h.label_id"
        " JOIN spans c ON c.id = r.child JOIN labels cl ON cl.id = c.label_id"
        f" WHERE h.origin {origin} AND c.origin {origin}"
    ):
        ends = ((hs, he, hl), (cs, ce, cl))
        by_analyst.setdefault(who, {}).setdefault((doc, kind), []).append(ends)
        together.setdefault((doc, kind), []).append(ends)
    return by_analyst, together


def _done(store: Store, gold: Sequence[int]) -> dict[str, dict[int, str]]:
    """Each analyst's gold documents done now, with when they became done."""
    wanted = set(gold)
    out: dict[str, dict[int, str]] = {}
    for (doc, who), at in activity.done_times(store).items():
        if doc in wanted:
            out.setdefault(who, {})[doc] = at
    return out


def _curators_only(store: Store, people: set[str]) -> set[str]:
    """Of ``people``, those who settled documents or made curated spans and have no span of
    their own: a curator who marked a gold document done is not scored on it."""
    out = set()
    for who in people:
        curated = store.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM curations WHERE curator = :who)"
            " OR EXISTS (SELECT 1 FROM spans WHERE annotator = :who AND origin = 'curated')",
            {"who": who},
        ).fetchone()[0]
        own = store.conn.execute(
            "SELECT 1 FROM spans WHERE annotator = ? AND origin IN ('manual', 'imported') LIMIT 1",
            (who,),
        ).fetchone()
        if curated and own is None:
            out.add(who)
    return out


def gold_over_time(store: Store, period: str = "day") -> dict[str, Any]:
    """What the statistics show of gold: each analyst's figures over every gold document
    they did, and per ``period``, rounded to four places (empty when nothing is gold)."""
    report = score(store, by=period)
    data = report.to_json(digits=4)
    return {
        "documents": report.gold,
        "period": period,
        "analysts": [
            {
                "analyst": a["analyst"],
                "documents": a["documents"],
                "given": a["given"],
                "all": a["all"],
                "points": [
                    {"period": p["period"], "documents": p["documents"], "all": p["all"]}
                    for p in a["over_time"]
                ],
            }
            for a in data["analysts"]
        ],
    }
