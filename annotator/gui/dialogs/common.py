"""The window's dialogs: import report, export options, labels, guidelines and shortcuts.

None of them is shown from here: the window opens them through methods that tests replace,
so no dialog ever blocks a test.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.formats.catalog import FORMATS_BY_NAME
from annotator.gui.panels.document_list import STATUS_NAMES
from annotator.model import STATUSES, Label

if TYPE_CHECKING:
    from annotator.store.project import Store


def colour_icon(colour: str, size: int = 14) -> QIcon:
    from annotator.gui.panels.span_list import swatch

    return swatch(colour, size)


class ColourButton(QPushButton):
    """A colour shown as its swatch and #rrggbb; clicking it asks for another (``ask``, the
    colour dialog unless a test or caller gives its own)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.value = "#888888"
        self.show_colour(self.value)

    def show_colour(self, colour: str) -> None:
        self.value = colour
        self.setText(colour)
        self.setIcon(colour_icon(colour))

    def ask(self, current: str) -> str | None:
        chosen = QColorDialog.getColor(QColor(current), self, self.title)
        return chosen.name() if chosen.isValid() else None

    def pick(self, ask: Callable[[str], str | None]) -> bool:
        """Ask for a colour and show it; False when none was chosen."""
        chosen = ask(self.value)
        if chosen:
            self.show_colour(chosen)
        return bool(chosen)


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


def _checklist(items: list[tuple[str, str]], name: str) -> QListWidget:
    """A list of checkboxes, all checked: "everything" unless the analyst narrows it."""
    widget = QListWidget()
    widget.setObjectName(name)
    for value, text in items:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        widget.addItem(item)
    widget.setMaximumHeight(110)
    return widget


def _checked(widget: QListWidget) -> list[str] | None:
    """The checked values; None when all are checked (no filter)."""
    values, total = [], widget.count()
    for i in range(total):
        item = widget.item(i)
        if item.checkState() == Qt.CheckState.Checked:
            values.append(item.data(Qt.ItemDataRole.UserRole))
    return None if len(values) == total else values


