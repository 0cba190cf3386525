"""Review → Assign work: the lead names the analysts and chooses the overlap, an agreement
sample, the queue order, the seed, the gold documents mixed into each packet and the packets'
folder; the dialog shows what each analyst will get before anything is written (the core's own plan, :func:`annotator.team.assign.preview`),
then Assign gives the documents out and writes the packets, all or nothing
(:func:`annotator.team.packets.assign_with_packets`), as ``annotator assign --packets`` does.

A setting the core refuses is said under the preview in the core's words, and Assign waits.
"""

from __future__ import annotations

import random
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRegularExpression, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.article.words import plural
from annotator.model import Refused
from annotator.printable import printable

if TYPE_CHECKING:
    from collections.abc import Callable

    from annotator.store.project import Store
    from annotator.team.assign import AssignReport
    from annotator.team.packets import PacketReport

#: The seeds the dialog draws (the command line draws from the same range).
SEEDS = 1_000_000
_SEED_DIGITS = 18  # below 2**63, the largest seed the project keeps
PREVIEW_WAIT_MS = 250  # after the last keystroke, before the shares are worked out again
# The core names the command line's options; the dialog's fields have these names.
_OPTIONS = (
    ("--overlap", "overlap"),
    ("--sample", "the agreement sample"),
    ("--order", "the queue order"),
)
_NAME_SEPARATORS = re.compile(r"[,\n]")
_SHARES = ("Analyst", "Documents", "Characters")


def names_typed(text: str) -> list[str]:
    """The analysts' names as typed: one a line, or separated by commas; blanks dropped."""
    return [name.strip() for name in _NAME_SEPARATORS.split(text) if name.strip()]


def in_window(message: str, *, first: bool = True) -> str:
    """A refusal of the core's as the dialog says it: its fields' names for the command line's
    options, as a sentence (``first``: beginning with a capital)."""
    for option, field in _OPTIONS:
        message = message.replace(option, field)
    if first:
        message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else message + "."


def _buddy(text: str, field: QWidget) -> QLabel:
    """A form's label whose mnemonic takes the keys to ``field`` (a row of several widgets
    has no label of its own to point at one)."""
    label = QLabel(text)
    label.setBuddy(field)
    return label


def default_folder(store: Store) -> Path:
    """Where the packets go unless the lead says otherwise: beside the last ones, else in
    ``exports/packets`` beside the project."""
    from annotator.team.packets import last_folder

    return last_folder(store) or store.path.resolve().parent / "exports" / "packets"


