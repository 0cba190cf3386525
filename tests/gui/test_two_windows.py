"""Two windows, and a window and another program, on one project.

Both keep working, no span is lost, no "database is locked" reaches the analyst, and each sees
the other's changes: on F5, when it becomes the active window again, or on returning to the
document. An undo over a span the other one deleted or changed is refused with a message.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from annotator.store.project import Store

from .helpers import HARD_TEXT, select_cp

CTRL = Qt.KeyboardModifier.ControlModifier
ROCKET = HARD_TEXT.index("rocket")
WORDS = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z]{3,}", HARD_TEXT)]


@pytest.fixture
def two(open_window, project, monkeypatch):
    """Windows A and B on one project, both shown; B was shown last and is active. Their
    error dialogs are collected in ``window.errors``."""
    windows = []
    for _ in range(2):
        w = open_window(project)
        w.errors = []
        monkeypatch.setattr(w, "show_error", w.errors.append)
        windows.append(w)
    return windows


def use(qtbot, window) -> None:
    """Click into ``window``: keys go to the active window only (QTest sends a key to the
    active window's shortcuts whichever widget it names)."""
    if not window.isActiveWindow():
        with qtbot.waitActive(window):
            window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    window.article.setFocus()


def tag(window, start: int, end: int, label: str = "claim") -> int:
    """Tag through the window's editor, as its label button does: works in any window."""
    select_cp(window, start, end)
    return window.editor.tag(label).id


def key(window, k: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> None:
    assert window.isActiveWindow()
    QTest.keyClick(window.article, k, mods)


def first(store) -> int:
    """The id of the project's first span: the first of its block of ids."""
    return (store.get_setting("id_block") << 32) + 1


def stored(path) -> set[tuple[int, int, int, str]]:
    """The spans of the project, each id counted from the project's first (1)."""
    with Store(path) as other:
        base = first(other) - 1
        return {
            (s.id - base, s.start, s.end, s.label)
            for d in (1, 2, 3)
            for s in other.spans.in_document(d)
        }


def shown(window) -> set[tuple[int, int, int, str]]:
    """The spans the window shows, each id counted from the project's first (1)."""
    view = window.article
    base = first(window.store) - 1
    in_view = {(s.id - base, s.start, s.end, s.label) for s in view.spans.values()}
    listed = {(s.id - base, s.start, s.end, s.label) for s in window.span_model.spans}
    painted = {
        (p.span_id - base, view.offsets.from_utf16(p.qs), view.offsets.from_utf16(p.qe), p.label)
        for p in view.highlighter.index.placed.values()
    }
    assert in_view == listed == painted
    return in_view


ROCKET_CLAIM = {(1, ROCKET, ROCKET + 6, "claim")}


def test_f5_shows_a_span_another_window_tagged(two) -> None:
    a, b = two
    tag(a, ROCKET, ROCKET + 6)
    assert shown(b) == set()
    key(b, Qt.Key.Key_F5)
    assert shown(b) == stored(a.store.path) == ROCKET_CLAIM
    assert b.article.labels_at(ROCKET + 2) == ["claim"]
    row = b.documents.model.rows[b.documents.model.row_of(1)]
    assert (row.status, row.span_count) == ("in_progress", 1)
    assert a.errors == b.errors == []


def test_becoming_active_again_shows_what_the_other_window_changed(two, qtbot) -> None:
    a, b = two
    use(qtbot, a)
    select_cp(a, ROCKET, ROCKET + 6)
    key(a, Qt.Key.Key_1)
    use(qtbot, b)
    qtbot.waitUntil(lambda: shown(b) == ROCKET_CLAIM)
    # its own changes never make a window read everything again
    select_cp(b, *WORDS[0])
    key(b, Qt.Key.Key_2)
    assert not b.refresh_if_changed()
    assert a.refresh_if_changed() and not a.refresh_if_changed()
    assert shown(a) == shown(b) == stored(a.store.path)


def test_returning_to_the_document_shows_the_other_windows_spans(two) -> None:
    a, b = two
    key(b, Qt.Key.Key_PageDown, CTRL)
    assert b.current_document == 2
    tag(a, ROCKET, ROCKET + 6)
    key(b, Qt.Key.Key_PageUp, CTRL)
    assert b.current_document == 1
    assert shown(b) == ROCKET_CLAIM
    assert b.documents.model.rows[0].span_count == 1


def test_undo_of_a_span_the_other_window_deleted_is_refused_and_nothing_breaks(two, qtbot) -> None:
    a, b = two
    use(qtbot, a)
    select_cp(a, ROCKET, ROCKET + 6)
    key(a, Qt.Key.Key_1)
    use(qtbot, b)  # B reads the project again as it becomes active
    qtbot.waitUntil(lambda: shown(b) == ROCKET_CLAIM)
    b.editor.select(first(b.store))
    key(b, Qt.Key.Key_Delete)
    assert stored(a.store.path) == set()
    use(qtbot, a)
    qtbot.waitUntil(lambda: shown(a) == set())
    key(a, Qt.Key.Key_Z, CTRL)  # undo of A's tag: the span is gone already
    assert len(a.errors) == 1 and "deleted in another window" in a.errors[0]
    assert not a.editor.undo_stack.canUndo() and not a.editor.undo_stack.canRedo()
    assert shown(a) == stored(a.store.path) == set()
    with Store(a.store.path) as other:
        assert other.documents.row(1).span_count == 0
    # B's own undo puts the span back; A sees it, and its Ctrl+Z has nothing left to undo
    use(qtbot, b)
    key(b, Qt.Key.Key_Z, CTRL)
    assert stored(a.store.path) == ROCKET_CLAIM
    use(qtbot, a)
    qtbot.waitUntil(lambda: shown(a) == ROCKET_CLAIM)
    key(a, Qt.Key.Key_Z, CTRL)
    assert shown(a) == stored(a.store.path) == ROCKET_CLAIM
    assert len(a.errors) == 1 and b.errors == []


def test_undo_over_a_change_not_yet_seen_is_refused_and_shows_the_change(two, qtbot) -> None:
    a, b = two
    use(qtbot, a)
    select_cp(a, ROCKET, ROCKET + 6)
    key(a, Qt.Key.Key_1)
    key(a, Qt.Key.Key_2)  # A relabels its span: claim → quote
    b.refresh()  # B, never active meanwhile, relabels it again: quote → caption
    b.editor.select(first(b.store))
    b.editor.tag("caption")
    span = first(a.store)
    assert span in a.article.spans and a.article.spans[span].label == "quote"  # A has not looked
    key(a, Qt.Key.Key_Z, CTRL)  # A's undo would make it a claim again
    assert len(a.errors) == 1 and "changed in another window" in a.errors[0]
    assert stored(a.store.path) == shown(a) == {(1, ROCKET, ROCKET + 6, "caption")}
    assert a.editor.selected == first(a.store)  # still selected, as it is now
    # the step is dropped; the one below it (A's tag) is refused the same way
    key(a, Qt.Key.Key_Z, CTRL)
    assert len(a.errors) == 2 and stored(a.store.path) == {(1, ROCKET, ROCKET + 6, "caption")}


def test_undo_of_done_is_refused_when_the_other_window_reopened_the_document(two) -> None:
    a, b = two
    key(b, Qt.Key.Key_Return, CTRL)  # done, next
    a.editor.set_status(1, "skipped")
    key(b, Qt.Key.Key_Z, CTRL)
    assert "marked skipped in another window" in b.errors[0]
    with Store(a.store.path) as other:
        assert other.documents.row(1).status == "skipped"


def test_refresh_keeps_caret_and_scroll_and_drops_the_text_selection(
    make_project, open_window
) -> None:
    text = "\n".join(f"Paragraph {i} of a long article about trams." for i in range(400))
    window = open_window(make_project(("Long", text)))
    target = text.index("Paragraph 300")
    window.article.scroll_to_cp(target)
    window.article.select_cp(target, target + 9)
    window.article.scroll_to_cp(target)
    top = window.article.first_visible_cp()
    assert top > 0
    with Store(window.store.path) as other:
        other.spans.add(1, target + 10, target + 13, "quote")
        other.labels.add("rumour", hotkey="6")
    window.action("view.refresh").trigger()
    assert window.article.caret_cp() == target + 9
    assert window.article.selection_cp() is None
    assert window.article.first_visible_cp() == top
    assert shown(window) == {(1, target + 10, target + 13, "quote")}
    assert window.findChild(QPushButton, "label:rumour") is not None
    assert "Refresh from the project" in [a.text().replace("&", "") for a in window.all_actions()]


def test_two_windows_tagging_in_turn_keep_every_span(two, qtbot) -> None:
    a, b = two
    rng = random.Random(7)
    mine: dict[str, list[int]] = {"a": [], "b": []}  # each window's spans, newest last
    for n in range(400):
        name, window = rng.choice([("a", a), ("b", b)])
        if n % 7 == 6 and mine[name]:
            window.editor.undo_stack.undo()  # its own last tag
            mine[name].pop()
        else:
            label = rng.choice(["claim", "quote", "concession"])
            mine[name].append(tag(window, *rng.choice(WORDS), label))
        if n % 100 == 99:  # the analyst turns to the other window now and then
            other = a if b.isActiveWindow() else b
            use(qtbot, other)
            qtbot.waitUntil(lambda other=other: shown(other) == stored(a.store.path))
    assert a.errors == b.errors == []
    ids = {i + first(a.store) - 1 for i, *_ in stored(a.store.path)}
    assert ids == set(mine["a"]) | set(mine["b"])
    assert len(mine["a"]) > 50 and len(mine["b"]) > 50
    for window in (a, b):
        window.refresh()
        assert shown(window) == stored(a.store.path)
    with Store(a.store.path) as other:
        assert other.documents.row(1).span_count == len(ids)


OTHER_PROGRAM = r"""
import re, sys, time
from annotator.store.project import Store
path, n = sys.argv[1], int(sys.argv[2])
with Store(path, "other program") as store:
    text = store.documents.text(1)
    words = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z]{3,}", text)]
    for i in range(n):
        start, end = words[i % len(words)]
        store.spans.add(1, start, end, "caption")
        time.sleep(0.002)  # a quick analyst, not a bulk import: let the window in between
print("done", flush=True)
"""


def test_a_window_and_another_program_tagging_at_once_keep_every_span(window, monkeypatch) -> None:
    errors: list[str] = []
    monkeypatch.setattr(window, "show_error", errors.append)
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER_PROGRAM, str(window.store.path), "300"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    ours = 0
    while other.poll() is None or ours < 100:
        select_cp(window, *WORDS[ours % len(WORDS)])
        key(window, Qt.Key.Key_1)
        ours += 1
    out, err = other.communicate(timeout=60)
    assert other.returncode == 0 and out.strip() == "done", err
    assert errors == [] and "locked" not in window.statusBar().currentMessage()
    spans = stored(window.store.path)
    assert len(spans) == ours + 300
    assert sum(label == "claim" for *_, label in spans) == ours
    in_order = [label for *_, label in sorted(spans)]
    turns = sum(x != y for x, y in zip(in_order, in_order[1:], strict=False))
    print(f"\nwindow {ours} spans, other program 300, taking turns {turns} times")
    assert turns >= 20  # they really wrote in between each other
    key(window, Qt.Key.Key_F5)
    # two analysts' work: the window now shows each analyst their own (a team project) ...
    assert window.team_project and shown(window) == {s for s in spans if s[-1] == "claim"}
    window.action("view.everyone_spans").trigger()  # ... and everyone's when asked
    assert shown(window) == spans
    assert window.documents.model.rows[0].span_count == ours + 300


def test_a_tag_refused_for_a_label_deleted_elsewhere_brings_the_labels_up_to_date(
    window, qtbot
) -> None:
    with Store(window.store.path) as other:
        other.labels.delete("concession")
    select_cp(window, ROCKET, ROCKET + 6)
    key(window, Qt.Key.Key_4)
    assert "unknown label 'concession'" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.findChild(QPushButton, "label:concession") is None)
    assert [lab.name for lab in window.labels] == ["claim", "quote", "caption", "speaker"]
    assert stored(window.store.path) == set()
