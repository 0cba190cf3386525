"""A team project whose history was made at known times, for the statistics and report tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from annotator.model import text_hash
from annotator.store.project import Store
from annotator.team.merge import merge_projects

START = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)  # a Monday
TEXTS = [
    "The minister said the bridge opens in 2027. Critics doubt it.",
    "“We are on budget,” said Ana Ruiz. Costs rose anyway.",
    "Photo: the river at dawn. Admittedly, the works are late.",
    "Rates stay high, the bank said. <b>Markets</b> & traders shrugged.",
]
TITLES = ["Bridge", "Budget <script>alert(1)</script> & co", "River", "Rates"]


class Clock:
    """The time a store records: set by hand, in seconds after START."""

    def __init__(self, start: datetime = START) -> None:
        self.start = self.now = start

    def at(self, seconds: float) -> None:
        self.now = self.start + timedelta(seconds=seconds)

    def __call__(self) -> str:
        return self.now.isoformat(timespec="milliseconds").replace("+00:00", "Z")


DAY = 86400

# Each analyst's work: (seconds after START, document index, action, argument).
WORK = {
    "ana": [
        (0, 0, "span", (0, 12, "claim")),
        (90, 0, "span", (44, 61, "claim")),
        (120, 0, "done", None),  # day 1
        (150, 1, "span", (0, 20, "quote")),
        (200, 1, "done", None),
        (DAY + 0, 2, "span", (0, 24, "caption")),
        (DAY + 500, 2, "done", None),  # a break before: counts nothing
        (DAY + 530, 3, "span", (0, 5, "claim")),
    ],
    "bo": [
        (10, 0, "span", (0, 12, "claim")),
        (70, 0, "span", (44, 60, "claim")),
        (DAY + 100, 0, "done", None),  # day 2
        (DAY + 130, 1, "span", (0, 20, "quote")),
        (DAY + 160, 1, "done", None),
        (2 * DAY, 2, "span", (0, 24, "caption")),
        (2 * DAY + 45, 2, "done", None),  # day 3
    ],
}

# What the history above comes to (break after 300 s).
ACTIVE = {  # (document index, analyst): seconds
    (0, "ana"): 120.0,
    (1, "ana"): 50.0,
    (2, "ana"): 0.0,  # a break between its two changes
    (3, "ana"): 0.0,  # a lone change
    (0, "bo"): 60.0,  # the done a day later is after a break
    (1, "bo"): 30.0,
    (2, "bo"): 45.0,
}
DONE_PER_DAY = {
    "ana": {"2026-11-30": 2, "2026-12-01": 1},
    "bo": {"2026-12-01": 2, "2026-12-02": 1},
}
# Overall: done when the last of its analysts finished (document 3 is ana's alone, in
# progress).
DONE_OVERALL = {"2026-12-01": 2, "2026-12-02": 1}


def analyst_project(path, who, clock):
    with Store(path, who, clock=clock) as store:
        with store.transaction():
            ids = [
                store.documents.insert(text=t, text_hash=text_hash(t), title=title)
                for t, title in zip(TEXTS, TITLES, strict=True)
            ]
        for seconds, index, action, argument in WORK[who]:
            clock.at(seconds)
            if action == "span":
                start, end, label = argument
                store.spans.add(ids[index], start, end, label)
            else:
                store.statuses.set(ids[index], "done")
    return path


def team_project(tmp_path, bo_started: datetime = START):
    """The team project (merged from ana's and bo's files); its path. ``bo_started`` is where
    bo's clock stood when ana's said START (as when bo's computer has the wrong date)."""
    clocks = {"ana": Clock(), "bo": Clock(bo_started)}
    sources = [analyst_project(tmp_path / f"{who}.db", who, clocks[who]) for who in WORK]
    team = tmp_path / "team.db"
    with Store(team, "lead") as store:
        merge_projects(store, sources)
    return team


# Names matplotlib would read as TeX-like math, one of which it cannot parse at all.
MATH_ANALYSTS = ["$x^^y$", "$\\notacommand$"]
MATH_LABELS = ["$x^^y$", "Costs rose from $5 to $6"]
MATH_TITLES = ["Costs rose from $5 to $6", "$\\notacommand$ \\$ and $", "$x^^y$"]


def math_like_project(path):
    """A project of two analysts whose names, labels and titles all hold "$" signs; every
    chart has something to draw. Its path."""
    texts = [f"Document {i}: the minister said the bridge opens in 2027." for i in range(3)]
    with Store(path, MATH_ANALYSTS[0]) as store:
        for label in MATH_LABELS:
            store.labels.add(label)
        with store.transaction():
            ids = [
                store.documents.insert(text=t, text_hash=text_hash(t), title=title)
                for t, title in zip(texts, MATH_TITLES, strict=True)
            ]
    for who in MATH_ANALYSTS:
        with Store(path, who) as store:
            for doc in ids:
                store.spans.add(doc, 0, 8, MATH_LABELS[0])
                store.spans.add(doc, 13, 21, MATH_LABELS[1])
                store.statuses.set(doc, "done")
    return path


# -- a day of curation on the team project ----------------------------------------------------

CURATION_DAY = START + timedelta(days=3)
# Suggestions on the last document (ana's, in progress): (start, end) of each "speaker".
SUGGESTED = [(0, 5), (11, 15), (21, 25), (26, 30)]


def curated_project(tmp_path):
    """The team project after a day of curation (its path). On the fourth day, at known
    times:

    - ana accepts one suggestion with Enter (0 s), then the other three at once, as
      Shift+Enter does (40 s), and marks the document done (60 s);
    - the curator "lead" runs ``curate --agreed`` (100 s: the three documents both analysts
      did, one agreed span each), accepts one more span on the first document with Enter in
      review mode (160 s), accepts the last document's five spans of ana's at once, as
      Ctrl+Shift+G does (200 s), and marks the first and last documents done (260 s).

    So lead made one span by hand and eight in bulk; ana four by hand today (five before)
    and three in bulk; three documents of four are settled."""
    from annotator.suggest.running import accept_suggestion
    from annotator.team.curation import curate_agreed

    team = team_project(tmp_path)
    clock = Clock(CURATION_DAY)
    with Store(team, "ana", clock=clock) as store:
        ids = [store.documents.id_by_hash(text_hash(t)) for t in TEXTS]
        clock.at(-10)
        suggested = [
            store.spans.add(ids[3], s, e, "speaker", origin="suggested", suggester="rules").id
            for s, e in SUGGESTED
        ]
        clock.at(0)
        accept_suggestion(store, suggested[0])
        clock.at(40)
        with store.transaction():
            for span_id in suggested[1:]:
                accept_suggestion(store, span_id)
        clock.at(60)
        store.statuses.set(ids[3], "done")
    with Store(team, "lead", clock=clock) as store:
        clock.at(100)
        curate_agreed(store)
        clock.at(160)
        store.spans.add(ids[0], 44, 60, "claim", origin="curated")
        clock.at(200)
        with store.transaction():
            for span in store.spans.in_document(ids[3]):
                if span.annotator == "ana":
                    store.spans.add(ids[3], span.start, span.end, span.label, origin="curated")
        clock.at(260)
        store.statuses.set(ids[0], "done")
        store.statuses.set(ids[3], "done")
    return team