class ExportDialog(QDialog):
    """Format, filters, the formats' own options and the destination for
    ``exporters.export``: the command line's export, option for option."""

    def __init__(
        self, store: Store, formats: tuple[str, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        self.format = QComboBox()
        self.format.setObjectName("exportFormat")
        for i, name in enumerate(formats):
            self.format.addItem(name)
            self.format.setItemData(i, FORMATS_BY_NAME[name].summary, Qt.ItemDataRole.ToolTipRole)
        self.summary = QLabel()
        self.summary.setObjectName("exportSummary")
        self.summary.setWordWrap(True)
        self.summary.setEnabled(False)
        self.statuses = _checklist([(s, STATUS_NAMES[s]) for s in STATUSES], "exportStatuses")
        self.labels = _checklist(
            [(lab.name, lab.name) for lab in store.labels.all()], "exportLabels"
        )
        annotators = sorted(store.stats()["spans_by_annotator"])
        self.annotators = _checklist([(a, a) for a in annotators], "exportAnnotators")
        self.destination = QLineEdit(str(Path.cwd() / "exports"))
        self.destination.setObjectName("exportDestination")
        browse = QPushButton("Browse…")
        browse.setObjectName("exportBrowse")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("", self.summary)
        form.addRow("Documents with status", self.statuses)
        form.addRow("Spans with label", self.labels)
        form.addRow("Spans made by", self.annotators)
        self.only_with_spans = QCheckBox("Only documents with at least one span")
        self.only_with_spans.setObjectName("exportOnlyWithSpans")
        form.addRow("", self.only_with_spans)
        self.include_suggestions = QCheckBox("Suggestions too, each with its suggester and score")
        self.include_suggestions.setObjectName("exportIncludeSuggestions")
        form.addRow("", self.include_suggestions)
        self.curated = QCheckBox("Only the curated layer (the documents a curator settled)")
        self.curated.setObjectName("exportCurated")
        form.addRow("", self.curated)
        self.offsets = QComboBox()
        self.offsets.setObjectName("exportOffsets")
        self.offsets.addItem("Code points (Python string indices)", "codepoints")
        self.offsets.addItem("UTF-16 units (JavaScript, doccano's web page)", "utf16")
        self.offsets.setToolTip("UTF-16 offsets are written by the doccano format only")
        form.addRow("Offsets", self.offsets)
        self.spans_key = QLineEdit("sc")
        self.spans_key.setObjectName("exportSpansKey")
        self.align = QComboBox()
        self.align.setObjectName("exportAlign")
        self.align.addItem("strict: leave out spans off token boundaries", "strict")
        self.align.addItem("contract: shrink them to the tokens inside", "contract")
        self.align.addItem("expand: grow them to the tokens they touch", "expand")
        self.lang = QLineEdit("en")
        self.lang.setObjectName("exportLang")
        self.lang.setToolTip("The language code spaCy's blank tokenizer is made for (en, de, fr…)")
        spacy = QHBoxLayout()
        spacy.addWidget(QLabel("doc.spans key"))
        spacy.addWidget(self.spans_key)
        spacy.addWidget(QLabel("language"))
        spacy.addWidget(self.lang)
        form.addRow("spaCy", spacy)
        form.addRow("", self.align)
        self.bom = QCheckBox("Begin with a byte-order mark, for Microsoft Excel")
        self.bom.setObjectName("exportBom")
        self.bom.setToolTip(
            "Excel reads a double-clicked CSV file as UTF-8 only when it begins with one;"
            " other programs do not need it"
        )
        form.addRow("CSV", self.bom)
        form.addRow("Destination", where)
        self.format.currentTextChanged.connect(self._format_chosen)
        self._format_chosen(self.format.currentText())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.choose_destination: Callable[[str], str | None] = self._ask_destination

    def _suffix(self) -> str:
        return FORMATS_BY_NAME[self.format.currentText()].suffix

    def _format_chosen(self, fmt: str) -> None:
        """Each format's own options are offered with it alone, as on the command line."""
        self.summary.setText(FORMATS_BY_NAME[fmt].summary)
        doccano = fmt == "doccano"
        if not doccano:
            self.offsets.setCurrentIndex(0)
        self.offsets.setEnabled(doccano)
        for w in (self.spans_key, self.align, self.lang):
            w.setEnabled(fmt == "spacy")
        self.bom.setEnabled(fmt == "csv")
        if fmt != "csv":
            self.bom.setChecked(False)
        suffix = FORMATS_BY_NAME[fmt].suffix
        self.destination.setToolTip(
            "A folder (a new one named after the project, format and time is made in it)"
            if not suffix
            else "A folder (a new file named after the project, format and time is made in "
            f"it) or a file name ending in {suffix}"
        )

    def file_filter(self) -> str | None:
        """The save dialog's filter for the chosen format; None for a folder format."""
        suffix = self._suffix()
        return f"{self.format.currentText()} (*{suffix})" if suffix else None

    def _ask_destination(self, current: str) -> str | None:
        filters = self.file_filter()
        if filters is None:
            path = QFileDialog.getExistingDirectory(self, "Export into", current)
        else:
            path, _ = QFileDialog.getSaveFileName(self, "Export to", current, filters)
        return path or None

    def _browse(self) -> None:
        chosen = self.choose_destination(self.destination.text())
        if chosen:
            self.destination.setText(chosen)

    def options(self) -> dict[str, Any]:
        """Keyword arguments for ``exporters.export`` (besides the store)."""
        dest = Path(self.destination.text().strip() or "exports").expanduser()
        suffix = self._suffix()
        if suffix:
            is_file = dest.suffix.lower() == suffix and not dest.is_dir()
        else:  # a folder format: a folder that is not there yet is the export itself
            is_file = not dest.exists()
        return {
            "fmt": self.format.currentText(),
            "destination": dest if is_file else None,
            "exports_dir": dest.parent if is_file else dest,
            "statuses": _checked(self.statuses),
            "labels": _checked(self.labels),
            "annotators": _checked(self.annotators),
            "only_with_spans": self.only_with_spans.isChecked(),
            "include_suggestions": self.include_suggestions.isChecked(),
            "curated": self.curated.isChecked(),
            "offsets": self.offsets.currentData(),
            "spans_key": self.spans_key.text().strip() or "sc",
            "align": self.align.currentData(),
            "lang": self.lang.text().strip() or "en",
            "bom": self.bom.isChecked(),
        }


class GuidelinesDialog(QDialog):
    """The labels' definitions: the annotation guidelines as the project states them, in the
    article's reading size."""

    def __init__(
        self, labels: list[Label], parent: QWidget | None = None, *, font: QFont | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("guidelinesDialog")
        self.setWindowTitle("Label guidelines")
        parts = []
        for lab in labels:
            key = f" — hotkey <b>{html.escape(lab.hotkey)}</b>" if lab.hotkey else ""
            parts.append(
                f'<h3><span style="color:{lab.color}">■</span> {html.escape(lab.name)}{key}</h3>'
                f"<p>{html.escape(lab.definition or 'No definition yet.')}</p>"
            )
        self.browser = QTextBrowser()
        self.browser.setObjectName("guidelines")
        if font is not None:
            self.browser.setFont(font)
        self.browser.setHtml("".join(parts))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(620, 520)


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(what it does, keys) for every action that has a shortcut, in menu order."""
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = [k for k in keys if k]
        if keys:
            rows.append((action.text().replace("&", ""), ", ".join(keys)))
    return rows


class ShortcutSheet(QDialog):
    """Every shortcut, read from the window's actions so the sheet cannot drift from them."""

    def __init__(
        self, actions: list[QAction], extra: list[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(actions) + extra
        self.table = QTableWidget(len(rows), 2)
        self.table.setObjectName("shortcutTable")
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for r, (what, keys) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(what))
            self.table.setItem(r, 1, QTableWidgetItem(keys))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        self.resize(560, 640)
