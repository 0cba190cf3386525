"""Questions and reports: yes-or-no questions whose default is No, a free name for a new item,
and the report of what an import or a suggestion run did.

None is shown from here: the window opens them through methods that tests replace, so no
dialog ever blocks a test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    pass


def free_name(taken: set[str], first: str, numbered: Callable[[int], str]) -> str:
    """``first``, or ``numbered(2)``, ``numbered(3)``... whichever no name in ``taken``
    (compared without case) is."""
    folded = {name.casefold() for name in taken}
    n, name = 1, first
    while name.casefold() in folded:
        n += 1
        name = numbered(n)
    return name


def confirm_deletion(
    confirm: Callable[[str, str], bool], what: str, name: str, count: int, used_by: str
) -> bool:
    """Ask before deleting ``what`` (“label”) ``name``; when ``count`` ``used_by`` (“span”)
    use it, say they go too and that undo brings them back."""
    if not count:
        return confirm(f"Delete {what}?", f"Delete the unused {what} “{name}”?")
    noun = used_by if count == 1 else f"{used_by}s"
    question = (
        f"The {what} “{name}” is used by {count} {noun}. Deleting it deletes "
        f"{'that' if count == 1 else 'those'} {count} {noun} too, in every document. "
        f"Edit → Undo brings the {what} and its {used_by}s back."
    )
    return confirm(f"Delete {count} {noun}?", question)


def question_box(title: str, question: str, parent: QWidget | None = None) -> QMessageBox:
    """A Yes / No question with No as the default: Enter never says yes to a deletion."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    return box


class ReportDialog(QDialog):
    """A summary and a list (for example the importer's refusals) whose text can be copied."""

    def __init__(
        self,
        title: str,
        summary: str,
        details: list[str],
        parent: QWidget | None = None,
        *,
        offer: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.offer_taken = False
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.details = QPlainTextEdit("\n".join(details))
        self.details.setObjectName("reportDetails")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setVisible(bool(details))
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.offer: QPushButton | None = None
        if offer:  # e.g. "Import the good records": a second try the report suggests
            self.offer = buttons.addButton(offer, QDialogButtonBox.ButtonRole.AcceptRole)
            self.offer.setObjectName("reportOffer")
            self.offer.clicked.connect(self._take_offer)
        layout.addWidget(buttons)
        self.resize(640, 360 if details else 160)

    def _take_offer(self) -> None:
        self.offer_taken = True
        self.accept()


# -- asked of the analyst: the window's question methods call these -----------------------------


def ask_text(parent: QWidget, title: str, label: str, default: str = "") -> str | None:
    text, ok = QInputDialog.getText(parent, title, label, text=default)
    return text if ok else None


def ask_note(
    parent: QWidget,
    title: str,
    label: str,
    default: str = "",
    *,
    quote: str = "",
    clear_of: QRect | None = None,
    run: Callable[[QDialog], bool] | None = None,
) -> str | None:
    """Several lines of text (a note on a span), with the span's words (``quote``) above and
    the dialog standing clear of ``clear_of`` (the span on screen)."""
    from annotator.gui.dialogs.notes import NoteDialog

    dialog = NoteDialog(title, label, quote, default, parent)
    if clear_of is not None:
        dialog.stand_clear_of(clear_of)
    ok = run(dialog) if run is not None else dialog.exec() == QDialog.DialogCode.Accepted
    return dialog.text() if ok else None


def ask_attributes(
    parent: QWidget,
    label: str,
    declared: list[dict[str, Any]],
    current: dict[str, str],
    run: Callable[[QDialog], bool],
) -> dict[str, str] | None:
    """The values of a span's attributes, asked in a small form (None: cancelled)."""
    from annotator.gui.dialogs.attributes import AttributesDialog

    dialog = AttributesDialog(label, declared, current, parent)
    return dialog.values() if run(dialog) else None


def choose_files(parent: QWidget, title: str, filters: str) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, str(Path.cwd()), filters)
    return paths


def choose_folder(parent: QWidget, title: str) -> str | None:
    return QFileDialog.getExistingDirectory(parent, title, str(Path.cwd())) or None


def choose_project(parent: QWidget, title: str, *, save: bool, filters: str) -> str | None:
    ask = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
    path, _ = ask(parent, title, str(Path.cwd()), filters)
    return path or None


def choose_save_file(parent: QWidget, title: str, current: str, filters: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, current, filters)
    return path or None


def message_box(parent: QWidget, title: str, text: str) -> QMessageBox:
    """An information box whose text can be selected (and copied)."""
    box = QMessageBox(
        QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent
    )
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return box
