"""View → Progress of the work: the figures of ``annotator progress`` in a window beside the main
one. A row per analyst and one for everyone: the documents assigned, how many of them the
analyst has in progress, done and skipped (in this project, or merged back from their
packets), sent back for correction and not returned, the share finished; above it, the documents and the packets that came back.

Read with :func:`annotator.team.packet_progress.progress` (two grouped queries), whenever the
window is opened or refreshed; the window's owner refreshes it when the project changes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.printable import printable

if TYPE_CHECKING:
    from annotator.store.project import Store
    from annotator.team.packet_progress import Progress, Tally

EVERYONE = "Everyone"


def finished_share(tally: Tally) -> str:
    """The share of the documents assigned that the analyst finished (done or skipped), in
    whole percent, rounded down: 100 % only when every one is."""
    if not tally.assigned:
        return "–"
    return f"{(tally.done + tally.skipped) * 100 // tally.assigned} %"


def documents_line(figures: Progress) -> str:
    """The documents themselves, each counted once."""
    docs = figures.documents
    said = f"{docs.assigned:,} of {docs.total:,} documents are assigned"
    if docs.unassigned:
        said += f" ({docs.unassigned:,} not yet)"
    if not figures.has_work:
        return said + "."
    return (
        f"{said}: {docs.done:,} done by every analyst given them, {docs.in_progress:,} in "
        f"progress, {docs.not_started:,} not started."
    )


def packets_line(figures: Progress) -> str:
    """The packets made and how many came back, naming the analysts still out."""
    made = sum(a.packets for a in figures.analysts)
    if not made:
        return ""
    back = sum(a.packets_returned for a in figures.analysts)
    said = f"{back:,} of {made:,} packets have come back"
    out = [printable(a.analyst) for a in figures.analysts if a.packets_returned < a.packets]
    if not out:
        return said + "."
    shown = ", ".join(out[:5]) + (f" and {len(out) - 5:,} more" if len(out) > 5 else "")
    return f"{said}; still out: {shown}."


class WorkProgressWindow(QDialog):
    """The progress table of the project ``store_of`` gives (none: nothing is open)."""

    def __init__(
        self,
        store_of: Callable[[], Store | None],
        assign_work: Callable[[], object],
        assign_keys: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("workProgressWindow")
        self.store_of = store_of
        self.assign_keys = assign_keys
        self.figures: Progress | None = None
        self.headings: list[str] = []
        self.documents = QLabel()
        self.documents.setObjectName("workProgressDocuments")
        self.documents.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("workProgressTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.said = QLabel()
        self.said.setObjectName("workProgressSaid")
        self.said.setWordWrap(True)
        self.said.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        assign = QPushButton("Assign work…")
        assign.setObjectName("workProgressAssign")
        assign.clicked.connect(lambda: assign_work())
        refresh = QPushButton("Refresh")
        refresh.setObjectName("workProgressRefresh")
        refresh.clicked.connect(self.refresh)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        bar = QHBoxLayout()
        bar.addWidget(assign)
        bar.addStretch(1)
        bar.addWidget(refresh)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.documents)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.said)
        layout.addStretch(0)  # the words stay at the top while there is no table
        layout.addLayout(bar)
        self.resize(620, 420)
        self.refresh()

    def refresh(self) -> Progress | None:
        """Read the figures again and show them."""
        from annotator.store.project import ProjectError
        from annotator.team.packet_progress import progress

        store = self.store_of()
        if store is None:
            self.setWindowTitle("Progress of the work")
            self._show_nothing("No project is open.")
            return None
        self.setWindowTitle(f"Progress of the work — {store.path.name}")
        try:
            self.figures = progress(store)
        except (ProjectError, sqlite3.Error) as e:
            self._show_nothing(f"The figures could not be read: {e}")
            return None
        if not self.figures.analysts:
            self._show_nothing(
                f"No documents are assigned yet. Review → Assign work… ({self.assign_keys}) "
                "gives them out to analysts, each with a packet of their own; on the command "
                "line: annotator assign ANALYST..."
            )
            return self.figures
        self._show_table(self.figures)
        lines = (documents_line(self.figures), packets_line(self.figures))
        self.documents.setText("\n".join(line for line in lines if line))
        self.documents.show()
        self.said.setText(
            ""
            if self.figures.has_work
            else "No work has come back yet: merge the returned packets into this project "
            f"(annotator merge PACKET... --into {printable(store.path.name)}) and the "
            "statuses they bring count here."
        )
        return self.figures

    def _show_nothing(self, why: str) -> None:
        self.headings = []
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.table.hide()
        self.documents.clear()
        self.documents.hide()
        self.said.setText(why)

    def _columns(self, figures: Progress) -> list[str]:
        columns = ["Analyst", "Assigned", "In progress", "Done"]
        if figures.overall.skipped:
            columns.append("Skipped")
        if figures.sent_back:
            columns.append("Sent back")
        columns.append("Finished")
        return columns

    def _show_table(self, figures: Progress) -> None:
        self.headings = self._columns(figures)
        self.table.show()
        self.table.clear()
        self.table.setColumnCount(len(self.headings))
        for column, heading in enumerate(self.headings):
            # two words on two lines: the table fits the room beside the main window
            item = QTableWidgetItem(heading.replace(" ", "\n"))
            if heading == "Finished":
                item.setToolTip("The share of the documents assigned marked done or skipped")
            if heading == "Sent back":
                item.setToolTip("Documents sent back for correction, not come back corrected yet")
            self.table.setHorizontalHeaderItem(column, item)
        # Every column as wide as its text, the last one taking the room left: in a narrow
        # window the table scrolls sideways rather than cutting a name or a figure short.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        rows: list[tuple[str, Tally]] = [(printable(a.analyst), a) for a in figures.analysts]
        rows.append((EVERYONE, figures.overall))
        sent = [a.sent_back for a in figures.analysts] + [figures.sent_back]
        self.table.setRowCount(len(rows))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for row, (name, tally) in enumerate(rows):
            values = {
                "Analyst": name,
                "Assigned": f"{tally.assigned:,}",
                "In progress": f"{tally.in_progress:,}",
                "Done": f"{tally.done:,}",
                "Skipped": f"{tally.skipped:,}",
                "Sent back": f"{sent[row]:,}",
                "Finished": finished_share(tally),
            }
            for column, heading in enumerate(self.headings):
                item = QTableWidgetItem(values[heading])
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if row == len(rows) - 1:
                    item.setFont(bold)
                self.table.setItem(row, column, item)

    def cell(self, row: int, heading: str) -> str:
        """The text of one cell as shown (the last row is everyone's)."""
        item = self.table.item(row, self.headings.index(heading))
        return item.text() if item is not None else ""

    def rows(self) -> dict[str, dict[str, str]]:
        """Every row as shown, by its first cell: each heading's text."""
        return {
            self.cell(row, "Analyst"): {h: self.cell(row, h) for h in self.headings}
            for row in range(self.table.rowCount())
        }
