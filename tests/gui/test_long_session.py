"""Thousands of tag / untag / relabel / move / note / undo / redo steps in one process.

A day's work in one window, driven through its keys and its editor, checked against a model
kept here: every step is one change of one span (absent → present, one state → another), so
undo and redo are replays of recorded states. The database, the highlights, the span list and
the undo stack are compared with the model at checkpoints and at the end.

Also guards the PySide6 6.12.0 + CPython 3.11 fault that drops a reference to ``None`` in every
void-returning call and aborts after a few thousand.
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.store.project import Store

from .helpers import HARD_TEXT, select_cp

pytestmark = pytest.mark.slow  # thousands of steps

ALT, CTRL, SHIFT = (
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
)
LABELS = {"claim": Qt.Key.Key_1, "quote": Qt.Key.Key_2, "caption": Qt.Key.Key_3}
LABELS["concession"] = Qt.Key.Key_4
# ASCII words only: an edge moved by one character then moves by exactly one code point.
WORDS = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z]{3,}", HARD_TEXT)]
STEPS = 4000
CHECK_EVERY = 250

State = tuple[int, int, str, str | None]  # start, end, label, note


@dataclass
class Step:
    span_id: int
    before: State | None
    after: State | None
    move: tuple[str, bool] | None = None  # the edge moved and whether forward


class Model:
    """The spans there should be, and the undo stack there should be."""

    def __init__(self) -> None:
        self.spans: dict[int, State] = {}
        self.steps: list[Step] = []
        self.index = 0

    def _set(self, span_id: int, state: State | None) -> None:
        if state is None:
            del self.spans[span_id]
        else:
            self.spans[span_id] = state

    def push(self, step: Step) -> None:
        del self.steps[self.index :]
        top = self.steps[-1] if self.steps else None
        if step.move and top is not None and top.move == step.move and top.span_id == step.span_id:
            top.after = step.after  # presses of one key on one span's edge are one undo step
        else:
            self.steps.append(step)
            self.index += 1
        self._set(step.span_id, step.after)

    def undo(self) -> None:
        self.index -= 1
        step = self.steps[self.index]
        self._set(step.span_id, step.before)

    def redo(self) -> None:
        step = self.steps[self.index]
        self.index += 1
        self._set(step.span_id, step.after)


def state(span) -> State:
    return (span.start, span.end, span.label, span.note)


def check(window, model: Model) -> None:
    view, stack = window.article, window.editor.undo_stack
    expected = {(i, *s) for i, s in model.spans.items()}
    with Store(window.store.path) as other:
        stored = {(s.id, *state(s)) for s in other.spans.in_document(window.current_document)}
        row = other.documents.row(window.current_document)
    shown = {(s.id, *state(s)) for s in view.spans.values()}
    listed = {(s.id, *state(s)) for s in window.span_model.spans}
    placed = {
        (p.span_id, view.offsets.from_utf16(p.qs), view.offsets.from_utf16(p.qe), p.label)
        for p in view.highlighter.index.placed.values()
    }
    assert stored == expected
    assert shown == listed == expected
    assert placed == {(i, s, e, lab) for i, s, e, lab, _ in expected}
    assert row.span_count == len(expected)
    assert (stack.count(), stack.index()) == (len(model.steps), model.index)


def test_thousands_of_actions_keep_view_and_database_in_step(window) -> None:
    none_refs = sys.getrefcount(None)
    rng = random.Random(20261125)
    view, editor, stack = window.article, window.editor, window.editor.undo_stack
    model = Model()
    done = {"tag": 0, "relabel": 0, "move": 0, "note": 0, "delete": 0, "undo": 0, "redo": 0}
    by_key = 0

    def choose_span() -> int | None:
        if not model.spans:
            return None
        span_id = rng.choice(sorted(model.spans))
        editor.select(span_id)
        assert editor.selected == span_id
        return span_id

    for n in range(STEPS):
        keys = rng.random() < 0.3  # about a third through the real key path
        roll = rng.random()
        if stack.canRedo() and roll > 0.6:
            roll = 1.0  # after an undo, redo about as often as anything else
        if roll < 0.25 or not model.spans:
            start, end = rng.choice(WORDS)
            label = rng.choice(list(LABELS))
            select_cp(window, start, end)
            if keys:
                QTest.keyClick(view, LABELS[label], ALT)  # exact characters
                span_id = editor.selected
            else:
                span_id = editor.tag(label, exact=True).id
            assert span_id is not None and span_id not in model.spans
            model.push(Step(span_id, None, (start, end, label, None)))
            done["tag"] += 1
        elif roll < 0.35:
            span_id = choose_span()
            s, e, old, note = model.spans[span_id]
            label = rng.choice([lab for lab in LABELS if lab != old])
            if keys:
                QTest.keyClick(view, LABELS[label])  # no text selected: relabel the span
            else:
                editor.tag(label)
            model.push(Step(span_id, (s, e, old, note), (s, e, label, note)))
            done["relabel"] += 1
        elif roll < 0.50:
            span_id = choose_span()
            s, e, label, note = model.spans[span_id]
            grow = e < len(HARD_TEXT) and HARD_TEXT[e].isascii() and HARD_TEXT[e].isalnum()
            forward = grow and (e - s == 1 or rng.random() < 0.5)
            if not forward and e - s == 1:
                continue
            after = (s, e + 1 if forward else e - 1, label, note)
            if keys:
                edge_key = Qt.Key.Key_Period if forward else Qt.Key.Key_Comma
                QTest.keyClick(view, edge_key, CTRL)
            else:
                editor.move_edge("end", forward=forward)
            model.push(Step(span_id, (s, e, label, note), after, move=("end", forward)))
            done["move"] += 1
        elif roll < 0.55:
            span_id = choose_span()
            s, e, label, note = model.spans[span_id]
            new_note = f"note {n}"
            editor.set_note(span_id, new_note)
            model.push(Step(span_id, (s, e, label, note), (s, e, label, new_note)))
            done["note"] += 1
        elif roll < 0.65:
            span_id = choose_span()
            before = model.spans[span_id]
            if keys:
                QTest.keyClick(view, Qt.Key.Key_Delete)
            else:
                editor.delete_selected()
            model.push(Step(span_id, before, None))
            done["delete"] += 1
        elif roll < 0.85:
            if not stack.canUndo():
                continue
            if keys:
                QTest.keyClick(view, Qt.Key.Key_Z, CTRL)
            else:
                stack.undo()
            model.undo()
            done["undo"] += 1
        else:
            if not stack.canRedo():
                continue
            if keys:
                QTest.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)
            else:
                stack.redo()
            model.redo()
            done["redo"] += 1
        by_key += keys
        if n % CHECK_EVERY == 0:
            check(window, model)

    check(window, model)
    print(f"\nlong session: {done}, {by_key} through keys")
    assert sum(done.values()) >= 3000 and min(done.values()) >= 100
    assert by_key >= 900
    assert sys.getrefcount(None) >= none_refs - 200
    # the whole stack unwinds to an empty document, in the database too
    while stack.canUndo():
        stack.undo()
        model.undo()
    check(window, model)
    assert model.spans == {} and len(view.highlighter.index) == 0