class AssignDialog(QDialog):
    """The assignment's settings, a preview of the shares, and Assign. After it is accepted,
    ``report`` and ``packets`` say what was written."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        from annotator.team.assign import last_run

        super().__init__(parent)
        self.setObjectName("assignDialog")
        self.setWindowTitle("Assign work")
        self.store = store
        self.report: AssignReport | None = None
        self.packets: list[PacketReport] = []
        self.choose_folder: Callable[[str], str | None] = self._ask_folder
        last = last_run(store)

        self.analysts = QPlainTextEdit()
        self.analysts.setObjectName("assignAnalysts")
        self.analysts.setTabChangesFocus(True)
        self.analysts.setPlaceholderText("For example:\nana\nbo, cy")
        self.analysts.setPlainText("\n".join(last.analysts) if last else "")
        self.analysts.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.known = QComboBox()
        self.known.setObjectName("assignKnownAnalysts")
        self.known.activated.connect(self._add_known)
        names_hint = QLabel("One name a line, or separated by commas.")
        names_hint.setObjectName("assignNamesHint")
        names_hint.setEnabled(False)
        names_row = QHBoxLayout()
        names_row.addWidget(names_hint, 1)
        names_row.addWidget(self.known)

        self.overlap = QSpinBox()
        self.overlap.setObjectName("assignOverlap")
        self.overlap.setRange(1, 10_000)
        self.overlap.setValue(last.overlap if last else 1)
        self._name_overlap()
        self.overlap.valueChanged.connect(lambda _k: self._name_overlap())
        overlap_row = QHBoxLayout()
        overlap_row.addWidget(self.overlap)
        overlap_row.addStretch(1)
        self.sampled = QCheckBox("Only on an agreement sample of")
        self.sampled.setObjectName("assignSampled")
        self.sample = QDoubleSpinBox()
        self.sample.setObjectName("assignSample")
        self.sample.setRange(0.1, 100.0)
        self.sample.setDecimals(1)
        self.sample.setSingleStep(5.0)
        self.sample.setSuffix(" % of the documents")
        self.sample.setValue(last.sample * 100 if last and last.sample else 20.0)
        self.sampled.setChecked(bool(last and last.sample))
        self.sample.setEnabled(self.sampled.isChecked())
        self.sampled.toggled.connect(self.sample.setEnabled)
        sample_row = QHBoxLayout()
        sample_row.addWidget(self.sampled)
        sample_row.addWidget(self.sample)
        sample_row.addStretch(1)
        self.sharing = QLabel()
        self.sharing.setObjectName("assignSharing")
        self.sharing.setWordWrap(True)
        self.sharing.setEnabled(False)

        self.order = QComboBox()
        self.order.setObjectName("assignOrder")
        self.order.addItem("the project's order", "project")
        self.order.addItem("shuffled by the seed", "shuffled")
        self.order.setCurrentIndex(max(0, self.order.findData(last.order if last else "project")))

        self.seed = QLineEdit(str(random.SystemRandom().randrange(SEEDS)))
        self.seed.setObjectName("assignSeed")
        self.seed.setValidator(
            QRegularExpressionValidator(QRegularExpression(rf"\d{{1,{_SEED_DIGITS}}}"), self)
        )
        self.seed.setToolTip(
            "Chooses the sample, the ties and a shuffled order: the same seed on the same "
            "documents gives the same assignment"
        )
        new_seed = QPushButton("New seed")
        new_seed.setObjectName("assignNewSeed")
        new_seed.clicked.connect(self._new_seed)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(new_seed)

        self.gold = QSpinBox()
        self.gold.setObjectName("assignGold")
        self.gold.setRange(0, 10_000)
        self.gold.setSpecialValueText("none")
        self.gold.setToolTip(
            "Gold documents (curated, marked gold) each analyst never had, mixed into their "
            "packet at places the seed chooses, to score them against gold"
        )
        self.gold_left = QLabel()
        self.gold_left.setObjectName("assignGoldLeft")
        self.gold_left.setEnabled(False)
        gold_row = QHBoxLayout()
        gold_row.addWidget(self.gold)
        gold_row.addWidget(self.gold_left, 1)

        self.folder = QLineEdit(str(default_folder(store)))
        self.folder.setObjectName("assignFolder")
        self.folder.setToolTip(
            "Each analyst's packet is written here as ANALYST-N.db (made when missing); "
            "a file already there is never replaced"
        )
        browse = QPushButton("Browse…")
        browse.setObjectName("assignBrowse")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)

        form = QFormLayout()
        form.addRow("&Analysts", self.analysts)
        form.addRow("", names_row)
        form.addRow(_buddy("Each &document to", self.overlap), overlap_row)
        form.addRow("", sample_row)
        form.addRow("", self.sharing)
        form.addRow("Queue &order", self.order)
        form.addRow(_buddy("&Seed", self.seed), seed_row)
        form.addRow(_buddy("&Gold documents per packet", self.gold), gold_row)
        form.addRow(_buddy("Packets &folder", self.folder), folder_row)

        self.shares = QTableWidget(0, len(_SHARES))
        self.shares.setObjectName("assignShares")
        self.shares.setHorizontalHeaderLabels(list(_SHARES))
        self._fit_shares()
        self.shares.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.shares.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.shares.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.shares.verticalHeader().hide()
        self.shares.setWordWrap(False)
        self.summary = QLabel()
        self.summary.setObjectName("assignSummary")
        self.summary.setWordWrap(True)
        self.said = QLabel()
        self.said.setObjectName("assignSaid")
        self.said.setWordWrap(True)
        self.said.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.assign_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.assign_button.setText("Assign")
        self.assign_button.setObjectName("assignButton")
        buttons.accepted.connect(self.assign)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        preview_title = QLabel("What each analyst will get")
        preview_title.setObjectName("assignPreviewTitle")
        font = preview_title.font()
        font.setBold(True)
        preview_title.setFont(font)
        layout.addWidget(preview_title)
        layout.addWidget(self.summary)
        layout.addWidget(self.said)  # why the settings cannot be kept, where the shares would be
        layout.addWidget(self.shares, 1)
        layout.addWidget(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_WAIT_MS)
        self._timer.timeout.connect(self.show_preview)
        self.analysts.textChanged.connect(self._later)
        self.analysts.textChanged.connect(self._fill_known)
        self.overlap.valueChanged.connect(self._later)
        self.sampled.toggled.connect(self._later)
        self.sample.valueChanged.connect(self._later)
        self.seed.textChanged.connect(self._later)
        self.gold.valueChanged.connect(self._later)
        self._known_names = self._known()
        self._fill_known()
        self.resize(620, 680)
        self.show_preview()

    # -- the settings -------------------------------------------------------------------------

    def settings(self) -> dict[str, Any]:
        """The keyword arguments of ``assign`` as chosen (the seed as typed: checked apart)."""
        return {
            "overlap": self.overlap.value(),
            "sample": round(self.sample.value() / 100, 6) if self.sampled.isChecked() else None,
            "seed": int(self.seed.text()) if self.seed.text() else None,
            "order": self.order.currentData(),
        }

    def names(self) -> list[str]:
        return names_typed(self.analysts.toPlainText())

    def packets_folder(self) -> Path:
        """The folder as typed; a relative one is taken from the project's folder."""
        typed = Path(self.folder.text().strip() or "exports/packets").expanduser()
        return typed if typed.is_absolute() else self.store.path.resolve().parent / typed

    def _known(self) -> list[str]:
        """Everyone the project knows: those with work in it and those given documents."""
        from annotator.team.packet_progress import progress

        given = {a.analyst for a in progress(self.store).analysts}
        return sorted(set(self.store.statuses.analysts()) | given)

    def _fill_known(self) -> None:
        """The analysts the project knows who are not named yet, to add with a click."""
        named = set(self.names())
        left = [n for n in self._known_names if n not in named]
        self.known.clear()
        self.known.addItem("Add an analyst the project knows…" if left else "No other analysts")
        for name in left:
            self.known.addItem(name, name)
        self.known.setEnabled(bool(left))
        self.known.setVisible(bool(self._known_names))

    def _add_known(self, index: int) -> None:
        name = self.known.itemData(index)
        if not name:
            return
        text = self.analysts.toPlainText().rstrip()
        self.analysts.setPlainText(f"{text}\n{name}" if text else name)
        self.known.setCurrentIndex(0)

    def _name_overlap(self) -> None:
        self.overlap.setSuffix(" analyst" if self.overlap.value() == 1 else " analysts")

    def _new_seed(self) -> None:
        self.seed.setText(str(random.SystemRandom().randrange(SEEDS)))

    def _ask_folder(self, current: str) -> str | None:
        return QFileDialog.getExistingDirectory(self, "Write the packets into", current) or None

    def _browse(self) -> None:
        chosen = self.choose_folder(self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    # -- the preview --------------------------------------------------------------------------

    def _later(self) -> None:
        """Work the shares out again once the lead stops typing (a big project takes a
        moment)."""
        self.assign_button.setEnabled(False)
        self._timer.start()

    def _refuse(self, why: str) -> None:
        self.said.setText(why)
        self.summary.clear()
        self.summary.hide()
        self.shares.setRowCount(0)
        self.assign_button.setEnabled(False)

    def _not_written(self, why: str) -> bool:
        """Assign was refused as it wrote (the folder, the project): the shares stay shown,
        with why; nothing was written."""
        self.said.setText(f"Nothing was assigned: {why}")
        self.assign_button.setEnabled(True)
        return False

    def show_preview(self) -> AssignReport | None:
        """What each analyst would get with the settings as they are, or why they cannot be
        kept (Assign waits until they can)."""
        from annotator.store.project import ProjectError
        from annotator.team.assign import preview

        self._timer.stop()
        self._sharing_said()
        settings = self.settings()
        if settings["seed"] is None:
            self._refuse("Give a seed: a whole number (New seed draws one).")
            return None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = preview(self.store, self.names(), **settings)
            gold_refused = self._gold_said()
            if gold_refused:
                self._refuse(gold_refused)
                return None
        except Refused as e:
            self._refuse(in_window(str(e)))
            return None
        except (ProjectError, sqlite3.Error) as e:
            self._refuse(f"The project could not be read: {e}")
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.said.clear()
        self._show_shares(report)
        if self.gold.value():
            self.summary.setText(f"{self.summary.text()} {self._gold_summary()}")
        self.assign_button.setEnabled(True)
        return report

    def _gold_said(self) -> str | None:
        """How many gold documents there are, beside the field; why the number asked for
        cannot be given (None when it can)."""
        from annotator.team.gold import gold_ids, left_for

        total = len(gold_ids(self.store.conn))
        asked = self.gold.value()
        if not total:
            self.gold_left.setText("No document is gold yet (Review → Gold document).")
            return (
                "No document is gold yet: mark curated documents gold (Review → Gold "
                "document), or put none in the packets."
                if asked
                else None
            )
        are = "is" if total == 1 else "are"
        self.gold_left.setText(f"{plural(total, 'document')} {are} gold, placed by the seed")
        left = left_for(self.store.conn, self.names())
        short = [(who, count) for who, count in left.items() if count < asked]
        if not short:
            return None
        who, count = short[0]
        return (
            f"Only {count:,} of the {total:,} gold documents are left that {printable(who)} "
            f"never had, fewer than the {asked:,} asked for each packet: ask for fewer, or "
            "mark more documents gold."
        )

    def _gold_summary(self) -> str:
        count = self.gold.value()
        return (
            f"Each packet also holds {plural(count, 'gold document')} its analyst never had, "
            "placed by the seed."
        )

    def _sharing_said(self) -> None:
        k = self.overlap.value()
        analysts = plural(k, "analyst")
        if self.sampled.isChecked():
            self.sharing.setText(
                f"The sample ({self.sample.value():g} % of the documents, chosen by the seed) "
                f"goes to {analysts} each, to measure their agreement; every other document "
                "to one."
            )
        else:
            self.sharing.setText(f"Every document goes to {analysts}.")

    def _show_shares(self, report: AssignReport) -> None:
        self.summary.setText(preview_summary(report))
        self.summary.show()
        before = report.already > 0
        headings = list(_SHARES)
        if before:
            headings = ["Analyst", "New documents", "Characters", "In all", "Characters in all"]
        self.shares.clear()
        self.shares.setColumnCount(len(headings))
        self.shares.setHorizontalHeaderLabels(headings)
        self.shares.setRowCount(len(report.shares))
        for row, share in enumerate(report.shares):
            values = [share.documents, share.characters]
            if before:
                values += [share.total_documents, share.total_characters]
            self.shares.setItem(row, 0, QTableWidgetItem(share.analyst))
            for column, value in enumerate(values, 1):
                item = QTableWidgetItem(f"{value:,}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.shares.setItem(row, column, item)
        self._fit_shares()

    def _fit_shares(self) -> None:
        """The names take the room the figures leave."""
        header = self.shares.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    # -- assigning ------------------------------------------------------------------------------

    def assign(self) -> bool:
        """Give the documents out and write the packets, all or nothing; the dialog closes
        when done, and stays open saying why when refused (nothing was written)."""
        from annotator.store.project import ProjectError
        from annotator.suggest.builtin.patterns import project_path
        from annotator.team.packets import assign_with_packets

        if self.show_preview() is None:
            return False
        folder = self.packets_folder()
        self.said.setText("Assigning and writing the packets…")
        self.assign_button.setEnabled(False)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.report, self.packets = assign_with_packets(
                self.store,
                self.names(),
                folder,
                patterns_of=project_path,
                gold=self.gold.value(),
                **self.settings(),
            )
        except Refused as e:
            return self._not_written(in_window(str(e), first=False))
        except OSError as e:
            return self._not_written(f"{folder} could not be made ({e.strerror or e}).")
        except (ProjectError, sqlite3.Error) as e:
            return self._not_written(f"the project could not be written ({e}).")
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.accept()
        return True


def preview_summary(report: AssignReport) -> str:
    """What Assign would do, in a sentence or two."""
    if not report.assigned:
        return (
            f"Every one of the {report.already:,} documents is assigned already: nothing new "
            "to give out. Import more documents, then assign again (only they go out)."
        )
    how = f"each to {plural(report.overlap, 'analyst')}"
    if report.sample is not None:
        how = (
            f"{report.sampled:,} of them (the sample) to {report.overlap} analysts, the rest to one"
        )
    go = "goes" if report.assigned == 1 else "go"
    said = f"{plural(report.assigned, 'document')} not yet assigned {go} out, {how}."
    if report.already:
        said += (
            f" The {report.already:,} assigned before stay where they are; the shares count them."
        )
    spread = report.spread()
    if spread != float("inf") and len(report.shares) > 1:
        said += f" The largest share is {spread * 100:.1f} % over the smallest, in characters."
    return said
