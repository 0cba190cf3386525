"""View → Agreement: the figures of ``annotator agreement`` in the window.

For each pair of analysts (or each analyst against the curated layer), the all-labels row and
one row per label: both analysts' span counts, exact F1, overlap F1 and Cohen's κ, "–" where a
figure is undefined; below, the documents ordered by disagreement, each opened in the window
by a double-click or Enter. The figures are :func:`annotator.team.curation.agreement`'s, the same
the command line prints with ``--json``.

Against gold, each analyst over the gold documents they marked done: their spans and gold's,
exact and overlap F1 (precision and recall in each cell's tooltip), per label and per relation
type, as ``annotator agreement --against gold`` (:func:`annotator.team.gold_scores.score`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from annotator.store.project import Store

FIGURES = ("a_spans", "b_spans", "exact_f1", "overlap_f1", "kappa")
# Each pair's own row names its two analysts above their span counts.
HEADERS = ("Analysts / label", "Spans", "Spans", "Exact F1", "Overlap F1", "κ")
RELATIONS = " (relations)"
ALL_LABELS = "all labels"
GOLD_HEADERS = ("Analyst / label", "Spans", "Gold", "Exact F1", "Overlap F1", "")
DOCUMENTS_SAID = "Documents by disagreement (double-click or Enter opens one in the window):"


def _gold_row(name: str, figures: dict[str, Any], of: str) -> QTreeWidgetItem:
    """One row against gold: the counts and F1s, precision and recall in the tooltips."""
    row = QTreeWidgetItem(
        [
            name,
            figure(figures[f"analyst_{of}"]),
            figure(figures[f"gold_{of}"]),
            figure(figures["exact_f1"]),
            figure(figures["overlap_f1"]),
            "",
        ]
    )
    for col, kind in ((3, "exact"), (4, "overlap")):
        row.setToolTip(
            col,
            f"{kind} precision {figure(figures[kind + '_precision'])}, "
            f"recall {figure(figures[kind + '_recall'])}",
        )
    for col in range(1, len(GOLD_HEADERS)):
        row.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return row


def figure(value: Any) -> str:
    """A figure as the table shows it: counts whole, ratios to three places, "–" for null."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


