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
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.model import LabelError
from annotator.store import activity
from annotator.store.project import Store
from annotator.team.agreement import Tally, tally
from annotator.team.gold import GoldError, gold_ids

#: The periods scores are followed by: UTC day, ISO week, calendar month.
PERIODS = ("day", "week", "month")
Spans = dict[tuple[int, str], list[tuple[int, int]]]  # (document, label) -> (start, end)


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


@dataclass
class AnalystScore:
    analyst: str
    documents: list[int]  # gold documents they marked done
    given: int  # gold documents given to them in packets
    labels: dict[str, Tally]
    all: Tally
    periods: list[Period] = field(default_factory=list)


@dataclass
class GoldReport:
    by: str
    gold: int  # gold documents in the project
    labels: list[str]
    analysts: list[AnalystScore]

    def to_json(self, digits: int | None = None) -> dict[str, Any]:
        """The figures (rounded to ``digits`` places when given)."""

        def shown(t: Tally) -> dict[str, Any]:
            out = figures(t)
            if digits is not None:
                out = {k: _round(v, digits) for k, v in out.items()}
            return out

        return {
            "against": "gold",
            "by": self.by,
            "gold_documents": self.gold,
            "labels": self.labels,
            "analysts": [
                {
                    "analyst": a.analyst,
                    "documents": len(a.documents),
                    "given": a.given,
                    "labels": {name: shown(t) for name, t in a.labels.items()},
                    "all": shown(a.all),
                    "over_time": [
                        {
                            "period": p.period,
                            "documents": len(p.documents),
                            "all": shown(p.all),
                            "labels": {name: shown(t) for name, t in p.labels.items()},
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
    report = GoldReport(by, len(gold), chosen, [])
    if not gold:
        return report
    reference = _spans(store, "= 'curated'", chosen)[1]
    mine = _spans(store, "IN ('manual', 'imported')", chosen)[0]
    done = _done(store, gold)
    given = dict(
        store.conn.execute(
            "SELECT analyst, count(*) FROM gold_given WHERE document_id IN"
            " (SELECT document_id FROM gold) GROUP BY analyst"
        )
    )
    curators = _curators_only(store, set(done))
    size = {doc: len(store.documents.text(doc)) for doc in gold}
    for who in sorted((set(done) - curators) | set(given)):
        finished = done.get(who, {})
        report.analysts.append(
            _score_one(
                who,
                finished,
                int(given.get(who, 0)),
                mine.get(who, {}),
                reference,
                size,
                chosen,
                by,
            )
        )
    return report


def _score_one(
    who: str,
    finished: Mapping[int, str],
    given: int,
    theirs: Spans,
    reference: Spans,
    size: Mapping[int, int],
    labels: Sequence[str],
    by: str,
) -> AnalystScore:
    """One analyst over the gold documents they marked done (``finished``: when)."""
    per_document: dict[int, dict[str, Tally]] = {
        doc: {
            label: tally(size[doc], theirs.get((doc, label), []), reference.get((doc, label), []))
            for label in labels
        }
        for doc in sorted(finished)
    }
    documents = sorted(per_document)
    labels_sum, overall = _sums(per_document, documents, labels)
    periods: dict[str, list[int]] = {}
    for doc in documents:
        key = period_of(finished[doc], by)
        if key is not None:
            periods.setdefault(key, []).append(doc)
    score = AnalystScore(who, documents, given, labels_sum, overall)
    for key in sorted(periods):
        in_period, total = _sums(per_document, periods[key], labels)
        score.periods.append(Period(key, periods[key], in_period, total))
    return score


def _sums(
    per_document: Mapping[int, Mapping[str, Tally]], documents: Sequence[int], labels: Sequence[str]
) -> tuple[dict[str, Tally], Tally]:
    per_label = {label: Tally() for label in labels}
    for doc in documents:
        for label in labels:
            per_label[label] += per_document[doc][label]
    overall = Tally()
    for t in per_label.values():
        overall += t
    return per_label, overall


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
