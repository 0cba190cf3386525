"""Tagging an article from the keyboard alone, key by key, through the real window.

A planner picks, for each gold span in text order, the cheapest key sequence it can find
from where the caret is: sentence, paragraph and quotation selection (S, P, Q, pressed again
for the next), the caret by sentence (Alt+Down/Up) or by word (Ctrl+Left/Right), Find (Ctrl+F,
the shortest prefix it can type that lands where it wants, Enter for a later match, Esc back
to the article), selecting by word or character with Shift, a label's key (Alt with it for
exact characters), and the span's edge keys after it, by word (Alt with [ ] , .) or by
character (Ctrl with them). It searches those keys as a graph of caret and selection states
(Dijkstra: each key costs one, a typed character one), predicting each key with the code the
window runs (the sentence splitter, the quotes suggester's pairing, the find pattern,
snapping, word edges, Qt's own cursor moves), then replays the plan as key clicks on the
window's focused widget and checks that the span made is exactly the gold one. A plan that misses is taken back with
Ctrl+Z (not counted) and the next best is tried. A relation is made as soon as both its ends
are tagged: R, Tab or Shift+Tab to the other end, Enter.

With suggestions, F8 comes first; each suggestion is then decided by one key (Enter accepts,
a label's key accepts as that label, Delete rejects), its edges moved first when it is
nearly right; what is left is tagged as above.

Every key press counts once: a chord is one key, each typed character one key. Only the
window's state is read between keys, as an analyst reads the screen; nothing is changed
behind its back except to take back a plan that missed.
"""

from __future__ import annotations

import heapq
import itertools
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator.gui.article.find_bar import find_match
from annotator.gui.article.snapping import tidy_selection
from annotator.session import text_units

KINDS = ("navigation", "selection", "label", "relation", "suggestion")
# Keys an analyst types into Find with one press each: no curly quotes, dashes or accents.
TYPABLE = frozenset(chr(c) for c in range(32, 127))
LONGEST_PREFIX = 16
MORE_MATCHES = 3  # Enter presses in the find bar for a later match
WORST_FIX = 24  # edge-key presses after a label worth planning for
EDGE_REACH = 400  # characters either side of a gold edge an edge key is planned from
NEAR_EDGE = 3  # characters from a gold edge where moving by character is worth trying
PLANS_TRIED = 6
MOST_KEYS = 400  # no plan for one span is looked for past this many keys
# Key families: ``meaning`` are the window's commands for sentences, paragraphs and spans;
# the rest are Qt's own keys of a read-only text and the find bar.
EVERY_FAMILY = frozenset({"meaning", "word", "char", "find"})

# The window's commands a session presses, by id: their keys are read from the window.
COMMANDS = (
    "focus.article",
    "select.sentence",
    "select.paragraph",
    "caret.sentence.next",
    "caret.sentence.previous",
    "span.next",
    "span.previous",
    "find.open",
    "span.start.left",
    "span.start.right",
    "span.end.left",
    "span.end.right",
    "span.start.word.left",
    "span.start.word.right",
    "span.end.word.left",
    "span.end.word.right",
    "select.quotation",
    "relation.start",
    "suggest.document",
    "suggestion.next",
    "suggestion.previous",
    "suggestion.accept",
    "suggestion.accept_label",
    "span.delete",
    "edit.undo",
)
# Commands after which Find is still worth trying: those that move by sentence or span.
FIND_AFTER = ("caret.sentence.next", "caret.sentence.previous", "span.next", "span.previous")

State = tuple[int, int]  # (anchor, position) of the article's cursor, in code points
Step = tuple[str, str]  # (key, kind); a typed character is "type:<c>"


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    label: str
    ref: Any  # the span's id in the gold record


@dataclass
class Counts:
    """Keys pressed, by kind, and every key in order."""

    by_kind: Counter[str] = field(default_factory=Counter)
    typed: int = 0  # characters typed into Find (counted under navigation too)
    log: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


