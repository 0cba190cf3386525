"""The Export dialog: format, filters, options and destination, as the command line's
``export`` takes them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.formats.catalog import FORMATS_BY_NAME, default_statuses
from annotator.gui.panels.document_list import STATUS_NAMES
from annotator.model import STATUSES

if TYPE_CHECKING:
    from annotator.store.project import Store


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
        self.statuses.setToolTip(
            "Every format but annotator's own (the backup) takes the documents marked done "
            "unless you tick others; the curated layer takes every document a curator settled"
        )
        # The format's default statuses are ticked until the analyst ticks their own.
        self._statuses_chosen = False
        self._ticking = False
        self.statuses.itemChanged.connect(self._statuses_ticked)
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
        self.curated.toggled.connect(lambda _on: self._tick_default_statuses())
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

    def _statuses_ticked(self, _item: QListWidgetItem) -> None:
        if not self._ticking:
            self._statuses_chosen = True

    def _tick_default_statuses(self) -> None:
        """Tick the statuses the command line takes for this format when none are given
        (done, or every one for annotator's own format and the curated layer), unless the
        analyst has ticked their own."""
        if self._statuses_chosen:
            return
        wanted = default_statuses(self.format.currentText(), self.curated.isChecked())
        self._ticking = True
        try:
            for i in range(self.statuses.count()):
                item = self.statuses.item(i)
                on = wanted is None or item.data(Qt.ItemDataRole.UserRole) in wanted
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        finally:
            self._ticking = False

    def _format_chosen(self, fmt: str) -> None:
        """Each format's own options are offered with it alone, as on the command line."""
        self.summary.setText(FORMATS_BY_NAME[fmt].summary)
        self._tick_default_statuses()
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
