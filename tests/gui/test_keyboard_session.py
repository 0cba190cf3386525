"""The keyboard benchmark's session: it tags an article from the keyboard alone through the
window, counts every key, and takes back a plan that missed without counting it."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/ is not installed

from benchmarks.keyboard import Gold, Planner, Session

from .helpers import MAYOR, PLAIN_TEXT, QUOTE, QUOTE_END, store_spans


def at(text: str) -> tuple[int, int]:
    start = PLAIN_TEXT.index(text)
    return start, start + len(text)


GOLD = [
    Gold(*at("The council approved the plan by seven votes to two."), "claim", 1),
    Gold(QUOTE, QUOTE_END, "quote", 2),
    Gold(MAYOR, MAYOR + len("the mayor"), "speaker", 3),
    Gold(*at("Photo: A tram crosses the bridge."), "caption", 4),
    Gold(*at("Admittedly, the costs are high."), "concession", 5),
]
RELATIONS = [(2, 3, "said_by")]


def _session(qapp, window) -> Session:
    return Session(qapp, window, GOLD, RELATIONS)


def test_a_session_ends_with_the_gold_and_counts_every_key(qapp, open_window, make_project):
    window = open_window(make_project(("Plain", PLAIN_TEXT)))
    session = _session(qapp, window)
    session.tag_all(suggestions=False)
    assert sorted((s, e, label) for s, e, label, _ in store_spans(window)) == sorted(
        (g.start, g.end, g.label) for g in GOLD
    )
    assert session.linked() == set(RELATIONS)
    counts = session.keys.counts
    assert counts.total == len(counts.log) == sum(len(step["keys"]) for step in session.steps)
    assert counts.by_kind["relation"] == 3  # R, Tab, Enter
    assert counts.by_kind["label"] == len(GOLD)
    assert session.retries == 0
    assert counts.total < 4 * len(GOLD) + 3


def test_a_plan_that_misses_is_taken_back_and_not_counted(
    qapp, open_window, make_project, monkeypatch
):
    window = open_window(make_project(("Plain", PLAIN_TEXT)))
    session = _session(qapp, window)
    real = Planner.plans
    claim = GOLD[0]
    wrong = [("P", "selection"), ("1", "label")]  # the headline's paragraph: not the claim

    def first_a_wrong_plan(self, start, gold, jumps):
        if gold is claim:
            yield 2, wrong
        yield from real(self, start, gold, jumps)

    monkeypatch.setattr(Planner, "plans", first_a_wrong_plan)
    session.tag(claim)
    assert session.retries == 1
    assert [(s, e, label) for s, e, label, _ in store_spans(window)] == [
        (claim.start, claim.end, "claim")
    ]
    assert window.editor.undo_stack.index() == 1  # the missed span is not on the history
    assert session.keys.counts.log[-1] == "1" and session.keys.counts.total <= 3