class Keyboard:
    """Presses keys on the window's focused widget, as a user does, and counts them."""

    def __init__(self, app: Any, window: Any) -> None:
        self.app = app
        self.window = window
        self.counts = Counts()

    def focus(self) -> Any:
        return QApplication.focusWidget() or self.window.article

    def press(self, step: Step, *, counted: bool = True) -> None:
        key, kind = step
        widget = self.focus()
        if key.startswith("type:"):
            QTest.keyClicks(widget, key.removeprefix("type:"))
            if counted:
                self.counts.typed += 1
        elif key == "Shift+Tab":  # what the keyboard sends for it
            QTest.keyClick(widget, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        else:
            combination = QKeySequence(key)[0]  # type: ignore[index]
            QTest.keyClick(widget, combination.key(), combination.keyboardModifiers())
        self.app.processEvents()
        if counted:
            self.counts.by_kind[kind] += 1
            self.counts.log.append(key)

    def run(self, steps: list[Step]) -> None:
        for step in steps:
            self.press(step)


# -- the model of the keys: where each leaves the cursor ------------------------------------


class Model:
    """Predicts where a key leaves the article's cursor, with the code the window runs."""

    def __init__(self, view: Any, families: frozenset[str], bound: dict[str, str]) -> None:
        self.view = view
        self.bound = bound  # the window's key of each command, by id
        self.text: str = view.text
        self.offsets = view.offsets
        self.families = families
        self.sentences = text_units.units(self.text, "sentence")
        self.paragraphs = text_units.units(self.text, "paragraph")
        self.quotations = text_units.quotations(self.text)
        self._cursor = QTextCursor(view.document())
        self._cursor.setVisualNavigation(True)  # as the text widget moves its cursor
        self._moves: dict[tuple[str, State], State] = {}
        self._finds: dict[tuple[int, int], list[tuple[int, list[Step], State]]] = {}
        self._typed: dict[str, list[tuple[int, int]]] = {}
        self._at: dict[int, list[tuple[str, list[int], int, int]]] = {}
        self._edges: dict[tuple[str, int, int], dict[int, int]] = {}
        self._edge_moves: dict[tuple[str, int], list[tuple[str, int]]] = {}

    # Qt's own moves: Ctrl+Left/Right by word, Left/Right by character, Shift to select.
    _QT = {
        "Ctrl+Right": (QTextCursor.MoveOperation.WordRight, False, "word"),
        "Ctrl+Left": (QTextCursor.MoveOperation.WordLeft, False, "word"),
        "Shift+Ctrl+Right": (QTextCursor.MoveOperation.WordRight, True, "word"),
        "Shift+Ctrl+Left": (QTextCursor.MoveOperation.WordLeft, True, "word"),
        "Right": (QTextCursor.MoveOperation.Right, False, "char"),
        "Left": (QTextCursor.MoveOperation.Left, False, "char"),
        "Shift+Right": (QTextCursor.MoveOperation.Right, True, "char"),
        "Shift+Left": (QTextCursor.MoveOperation.Left, True, "char"),
    }

    def qt_move(self, key: str, state: State) -> State:
        found = self._moves.get((key, state))
        if found is None:
            op, keep, _ = self._QT[key]
            cursor, to16 = self._cursor, self.offsets.to_utf16
            cursor.setPosition(to16(state[0]))
            cursor.setPosition(to16(state[1]), QTextCursor.MoveMode.KeepAnchor)
            mode = QTextCursor.MoveMode.KeepAnchor if keep else QTextCursor.MoveMode.MoveAnchor
            cursor.movePosition(op, mode)
            found = (
                self.offsets.from_utf16(cursor.anchor()),
                self.offsets.from_utf16(cursor.position()),
            )
            self._moves[(key, state)] = found
        return found

    @staticmethod
    def selection(state: State) -> tuple[int, int] | None:
        a, p = state
        return (min(a, p), max(a, p)) if a != p else None

    def unit_selected(self, kind: str, state: State) -> State | None:
        """S or P (``Selecting.select_unit``): None when it changes nothing."""
        found = self.sentences if kind == "sentence" else self.paragraphs
        selection = self.selection(state)
        caret = selection[0] if selection else state[1]
        chosen = text_units.select(found, selection, caret)
        if chosen is None or chosen == selection:
            return None
        return chosen

    def quotation_selected(self, state: State) -> State | None:
        """Q (``Selecting.select_quotation``): None when it changes nothing."""
        selection = self.selection(state)
        caret = selection[0] if selection else state[1]
        chosen = text_units.next_quotation(self.quotations, selection, caret)
        return None if chosen is None or chosen == selection else chosen

    def caret_stepped(self, forward: bool, state: State) -> State | None:
        """Alt+Down or Alt+Up (``Selecting.caret_step``)."""
        selection = self.selection(state)
        caret = (selection[1] if forward else selection[0]) if selection else state[1]
        step = text_units.next_start if forward else text_units.previous_start
        target = step(self.sentences, caret)
        return None if target is None else (target, target)

    def finds(self, origin: int, target: int) -> list[tuple[int, list[Step], State]]:
        """Ctrl+F, a prefix of the text at ``target`` typed (white space as one space), Enter
        for a later match, Esc: the cheapest ways to land on ``target`` from ``origin``."""
        key = (origin, target)
        if key in self._finds:
            return self._finds[key]
        out: list[tuple[int, list[Step], State]] = []
        for typed, starts, here, end in self._typings(target):
            first = bisect_left(starts, origin)
            enters = (here - (first if first < len(starts) else 0)) % len(starts)
            if enters > MORE_MATCHES:
                continue
            steps = [(self.bound["find.open"], "navigation")]
            steps += [(f"type:{c}", "navigation") for c in typed]
            steps += [("Return", "navigation")] * enters + [("Esc", "navigation")]
            out.append((len(steps), steps, (target, end)))
            if enters == 0:
                break  # a longer prefix costs more and lands on the same place
        self._finds[key] = out
        return out

    def _typings(self, target: int) -> list[tuple[str, list[int], int, int]]:
        """Each prefix that can be typed to find ``target``: the prefix, where all its matches
        start (as Enter steps through them), which of them is ``target``, and its end."""
        found = self._at.get(target)
        if found is None:
            found = []
            for typed in self._prefixes(target):
                matches = self._matches(typed)
                starts = [start for start, _ in matches]
                here = bisect_left(starts, target)
                if here < len(starts) and starts[here] == target:
                    found.append((typed, starts, here, matches[here][1]))
            self._at[target] = found
        return found

    def _prefixes(self, target: int) -> Iterator[str]:
        """What can be typed of the text at ``target``, longer and longer: white space as one
        space, and only characters of the keyboard's own keys."""
        typed, i, text = "", target, self.text
        while i < len(text) and len(typed) < LONGEST_PREFIX:
            ch = text[i]
            if ch.isspace():
                while i < len(text) and text[i].isspace():
                    i += 1
                ch = " "
            else:
                i += 1
            if ch not in TYPABLE:
                return
            typed += ch.lower()
            if typed.strip():
                yield typed

    def _matches(self, typed: str) -> list[tuple[int, int]]:
        """Every match of ``typed`` as the find bar steps through them (Enter after Enter)."""
        found = self._typed.get(typed)
        if found is None:
            found = []
            at = find_match(self.text, typed, 0)
            while at is not None and (not found or at[0] > found[-1][0]):
                found.append(at)
                at = find_match(self.text, typed, at[0] + 1)
            self._typed[typed] = found
        return found

    def edge_moves(self, edge: str, at: int) -> list[tuple[str, int]]:
        """Each edge key of ``edge`` and where it takes an edge at ``at`` (``move_edge``: a
        whole grapheme, or to a word's start or end), when it moves it."""
        found = self._edge_moves.get((edge, at))
        if found is None:
            found = list(self._edge_moves_from(edge, at))
            self._edge_moves[(edge, at)] = found
        return found

    def _edge_moves_from(self, edge: str, at: int) -> Iterator[tuple[str, int]]:
        b, text = self.bound, self.text
        for forward in (False, True):
            side = "right" if forward else "left"
            if "meaning" in self.families:  # the window's word keys first: ties go to them
                word = text_units.word_edge(text, at, start=edge == "start", forward=forward)
                if word is not None and word != at:
                    yield b[f"span.{edge}.word.{side}"], word
            moved = self.view.step_cp(at, forward)
            if moved != at:
                yield b[f"span.{edge}.{side}"], moved

    def edge_path(
        self, edge: str, at: int, want: int, bound: int, other: int
    ) -> list[tuple[str, int]] | None:
        """The fewest edge keys that take ``edge`` from ``at`` to ``want`` (each key and where
        it leaves the edge), never meeting ``bound``, the other edge's gold place, nor
        ``other``, where the other edge is while this one moves; None past WORST_FIX."""
        distances = self.edge_distances(edge, want, bound)
        if at not in distances:
            return None
        path = []
        while at != want:
            key, at = next(
                (key, moved)
                for key, moved in self.edge_moves(edge, at)
                if distances.get(moved) == distances[at] - 1
            )
            if (at >= other) if edge == "start" else (at <= other):
                return None
            path.append((key, at))
        return path

    def edge_distances(self, edge: str, want: int, bound: int) -> dict[int, int]:
        """Edge-key presses from each position near ``want`` to it (up to WORST_FIX), an edge
        never crossing ``bound`` (the other edge where it ends: a span is never empty)."""
        key = (edge, want, bound)
        found = self._edges.get(key)
        if found is not None:
            return found
        lo, hi = max(0, want - EDGE_REACH), min(len(self.text), want + EDGE_REACH)
        lo, hi = (lo, min(hi, bound - 1)) if edge == "start" else (max(lo, bound + 1), hi)
        towards: dict[int, list[int]] = {}
        for at in range(lo, hi + 1):
            for _, moved in self.edge_moves(edge, at):
                if lo <= moved <= hi:
                    towards.setdefault(moved, []).append(at)
        found = {want: 0}
        frontier = [want]
        for n in range(1, WORST_FIX + 1):
            frontier = [p for q in frontier for p in towards.get(q, ()) if p not in found]
            for p in frontier:
                found.setdefault(p, n)
        self._edges[key] = found
        return found


class Planner:
    """The cheapest key sequences that make one gold span from the cursor where it is."""

    def __init__(self, model: Model, hotkeys: dict[str, str]) -> None:
        self.model = model
        self.hotkeys = hotkeys
        self.find_after = {model.bound[c] for c in FIND_AFTER}

    def plans(
        self, start: State, gold: Gold, jumps: list[tuple[list[Step], State]]
    ) -> Iterator[tuple[int, list[Step]]]:
        """Plans in order of cost: the keys up to and including the label's, then the edge
        keys. ``jumps`` are the span keys' moves from the window's selected span."""
        region = self._region(gold)
        targets = self._find_targets(gold)
        finds: dict[int, list[tuple[int, tuple[Step, ...], State]]] = {}
        counter = itertools.count(1)  # ties of cost go first in, first out
        # (cost, order, state or None for a finished plan, the keys so far)
        heap: list[tuple[int, int, State | None, tuple[Step, ...]]] = [(0, 0, start, ())]
        heap += [(len(steps), next(counter), state, tuple(steps)) for steps, state in jumps]
        heapq.heapify(heap)
        seen: set[State] = set()
        given: set[tuple[Step, ...]] = set()
        while heap:
            cost, _, state, steps = heapq.heappop(heap)
            if cost > MOST_KEYS:
                return
            if state is None:
                if steps not in given:
                    given.add(steps)
                    yield cost, list(steps)
                continue
            if state in seen:
                continue
            seen.add(state)
            for more, keys in self._finishes(state, gold):
                heapq.heappush(heap, (cost + more, next(counter), None, steps + keys))
            # Find moves the caret to where a span begins: worth it before any other key
            # but the window's own moves, never in the middle of making a selection
            found = finds if all(k in self.find_after for k, _ in steps) else None
            for more, keys, after in self._moves(state, gold, region, targets, found):
                if after not in seen:
                    heapq.heappush(heap, (cost + more, next(counter), after, steps + keys))

    def _region(self, gold: Gold) -> tuple[int, int]:
        """Where moving by word or character is worth trying: the gold span's paragraphs and
        a little around them (the caret comes there by sentence, span or Find)."""
        paragraphs = self.model.paragraphs
        lo = next((s for s, e in paragraphs if s <= gold.start < e + 1), gold.start)
        hi = next((e for s, e in paragraphs if s <= gold.end <= e + 1), gold.end)
        return lo - 40, hi + 40

    def _find_targets(self, gold: Gold) -> list[int]:
        """Where Find may land: the gold span's start, or the start of a word between the
        start of its sentence (or paragraph) and its end."""
        text, m = self.model.text, self.model
        begin = gold.start
        for s, e in (*m.sentences, *m.paragraphs):
            if s <= gold.start < e:
                begin = min(begin, s)
        out = {gold.start}
        for i in range(begin, gold.end):
            if text[i].isalnum() and (i == 0 or not text[i - 1].isalnum()):
                out.add(i)
        return sorted(out)

    def _moves(
        self,
        state: State,
        gold: Gold,
        region: tuple[int, int],
        targets: list[int],
        finds: dict[int, list[tuple[int, tuple[Step, ...], State]]] | None,
    ) -> Iterator[tuple[int, tuple[Step, ...], State]]:
        m = self.model
        b = m.bound
        edges = (gold.start, gold.end)
        families = m.families
        for key, (_, keep, family) in Model._QT.items():
            if family not in families:
                continue
            after = m.qt_move(key, state)
            if after == state or not all(region[0] <= x <= region[1] for x in after):
                continue
            if family == "char" and min(abs(after[1] - e) for e in edges) > NEAR_EDGE:
                continue  # a character at a time only to reach an edge just beside
            yield 1, ((key, "selection" if keep else "navigation"),), after
        if "meaning" in families:
            for key, kind in (
                (b["select.sentence"], "sentence"),
                (b["select.paragraph"], "paragraph"),
            ):
                chosen = m.unit_selected(kind, state)
                if chosen is not None:
                    yield 1, ((key, "selection"),), chosen
            quotation = m.quotation_selected(state)
            if quotation is not None:
                yield 1, ((b["select.quotation"], "selection"),), quotation
            for key, forward in (
                (b["caret.sentence.next"], True),
                (b["caret.sentence.previous"], False),
            ):
                moved = m.caret_stepped(forward, state)
                if moved is not None and moved != state:
                    yield 1, ((key, "navigation"),), moved
        if "find" in families and finds is not None:
            selection = m.selection(state)
            origin = selection[1] if selection else state[1]
            if origin not in finds:
                finds[origin] = [
                    (cost, tuple(steps), after)
                    for target in targets
                    for cost, steps, after in m.finds(origin, target)
                ]
            yield from finds[origin]

    def _finishes(self, state: State, gold: Gold) -> Iterator[tuple[int, tuple[Step, ...]]]:
        """A label's key on this selection, and the edge keys it then needs."""
        selection = self.model.selection(state)
        hotkey = self.hotkeys.get(gold.label)
        if selection is None or hotkey is None:
            return
        snapped = tidy_selection(self.model.text, *selection, snap=True)
        ways = [(snapped, hotkey)]
        if selection != snapped:
            ways.append((selection, f"Alt+{hotkey}"))
        for made, key in ways:
            if made is None:
                continue
            fix = self.edge_keys(made, gold)
            if fix is not None:
                yield 1 + len(fix), ((key, "label"), *fix)

    def edge_keys(self, made: tuple[int, int], gold: Gold) -> list[Step] | None:
        """The edge keys from ``made`` to ``gold``, as the window moves an edge."""
        plan = self.edge_plan(made, gold)
        return None if plan is None else [(key, "selection") for _, key, _ in plan]

    def edge_plan(self, made: tuple[int, int], gold: Gold) -> list[tuple[str, str, int]] | None:
        """Each edge key from ``made`` to ``gold`` in order: the edge it moves, the key, and
        where the edge goes. The edge that widens the span moves first, so neither edge has
        to pass the other; by word where that is fewer keys, by character beside the gold."""
        start, end = made
        if start >= gold.end or end <= gold.start:
            return None
        if gold.end > end and gold.start >= start:
            order = [
                ("end", end, gold.end, gold.start, start),
                ("start", start, gold.start, gold.end, gold.end),
            ]
        else:
            order = [
                ("start", start, gold.start, gold.end, end),
                ("end", end, gold.end, gold.start, gold.start),
            ]
        out: list[tuple[str, str, int]] = []
        for edge, at, want, bound, other in order:
            path = self.model.edge_path(edge, at, want, bound, other)
            if path is None:
                return None
            out += [(edge, key, where) for key, where in path]
        return out if len(out) <= WORST_FIX else None


# -- a whole document ------------------------------------------------------------------------


class Session:
    """One document tagged from the keyboard in an open window."""

    def __init__(
        self,
        app: Any,
        window: Any,
        gold: list[Gold],
        relations: list[tuple[Any, Any, str]],
        families: frozenset[str] = EVERY_FAMILY,
    ) -> None:
        self.app = app
        self.window = window
        self.keys = Keyboard(app, window)
        self.gold = sorted(gold, key=lambda g: (g.start, -g.end, g.label))
        self.relations = relations
        self.families = families
        self.retries = 0
        self.steps: list[dict[str, Any]] = []  # what each run of keys made, in order
        # the label keys the window shows
        self.hotkeys = {lab.name: lab.hotkey for lab in window.labels if lab.hotkey}
        self.bound = window_keys(window)
        self.model = Model(window.article, families, self.bound)
        self.planner = Planner(self.model, self.hotkeys)

    # -- reading the window ------------------------------------------------------------------

    @property
    def view(self) -> Any:
        return self.window.article

    def state(self) -> State:
        cursor = self.view.textCursor()
        offsets = self.view.offsets
        return offsets.from_utf16(cursor.anchor()), offsets.from_utf16(cursor.position())

    def selected_span(self) -> Any:
        return self.window.document_model.selected_span

    def spans(self) -> list[Any]:
        """The document's spans (not its suggestions) in text order, as Ctrl+Down steps."""
        return sorted(
            self.window.document_model.spans.values(), key=lambda s: (s.start, s.end, s.id or 0)
        )

    def made(self) -> dict[Any, int]:
        """Each gold span the window holds now: its ref → the window's span id."""
        free = {(s.start, s.end, s.label): s.id for s in self.spans()}
        return {
            g.ref: free[(g.start, g.end, g.label)]
            for g in self.gold
            if (g.start, g.end, g.label) in free
        }

    def linked(self) -> set[tuple[Any, Any, str]]:
        """The gold relations the window holds now."""
        made = self.made()
        store = self.window.store
        held = {(r.head, r.child, r.label) for r in store.relations.in_document(self._document)}
        return {
            (h, c, label)
            for h, c, label in self.relations
            if h in made and c in made and (made[h], made[c], label) in held
        }

    @property
    def _document(self) -> int:
        return int(self.window.current_document)

    def _record(self, what: str, before: int) -> None:
        self.steps.append({"what": what, "keys": self.keys.counts.log[before:]})

    # -- the whole document ------------------------------------------------------------------

    def tag_all(self, *, suggestions: bool) -> None:
        if suggestions:
            self.decide_suggestions()  # F8 gives the article the keys
        if QApplication.focusWidget() is not self.view:
            at = len(self.keys.counts.log)
            self.keys.press((self.bound["focus.article"], "navigation"))
            self._record("the article takes the keys", at)
        for gold in self.gold:
            if gold.ref in self.made():
                continue
            at = len(self.keys.counts.log)
            self.tag(gold)
            self._record(f"{gold.label} {self._text(gold)}", at)
            self.link_from(gold)
        self.link_the_rest()

    def _text(self, gold: Gold) -> str:
        text = self.model.text[gold.start : gold.end]
        return repr(text if len(text) <= 40 else text[:37] + "...")

    # -- suggestions -------------------------------------------------------------------------

    def decide_suggestions(self) -> None:
        """F8, then one key per suggestion (its edges moved first when nearly right), or one
        key for every suggestion of a label when all of them are right."""
        at = len(self.keys.counts.log)
        self.keys.press((self.bound["suggest.document"], "suggestion"))
        self._record("suggestions asked for", at)
        model = self.window.document_model
        while model.suggestions:
            at = len(self.keys.counts.log)
            chosen = model.selected_suggestion
            if chosen is None:
                self.keys.press((self.bound["suggestion.next"], "suggestion"))
                self._record("the next suggestion selected", at)
                continue
            what = self._decide(chosen)
            self._record(what, at)

    def _wanted(self) -> list[Gold]:
        made = self.made()
        return [g for g in self.gold if g.ref not in made]

    def _right(self, suggestion: Any) -> bool:
        return any(
            (g.start, g.end, g.label) == (suggestion.start, suggestion.end, suggestion.label)
            for g in self._wanted()
        )

    def _decide(self, chosen: Any) -> str:
        wanted = self._wanted()
        same_label = [
            s for s in self.window.document_model.suggestions.values() if s.label == chosen.label
        ]
        if len(same_label) >= 3 and all(
            self._right(s) and not self._wrong_partners(s) for s in same_label
        ):
            self.keys.press((self.bound["suggestion.accept_label"], "suggestion"))
            return f"every suggested {chosen.label} accepted"
        exact = [g for g in wanted if (g.start, g.end) == (chosen.start, chosen.end)]
        gold = next((g for g in exact if g.label == chosen.label), exact[0] if exact else None)
        fix: list[Step] = []
        if gold is None:
            gold, fix = self._nearly(chosen, wanted)
        if gold is None:
            self.keys.press((self.bound["span.delete"], "suggestion"))
            return f"suggested {chosen.label} rejected"
        if fix:
            self._steer(self.keys, gold, lambda: self.window.document_model.selected_suggestion)
        self._drop_wrong_partners(chosen)
        if gold.label == chosen.label:
            self.keys.press((self.bound["suggestion.accept"], "suggestion"))
        else:
            self.keys.press((self.hotkeys[gold.label], "suggestion"))
        if gold.ref not in self.made():
            raise RuntimeError(f"accepting the suggestion did not make {gold}")
        self._delete_extras()
        self.link_from(gold)
        return f"suggested {chosen.label} accepted as {gold.label} {self._text(gold)}"

    def _wrong_partners(self, chosen: Any) -> list[int]:
        """The suggestions proposed with ``chosen`` (a quote's speaker) that the gold does not
        hold: accepting ``chosen`` would accept them too."""
        from annotator.suggest.relating import suggested_links

        model = self.window.document_model
        out = []
        for relation in suggested_links(self.window.store, chosen.id):
            other = relation.child if relation.head == chosen.id else relation.head
            partner = model.suggestions.get(other)
            if partner is not None and not self._right(partner):
                out.append(other)
        return out

    def _drop_wrong_partners(self, chosen: Any) -> None:
        """A partner the gold does not hold is rejected first (] to it, Delete, [ back)."""
        for other in self._wrong_partners(chosen):
            self._press_until(other, "suggestion.next")
            self.keys.press((self.bound["span.delete"], "suggestion"))
            self._press_until(chosen.id, "suggestion.previous")

    def _delete_extras(self) -> None:
        """A span an accept brought along that the gold does not hold (a speaker at another
        mention than the gold's) is deleted: Ctrl+Up or Ctrl+Down to it, then Delete."""
        gold = {(g.start, g.end, g.label) for g in self.gold}
        for extra in [s for s in self.spans() if (s.start, s.end, s.label) not in gold]:
            model = self.window.document_model
            for _ in range(len(self.spans()) + 1):
                chosen = model.selected_span
                if chosen is not None and chosen.id == extra.id:
                    break
                forward = chosen is None or (chosen.start, chosen.end) < (extra.start, extra.end)
                command = "span.next" if forward else "span.previous"
                self.keys.press((self.bound[command], "suggestion"))
            self.keys.press((self.bound["span.delete"], "suggestion"))

    def _press_until(self, suggestion_id: int, command: str) -> None:
        model = self.window.document_model
        for _ in range(len(model.suggestions) + 1):
            chosen = model.selected_suggestion
            if chosen is not None and chosen.id == suggestion_id:
                return
            self.keys.press((self.bound[command], "suggestion"))
        raise RuntimeError(f"{command} never reached suggestion {suggestion_id}")

    def _nearly(self, chosen: Any, wanted: list[Gold]) -> tuple[Gold | None, list[Step]]:
        """The gold span of the suggestion's label it is nearly, when moving its edges costs
        fewer keys than rejecting it and tagging that span from the caret."""
        for g in wanted:
            edges = self.planner.edge_keys((chosen.start, chosen.end), g)
            if g.label != chosen.label or edges is None:
                continue
            by_hand = next(self.planner.plans(self.state(), g, self._jumps()), None)
            if by_hand is None or len(edges) < by_hand[0]:
                return g, edges
        return None, []

    # -- one span ----------------------------------------------------------------------------

    def _jumps(self) -> list[tuple[list[Step], State]]:
        """Ctrl+Down / Ctrl+Up pressed 1–3 times: the caret at that span's start."""
        if "meaning" not in self.families:
            return []
        spans = self.spans()
        if not spans:
            return []
        chosen = self.selected_span()
        keys = [(s.start, s.end, s.id or 0) for s in spans]
        out = []
        for key, forward in ((self.bound["span.next"], True), (self.bound["span.previous"], False)):
            if chosen is not None and (chosen.start, chosen.end, chosen.id or 0) in keys:
                at = keys.index((chosen.start, chosen.end, chosen.id or 0))
            else:
                caret = self.view.caret_cp()
                after = [i for i, k in enumerate(keys) if k[0] >= caret]
                before = [i for i, k in enumerate(keys) if k[0] < caret]
                # the first press takes the first span at or after the caret (or the last
                # before it); past either end, the first span
                at = (
                    (after[0] - 1 if after else len(keys) - 1)
                    if forward
                    else (before[-1] + 1 if before else 1)
                )
            for n in range(1, 4):
                i = (at + n) % len(spans) if forward else (at - n) % len(spans)
                out.append(([(key, "navigation")] * n, (spans[i].start, spans[i].start)))
        return out

    def tag(self, gold: Gold) -> None:
        """The cheapest plan that makes ``gold``; a plan that misses is taken back (Ctrl+Z,
        not counted) and the next is tried."""
        before = self.state()
        chosen = self.selected_span()
        stack = self.window.editor.undo_stack
        undo_at = stack.index()
        plans = self.planner.plans(before, gold, self._jumps())
        for _cost, steps in itertools.islice(plans, PLANS_TRIED):
            pressed = Keyboard(self.app, self.window)
            label = next(i for i, (_, kind) in enumerate(steps) if kind == "label")
            pressed.run(steps[: label + 1])
            self._close_find()
            if label + 1 < len(steps):
                self._steer(pressed, gold, self.selected_span)
            if gold.ref in self.made():
                self._count(pressed.counts)
                return
            self.retries += 1
            while stack.index() > undo_at:
                self.keys.press((self.bound["edit.undo"], "navigation"), counted=False)
            self._restore(before, chosen)
        raise RuntimeError(
            f"no plan made the {gold.label} [{gold.start}, {gold.end}) {self._text(gold)}"
        )

    def _steer(self, keys: Keyboard, gold: Gold, chosen: Callable[[], Any]) -> None:
        """Press the edge keys, watching the span (or suggestion) ``chosen`` returns, until
        its edges are the gold's: each key planned from where the edges are, and the first
        that leaves an edge elsewhere than planned ends it (the plan missed)."""
        for _ in range(WORST_FIX):
            span = chosen()
            if span is None or (span.start, span.end) == (gold.start, gold.end):
                return
            plan = self.planner.edge_plan((span.start, span.end), gold)
            if not plan:
                return
            edge, key, where = plan[0]
            keys.press((key, "selection"))
            moved = chosen()
            if moved is None or getattr(moved, edge) != where:
                return

    def _count(self, pressed: Counts) -> None:
        self.keys.counts.by_kind.update(pressed.by_kind)
        self.keys.counts.typed += pressed.typed
        self.keys.counts.log += pressed.log

    def _close_find(self) -> None:
        bar = self.window.find_bar
        if bar.isVisible():
            bar.close_bar()

    def _restore(self, state: State, span: Any) -> None:
        view, offsets = self.view, self.view.offsets
        cursor = view.textCursor()
        cursor.setPosition(offsets.to_utf16(state[0]))
        cursor.setPosition(offsets.to_utf16(state[1]), QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(cursor)
        self.window.editor.select(span.id if span is not None else None)
        view.setFocus()
        self.app.processEvents()

    # -- relations ---------------------------------------------------------------------------

    def link_from(self, gold: Gold) -> None:
        """Every relation of ``gold`` whose other end is tagged, made from ``gold`` at once."""
        for relation in self.relations:
            head, child, _ = relation
            made = self.made()
            if gold.ref not in (head, child) or relation in self.linked():
                continue
            other = child if gold.ref == head else head
            if other in made:
                at = len(self.keys.counts.log)
                self._link(made[gold.ref], made[other])
                self._record(f"relation {relation[2]}", at)

    def link_the_rest(self) -> None:
        for relation in self.relations:
            if relation not in self.linked():
                head, child, label = relation
                made = self.made()
                at = len(self.keys.counts.log)
                self._link(made[head], made[child])
                self._record(f"relation {label}", at)

    def _select_span(self, span_id: int) -> None:
        """Ctrl+Down or Ctrl+Up until the span is selected, whichever way is fewer (from the
        caret when no span is selected, as the window steps)."""
        spans = self.spans()
        ids = [s.id for s in spans]
        chosen = self.selected_span()
        if chosen is not None and chosen.id == span_id:
            return
        if chosen is not None and chosen.id in ids:
            here = ids.index(chosen.id)
        else:  # the window steps from the caret: to the first span at or after it
            caret = self.view.caret_cp()
            after = [i for i, s in enumerate(spans) if s.start >= caret]
            here = (after[0] if after else len(ids)) - 0.5
        target = ids.index(span_id)
        forward = round((target - here) % len(ids)) if target != here else 0
        backward = len(ids) - forward
        key = self.bound["span.next"] if forward <= backward else self.bound["span.previous"]
        for _ in range(len(ids) + 1):
            now = self.selected_span()
            if now is not None and now.id == span_id:
                return
            self.keys.press((key, "navigation"))
        raise RuntimeError("Ctrl+Down / Ctrl+Up did not reach the span")

    def _link(self, start: int, other: int) -> None:
        """R from span ``start`` (selected first), Tab or Shift+Tab to ``other``, Enter."""
        self._select_span(start)
        self.keys.press((self.bound["relation.start"], "relation"))
        order = [s.id for s in self.window.relating.candidates()]
        if other not in order:
            raise RuntimeError("the other end of a relation is not offered after R")
        forward = order.index(other) + 1
        backward = len(order) - order.index(other)
        key, n = ("Tab", forward) if forward <= backward else ("Shift+Tab", backward)
        for _ in range(n):
            self.keys.press((key, "relation"))
        self.keys.press(("Return", "relation"))
        if self.window.relating.active:
            raise RuntimeError("Enter did not make the relation")


def window_keys(window: Any) -> dict[str, str]:
    """The key of each command a session presses, as the window binds it (the user's own
    keys included); a command without one cannot be pressed."""
    out = {}
    for command in COMMANDS:
        keys = window.action(command).shortcuts()
        if not keys:
            raise RuntimeError(f"the command {command} has no key in this window")
        out[command] = keys[0].toString(QKeySequence.SequenceFormat.PortableText)
    return out


def document_gold(record: dict[str, Any]) -> tuple[list[Gold], list[tuple[Any, Any, str]]]:
    """A gold record's spans and relations (ends by the record's span ids)."""
    spans = [
        Gold(s["start"], s["end"], s["label"], s.get("id", n))
        for n, s in enumerate(record["spans"])
    ]
    relations = [(r["head"], r["child"], r["label"]) for r in record.get("relations", [])]
    return spans, relations


def keys_by_kind(counts: Counts) -> dict[str, int]:
    return {kind: counts.by_kind.get(kind, 0) for kind in KINDS}


def replay(
    app: Any,
    window: Any,
    documents: list[tuple[int, dict[str, Any]]],
    families: list[str],
    suggestions: bool,
) -> list[dict[str, Any]]:
    """Tag each document (its id in the window's project, and its gold record) from the
    keyboard; the keys each took, by kind, and what each run of keys made."""
    out = []
    for document_id, record in documents:
        window.open_document(document_id)
        app.processEvents()
        spans, relations = document_gold(record)
        session = Session(app, window, spans, relations, frozenset(families))
        session.tag_all(suggestions=suggestions)
        counts = session.keys.counts
        out.append(
            {
                "id": record["id"],
                "spans": len(spans),
                "relations": len(relations),
                "keys": counts.total,
                "kinds": keys_by_kind(counts),
                "typed": counts.typed,
                "retries": session.retries,
                "steps": session.steps,
            }
        )
    return out