class AgreementDialog(QDialog):
    def __init__(
        self,
        store: Store,
        open_document: Callable[[int, bool], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("agreementDialog")
        self.setWindowTitle("Agreement")
        self.store = store
        self.open_document = open_document
        self.report: dict[str, Any] = {"pairs": [], "documents": []}

        self.label = QComboBox()
        self.label.setObjectName("agreementLabel")
        self.label.addItem("Every label", None)
        for lab in store.labels.all():
            self.label.addItem(lab.name, lab.name)
        self.against = QCheckBox("Against the &curated layer")
        self.against.setObjectName("agreementAgainstCurated")
        self.against_gold = QCheckBox("Against &gold")
        self.against_gold.setObjectName("agreementAgainstGold")
        self.against_gold.setToolTip(
            "Each analyst's precision, recall and F1 on the gold documents they marked done"
        )
        self.in_review = QCheckBox("Open documents in &review mode")
        self.in_review.setObjectName("agreementOpenInReview")
        self.in_review.setChecked(True)
        self.summary = QLabel()
        self.summary.setObjectName("agreementSummary")
        self.summary.setWordWrap(True)

        self.pairs = QTreeWidget()
        self.pairs.setObjectName("agreementPairs")
        self.pairs.setColumnCount(len(HEADERS))
        self.pairs.setHeaderLabels(list(HEADERS))
        self.pairs.setRootIsDecorated(True)
        self.pairs.setUniformRowHeights(True)
        self.pairs.setAlternatingRowColors(True)
        header = self.pairs.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        for col in range(1, len(HEADERS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            widest = max(
                metrics.horizontalAdvance(HEADERS[col]), metrics.horizontalAdvance("−0.000")
            )
            header.resizeSection(col, widest + 24)

        self.documents = QTableWidget(0, 4)
        self.documents.setObjectName("agreementDocuments")
        self.documents.setHorizontalHeaderLabels(["#", "Title", "Spans not matched", "Exact F1"])
        self.documents.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.documents.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.documents.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.documents.verticalHeader().hide()
        self.documents.setShowGrid(False)
        self.documents.setWordWrap(False)
        dheader = self.documents.horizontalHeader()
        dheader.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, text in ((0, "0000"), (2, "Spans not matched"), (3, "Exact F1")):
            dheader.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            dheader.resizeSection(col, metrics.horizontalAdvance(text) + 24)
        self.documents.activated.connect(lambda index: self._open(index.row()))

        top = QHBoxLayout()
        shown = QLabel("&Label:")
        shown.setBuddy(self.label)
        top.addWidget(shown)
        top.addWidget(self.label)
        top.addSpacing(16)
        top.addWidget(self.against)
        top.addWidget(self.against_gold)
        top.addStretch(1)
        top.addWidget(self.in_review)
        below = QWidget()
        column = QVBoxLayout(below)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(DOCUMENTS_SAID))
        column.addWidget(self.documents, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.pairs)
        split.addWidget(below)
        self.below = below  # the documents by disagreement, between analysts only
        split.setSizes([330, 230])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.label.currentIndexChanged.connect(self.measure)
        self.against.toggled.connect(lambda on: self._one_comparison(on, self.against_gold))
        self.against_gold.toggled.connect(lambda on: self._one_comparison(on, self.against))
        self.resize(860, 640)
        self.measure()

    def _one_comparison(self, on: bool, other: QCheckBox) -> None:
        """Against the curated layer and against gold are two ways of comparing: one at a
        time."""
        if on and other.isChecked():
            blocked = other.blockSignals(True)
            other.setChecked(False)
            other.blockSignals(blocked)
        self.measure()

    def measure(self) -> None:
        """Work the figures out again for the label and comparison chosen."""
        from annotator.team.layers import CURATED
        from annotator.team.project_agreement import agreement

        label = self.label.currentData()
        if self.against_gold.isChecked():
            self._measure_gold(label)
            return
        self.pairs.setHeaderLabels(list(HEADERS))
        self.below.show()
        against = CURATED if self.against.isChecked() else None
        self.report = agreement(self.store, [label] if label else None, against=against).to_json()
        self._show_pairs()
        self._show_documents()

    def _show_pairs(self) -> None:
        self.pairs.clear()
        pairs = self.report["pairs"]
        if not pairs:
            self.summary.setText(
                "No two analysts to compare: agreement needs the work of at least two analysts"
                " (merge their projects into this one), each marking documents done."
            )
        else:
            self.summary.setText(
                "Over the documents both marked done. Exact F1: same start and end;"
                " overlap F1: at least one character shared; κ: Cohen's kappa over characters."
            )
        bold = QFont(self.pairs.font())
        bold.setBold(True)
        for pair in pairs:
            count = pair["documents"]
            title = f"{pair['a']} and {pair['b']}, {count} document{'' if count == 1 else 's'}"
            every = pair["all"]
            top = QTreeWidgetItem(
                [
                    title,
                    f"{pair['a']}: {figure(every['a_spans'])}",
                    f"{pair['b']}: {figure(every['b_spans'])}",
                    *(figure(every[k]) for k in FIGURES[2:]),
                ]
            )
            top.setToolTip(0, f"{ALL_LABELS}: the figures of every label together")
            for col in range(len(HEADERS)):
                top.setFont(col, bold)
            for name, figures in pair["labels"].items():
                row = QTreeWidgetItem([name, *(figure(figures[k]) for k in FIGURES)])
                top.addChild(row)
            for name, figures in pair.get("relations", {}).items():
                counts = (figures["a_relations"], figures["b_relations"], figures["exact_f1"])
                row = QTreeWidgetItem([name + RELATIONS, *(figure(v) for v in counts), "", ""])
                row.setToolTip(0, f"{name} relations: the same two ends and type")
                top.addChild(row)
            for item in [top, *(top.child(i) for i in range(top.childCount()))]:
                if item is None:
                    continue
                for col in range(1, len(HEADERS)):
                    item.setTextAlignment(
                        col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
            self.pairs.addTopLevelItem(top)
            top.setExpanded(True)

    def _measure_gold(self, label: str | None) -> None:
        from annotator.team.gold_scores import score

        self.report = {"gold": score(self.store, [label] if label else None).to_json()}
        self.report.update(pairs=[], documents=[])
        self.pairs.setHeaderLabels(list(GOLD_HEADERS))
        self._show_gold(self.report["gold"])
        self._show_documents()
        self.below.hide()

    def _show_gold(self, report: dict[str, Any]) -> None:
        """A row per analyst against gold, with a row per label and per relation type."""
        self.pairs.clear()
        if not report["gold_documents"]:
            self.summary.setText(
                "No document is gold yet: Review → Gold document marks curated documents gold."
            )
        elif not report["analysts"]:
            self.summary.setText("No analyst has marked a gold document done yet.")
        else:
            self.summary.setText(
                "Each analyst over the gold documents they marked done, their work against the"
                " curated layer. Exact F1: same start, end and label; overlap F1: a character"
                " shared (relations: both ends). Precision and recall: hover a figure; over"
                " time: View → Statistics."
            )
        bold = QFont(self.pairs.font())
        bold.setBold(True)
        for row in report["analysts"]:
            count = row["documents"]
            title = f"{row['analyst']} against gold, {count} document{'' if count == 1 else 's'}"
            top = _gold_row(title, row["all"], "spans")
            for col in range(len(GOLD_HEADERS)):
                top.setFont(col, bold)
            for name, figures in row["labels"].items():
                top.addChild(_gold_row(name, figures, "spans"))
            for name, figures in row["relations"]["types"].items():
                top.addChild(_gold_row(name + RELATIONS, figures, "relations"))
            self.pairs.addTopLevelItem(top)
            top.setExpanded(True)

    def _show_documents(self) -> None:
        rows = self.report["documents"]
        self.documents.setRowCount(len(rows))
        for r, doc in enumerate(rows):
            cells = [
                str(doc["number"]),
                doc["title"],
                str(doc["unmatched_spans"]),
                figure(doc["exact_f1"]),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, doc["number"])
                if c != 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.documents.setItem(r, c, item)

    def _open(self, row: int) -> None:
        item = self.documents.item(row, 0)
        if item is not None:
            self.open_document(int(item.data(Qt.ItemDataRole.UserRole)), self.in_review.isChecked())

    # -- what the tables show, read back (tests compare it with the report) -----------------

    def shown_pairs(self) -> list[dict[str, Any]]:
        """Each pair as the table shows it: {"title", "all": [...], "labels": {name: [...]}}."""
        out = []
        for i in range(self.pairs.topLevelItemCount()):
            top = self.pairs.topLevelItem(i)
            if top is None:
                continue
            texts = [top.text(c) for c in range(1, len(HEADERS))]
            labels = {}
            for j in range(top.childCount()):
                child = top.child(j)
                if child is not None:
                    labels[child.text(0)] = [child.text(c) for c in range(1, len(HEADERS))]
            out.append({"title": top.text(0), "all": texts, "labels": labels})
        return out

    def shown_documents(self) -> list[list[str]]:
        def text(r: int, c: int) -> str:
            item = self.documents.item(r, c)
            return item.text() if item is not None else ""

        return [
            [text(r, c) for c in range(self.documents.columnCount())]
            for r in range(self.documents.rowCount())
        ]
