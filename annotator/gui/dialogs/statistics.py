"""View → Statistics: the project's progress in the window, the same tables and charts as
``annotator report``, drawn from the same figures (``statistics.figures``).

The page is the report's own, shown in a read-only browser; its charts are the report's
matplotlib Figures, drawn here as images at the screen's resolution. Refresh reads the
project again; Save as report… writes the self-contained HTML page.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.model import utc_now

if TYPE_CHECKING:
    from annotator.progress.charts import Chart
    from annotator.store.project import Store

_SCHEME = "chart"


class ChartBrowser(QTextBrowser):
    """A read-only page whose ``chart:<key>`` images are the charts drawn for it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.images: dict[str, QImage] = {}
        self.setOpenLinks(False)

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        url = QUrl(name)
        if url.scheme() == _SCHEME and url.path() in self.images:
            return self.images[url.path()]
        return super().loadResource(kind, name)


class StatisticsWindow(QDialog):
    def __init__(
        self,
        store: Store,
        save_as: Callable[[str, str, str], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("statisticsWindow")
        self.setWindowTitle(f"Statistics — {store.path.name}")
        self.store = store
        self.save_as = save_as
        self.figures: dict[str, Any] = {}
        self.period = QComboBox()
        self.period.setObjectName("statisticsPeriod")
        self.period.addItem("per day", "day")
        self.period.addItem("per week", "week")
        self.break_after = QSpinBox()
        self.break_after.setObjectName("statisticsBreak")
        self.break_after.setRange(1, 240)
        self.break_after.setValue(5)
        self.break_after.setSuffix(" min")
        self.break_after.setToolTip(
            "A gap between two changes longer than this is a break, and counts no time"
        )
        refresh = QPushButton("Refresh")
        refresh.setObjectName("statisticsRefresh")
        save = QPushButton("Save as report…")
        save.setObjectName("statisticsSave")
        close = QPushButton("Close")
        self.said = QLabel()
        self.said.setObjectName("statisticsSaid")
        self.view = ChartBrowser()
        self.view.setObjectName("statisticsView")
        self.view.document().setDefaultStyleSheet(
            "th { background-color: #f2f4f7; } td.n { text-align: right; }"
            " p.note { color: #56606d; } h2 { margin-top: 18px; }"
        )
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Documents done"))
        bar.addWidget(self.period)
        bar.addWidget(QLabel("a break after"))
        bar.addWidget(self.break_after)
        bar.addWidget(refresh)
        bar.addStretch(1)
        bar.addWidget(save)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.said)
        refresh.clicked.connect(self.refresh)
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        save.clicked.connect(self.save_report)
        close.clicked.connect(self.close)
        self.resize(900, 760)
        self.refresh()

    def options(self) -> dict[str, Any]:
        return {"break_after": self.break_after.value() * 60.0, "period": self.period.currentData()}

    def refresh(self) -> None:
        """Read the figures again and show them."""
        from annotator.progress.report import render
        from annotator.progress.statistics import figures
        from annotator.store.project import ProjectError

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            try:
                self.figures = figures(self.store, **self.options())
            except (ProjectError, sqlite3.Error) as e:
                self.said.setText(f"The figures could not be read: {e}")
                return
            self.view.images = {}
            page = render(
                self.figures,
                project=self.store.path.name,
                made_at=utc_now(),
                draw=self._draw,
                with_data=False,
            )
            # Qt's rich text draws table borders and padding from attributes, not from CSS.
            page = page.replace("<table ", '<table border="1" cellspacing="0" cellpadding="4" ')
            top = self.view.verticalScrollBar().value()
            self.view.setHtml(page)
            self.view.verticalScrollBar().setValue(top)
        finally:
            QGuiApplication.restoreOverrideCursor()

    def _draw(self, chart: Chart) -> str:
        """The chart as an image in the page, sharp on this screen."""
        ratio = self.devicePixelRatioF() or 1.0
        buffer = io.BytesIO()
        chart.figure.savefig(buffer, format="png", dpi=96 * ratio)
        image = QImage.fromData(buffer.getvalue())
        image.setDevicePixelRatio(ratio)
        self.view.images[chart.key] = image
        width = round(image.width() / ratio)
        return f'<img src="{_SCHEME}:{chart.key}" width="{width}">'

    def save_report(self) -> str | None:
        from annotator.progress.report import ReportError, write_report

        chosen = self.save_as(
            "Save the report", f"{self.store.path.stem}-report.html", "HTML page (*.html)"
        )
        if not chosen:
            return None
        try:
            written = write_report(self.store, chosen, **self.options())
        except ReportError as e:
            self.said.setText(f"Not saved: {e}")
            return None
        self.said.setText(f"Saved {written}")
        return str(written)
