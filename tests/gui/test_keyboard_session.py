"""The keyboard benchmark's session: it tags an article from the keyboard alone through the
window, counts every key, and takes back a plan that missed without counting it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/ is not installed

from PySide6.QtCore import Qt

from benchmarks.keyboard import Gold, Planner, Session

from .helpers import MAYOR, PLAIN_TEXT, QUOTE, QUOTE_END, store_spans, tag


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


def test_a_quotation_is_selected_with_q_and_an_edge_moved_by_words(qapp, open_window, make_project):
    window = open_window(make_project(("Plain", PLAIN_TEXT)))
    inner = Gold(*at("the costs are high."), "concession", 5)  # its sentence less a word
    session = Session(qapp, window, [GOLD[1], inner], [])
    session.tag_all(suggestions=False)
    assert sorted((s, e, label) for s, e, label, _ in store_spans(window)) == [
        (QUOTE, QUOTE_END, "quote"),
        (inner.start, inner.end, "concession"),
    ]
    bound = session.bound
    quote, concession = (step["keys"] for step in session.steps)
    assert quote == [bound["select.quotation"], "2"]
    assert bound["span.start.word.right"] in concession and len(concession) <= 5
    assert session.retries == 0


def test_each_edge_key_leaves_the_edge_where_the_planner_says(qapp, open_window, make_project):
    window = open_window(make_project(("Plain", PLAIN_TEXT)))
    session = Session(qapp, window, GOLD, RELATIONS)
    claim = GOLD[0]
    tag(window, claim.start, claim.end, Qt.Key.Key_1)
    span = window.editor.selected_span()
    checked = set()
    for edge in ("start", "end"):
        for key, where in session.model.edge_moves(edge, getattr(span, edge)):
            session.keys.press((key, "selection"))
            assert getattr(window.editor.selected_span(), edge) == where, key
            session.keys.press((session.bound["edit.undo"], "navigation"))
            checked.add(key)
    assert len(checked) == 8  # all four edge keys of each edge, by character and by word


QUOTES_TEXT = (
    "Tram line opens\n\n"
    "\u201cWe waited twenty years,\u201d the mayor said. \u201cIt is late,\u201d a rider said. "
    "\u201cWe are glad,\u201d the driver said.\n\n"
    "Photo: A tram crosses the bridge."
)


def test_with_suggestions_first_every_key_is_written_with_what_it_made(
    qapp, open_window, make_project
):
    window = open_window(make_project(("Quotes", QUOTES_TEXT)))
    gold = [
        Gold(m.start(), m.end(), "quote", n)
        for n, m in enumerate(re.finditer("\u201c[^\u201d]*\u201d", QUOTES_TEXT))
    ]
    start = QUOTES_TEXT.index("Photo")
    gold.append(Gold(start, len(QUOTES_TEXT), "caption", 3))
    session = Session(qapp, window, gold, [])
    session.tag_all(suggestions=True)
    assert sorted((s, e, label) for s, e, label, _ in store_spans(window)) == sorted(
        (g.start, g.end, g.label) for g in gold
    )
    assert not window.document_model.suggestions
    counts = session.keys.counts
    assert counts.by_kind["label"] == 0  # every span was suggested
    assert counts.total == len(counts.log) == sum(len(step["keys"]) for step in session.steps)
