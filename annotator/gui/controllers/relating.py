"""Making a relation from the keyboard: from the selected span (the head) to another (the child).

R starts it from the selected span; Tab / Shift+Tab or the arrow keys move among the article's
spans (or a click chooses one), Enter links, Esc cancels. When several relation types fit the
two labels, the status bar lists them by number and a number key chooses; when none fits, it
says so and the choosing goes on. While a relation is being made these keys are this part's
(an event filter on the article takes them before the window's shortcuts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel

from annotator.changes import changes_of
from annotator.gui.commands.relations import AddRelation
from annotator.gui.panels.span_list import preview
from annotator.model import Relation, RelationType, Span
from annotator.session.document_model import Selection

if TYPE_CHECKING:
    from annotator.gui.article.view import ArticleView
    from annotator.gui.controllers.editing import Editor
    from annotator.gui.controllers.shell import Shell
    from annotator.session.document_model import DocumentModel
    from annotator.session.project_model import ProjectModel

_K = Qt.Key
_FORWARD = {_K.Key_Tab, _K.Key_Right, _K.Key_Down}
_BACKWARD = {_K.Key_Backtab, _K.Key_Left, _K.Key_Up}
_ENTER = {_K.Key_Return, _K.Key_Enter}
_DIGITS = {getattr(_K, f"Key_{n}"): n for n in range(1, 10)}


def describe(span: Span) -> str:
    return f"{span.label} \u201c{preview(span.text, 30)}\u201d"


class Relating(QObject):
    """The state of a relation being made: its head, then (when several types fit) the types
    to choose from."""

    def __init__(
        self,
        project: ProjectModel,
        document: DocumentModel,
        view: ArticleView,
        editor: Editor,
        shell: Shell,
    ) -> None:
        super().__init__(view)
        self.project = project
        self.document = document
        self.view = view
        self.editor = editor
        self.shell = shell
        self.head: Span | None = None
        self.choices: list[RelationType] = []  # several types fit: waiting for a number
        self.view.installEventFilter(self)  # after the window's: this one sees keys first
        # Relation mode is shown where the eye is: a line over the top of the article.
        self.banner = QLabel(self.view.viewport())
        self.banner.setObjectName("relationBanner")
        self.banner.setWordWrap(False)
        self.banner.setStyleSheet(
            "QLabel { background: palette(tooltip-base); color: palette(tooltip-text);"
            " border: 1px solid palette(mid); border-radius: 3px; padding: 2px 6px; }"
        )
        self.banner.hide()
        self.document.events.loaded.connect(self.cancel)
        self.document.events.selected.connect(self._selected)

    @property
    def active(self) -> bool:
        return self.head is not None

    def _say(self, message: str, timeout: int = 0) -> None:
        self.shell.say(message, timeout)
        if self.head is not None:
            self.banner.setText(message)
            self.banner.adjustSize()
            self.banner.move(8, 6)
            self.banner.show()
            self.banner.raise_()
        else:
            self.banner.hide()

    # -- the steps ---------------------------------------------------------------------------

    def start(self) -> bool:
        """R: a relation from the selected span."""
        head = self.document.selected_span
        if self.project.store is None or head is None:
            self._say("Select a span first (click it), then press R to relate it.", 5000)
            return False
        self.head, self.choices = head, []
        self.view.setFocus()  # from the span list too: Tab, Enter and Esc now come here
        self._prompt()
        return True

    def _prompt(self) -> None:
        assert self.head is not None
        child = self.child
        if child is None:
            self._say(
                f"Relation from {describe(self.head)}: choose the other span (Tab, arrows or"
                " click), Enter to link, Esc to cancel"
            )
        else:
            self._say(
                f"Relation from {describe(self.head)} to {describe(child)}: Enter to link,"
                " Tab or arrows for another span, Esc to cancel"
            )

    @property
    def child(self) -> Span | None:
        chosen = self.document.selected_span
        if chosen is None or self.head is None or chosen.id == self.head.id:
            return None
        return chosen

    def candidates(self) -> list[Span]:
        """The spans a relation type allows at the other end, either way round, nearest to
        the head first."""
        head, store = self.head, self.project.store
        if head is None or store is None:
            return []
        kinds = store.relation_types.all()

        def fits(other: Span) -> bool:
            return any(
                k.fits(head.label, other.label) or k.fits(other.label, head.label) for k in kinds
            )

        others = [s for s in self.document.spans.values() if s.id != head.id and fits(s)]
        return sorted(others, key=lambda s: (abs(s.start - head.start), s.start, s.id or 0))

    def step(self, forward: bool) -> None:
        """The next (or previous) span that can be the other end, nearest the head first."""
        if self.head is None:
            return
        order = self.candidates()
        if not order:
            self._say(
                f"No span in this article can be related to this {self.head.label}: Esc cancels."
            )
            return
        ids = [s.id for s in order]
        here = self.child.id if self.child is not None else None
        if here in ids:
            target = order[(ids.index(here) + (1 if forward else -1)) % len(order)]
        else:
            target = order[0 if forward else -1]
        self.editor.select(target.id, reveal=True)

    def link(self) -> Relation | None:
        """Enter: relate the head to the chosen span, by the one type that fits them."""
        store, head, child = self.project.store, self.head, self.child
        if store is None or head is None:
            return None
        if child is None:
            self._say(
                f"Choose the other span first (Tab, arrows or click): the relation goes from"
                f" {describe(head)}. Esc cancels."
            )
            return None
        fitting = store.relation_types.fitting(head, child)
        if not fitting and store.relation_types.fitting(child, head):
            # started from the other end (the speaker, then its quote): the relation runs the
            # way its type allows
            self.head, head, child = child, child, head
            self.editor.select(child.id)
            fitting = store.relation_types.fitting(head, child)
        if not fitting:
            self._say(
                f"No relation type goes from {head.label} to {child.label}: choose another"
                " span, or Esc to cancel."
            )
            return None
        if len(fitting) == 1:
            return self._make(fitting[0])
        self.choices = fitting
        listed = " · ".join(f"{n} {t.name}" for n, t in enumerate(fitting, 1))
        self._say(
            f"Relation from {head.label} to {child.label}: {listed} (its number; Esc cancels)"
        )
        return None

    def choose(self, number: int) -> Relation | None:
        if not 1 <= number <= len(self.choices):
            return None
        return self._make(self.choices[number - 1])

    def _make(self, kind: RelationType) -> Relation | None:
        from annotator.model import RelationError

        store, head, child = self.project.store, self.head, self.child
        assert store is not None and head is not None and child is not None
        assert head.id is not None and child.id is not None
        try:
            relation = store.relations.add(head.id, child.id, kind.name)
        except RelationError as e:
            self.choices = []
            self._say(f"Not related: {e}", 8000)
            return None
        self.head, self.choices = None, []
        command = AddRelation(relation, store, self.shell)
        self.editor.undo_stack.push(command.pushed_after(changes_of(relation)))
        self._say(f"Related: {describe(head)} {kind.name} {describe(child)}.", 5000)
        return relation

    def cancel(self) -> None:
        if self.head is None:
            return
        head, self.head, self.choices = self.head, None, []
        if head.id in self.document.spans:
            self.editor.select(head.id)
        self._say("No relation made.", 3000)

    # -- following the selection and the keys ------------------------------------------------

    def _selected(self, now: Selection | None, previous: Selection | None) -> None:
        if self.head is None:
            return
        if self.head.id not in self.document.spans:  # the head went (an undo, another window)
            self.head, self.choices = None, []
            return
        self.choices = []
        self._prompt()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.head is None or watched is not self.view:
            return False
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        assert isinstance(event, QKeyEvent)
        mods = event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        key = _K(event.key())
        ours = key in _FORWARD | _BACKWARD | _ENTER or key == _K.Key_Escape
        ours = ours or (bool(self.choices) and key in _DIGITS)
        if mods == Qt.KeyboardModifier.NoModifier and not ours and event.text().isprintable():
            if event.text() and kind == QEvent.Type.ShortcutOverride:
                event.accept()  # a label's key would relabel the span chosen as the other end
                return True
            if event.text():
                self._say(
                    "Making a relation: Tab or arrows choose the other span, Enter links,"
                    " Esc cancels."
                )
                return True
        if mods != Qt.KeyboardModifier.NoModifier or not ours:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key comes as a key press here, not as a window shortcut
            return True
        if key in _FORWARD:
            self.step(True)
        elif key in _BACKWARD:
            self.step(False)
        elif key in _ENTER:
            self.link()
        elif key == _K.Key_Escape:
            self.cancel()
        else:
            self.choose(_DIGITS[key])
        return True
