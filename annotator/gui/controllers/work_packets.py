"""The lead's work packets in the window: Review → Assign work (the documents given out to
analysts, each one's packet written) and View → Progress of the work (how far each analyst is),
the same core functions as ``annotator assign --packets`` and ``annotator progress``.

The progress window follows the project: any change that may move a status (the analyst's own
Done, an import, what another program wrote, such as a merge of returned packets, read on F5
or when the window is activated again) reads its figures again, once the changes stop coming
for a moment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from annotator.changes import Changes
from annotator.gui.article.words import plural
from annotator.printable import printable

if TYPE_CHECKING:
    from annotator.gui.controllers.shell import Shell
    from annotator.gui.dialogs.side_windows import SideWindows
    from annotator.gui.dialogs.work_progress import WorkProgressWindow
    from annotator.session.project_model import Applied, ProjectModel
    from annotator.team.assign import AssignReport
    from annotator.team.packets import PacketReport

REFRESH_WAIT_MS = 300  # changes coming one after another are counted once


class WorkPackets:
    def __init__(
        self,
        project: ProjectModel,
        shell: Shell,
        side_windows: SideWindows,
        *,
        parent: QWidget,
        keys_of: Callable[[str], str],
    ) -> None:
        self.project = project
        self.shell = shell
        self.side_windows = side_windows
        self.parent = parent
        self.keys_of = keys_of  # the keys of one of the window's commands, as shown
        self.window: WorkProgressWindow | None = None
        #: a reading of the progress to come, once the changes stop coming
        self.pending = QTimer(parent)
        self.pending.setSingleShot(True)
        self.pending.setInterval(REFRESH_WAIT_MS)
        self.pending.timeout.connect(self.refresh_progress)
        project.events.changed.connect(self._changed)
        project.events.opened.connect(lambda _store: self.pending.start())
        project.events.closed.connect(self.pending.start)

    # -- assigning ------------------------------------------------------------------------------

    def assign_work(self) -> Any:
        """Review → Assign work: the dialog, then what it wrote (None when cancelled)."""
        store = self.project.store
        if store is None:
            self.shell.show_error("Open the project whose documents you hand out first.")
            return None
        from annotator.gui.dialogs.assign import AssignDialog

        dialog = AssignDialog(store, self.parent)
        if not self.shell.exec_dialog(dialog) or dialog.report is None:
            return None
        self.shell.apply_changes(Changes(everything=True))
        title, summary, details = assigned_report(dialog.report, dialog.packets, store.path.name)
        self.shell.show_report(title, summary, details)
        return dialog.report

    # -- progress -----------------------------------------------------------------------------

    def show_progress(self) -> WorkProgressWindow | None:
        """View → Progress of the work, beside the window (non-modal)."""
        if self.project.store is None:
            return None
        from annotator.gui.dialogs.work_progress import WorkProgressWindow

        self.window = self.side_windows.open(
            "work progress",
            lambda: WorkProgressWindow(
                lambda: self.project.store,
                self.assign_work,
                self.keys_of("team.assign"),
                self.parent,
            ),
        )
        return self.window

    def _changed(self, applied: Applied) -> None:
        changes = applied.changes
        if changes.documents or changes.document_list or changes.everything:
            self.pending.start()

    def refresh_progress(self) -> None:
        """Read the progress window's figures again, when it is open."""
        self.pending.stop()
        window = self.window
        if window is not None and window in list(self.side_windows):
            window.refresh()


def assigned_report(
    report: AssignReport, packets: list[PacketReport], project: str
) -> tuple[str, str, list[str]]:
    """What an assignment wrote, said: a title, a summary and a line per packet."""
    if report.assigned:
        how = "each to one of them"
        if report.overlap > 1:
            how = f"each to {report.overlap} of them"
        if report.sample is not None:
            how = (
                f"{report.sampled:,} of them (the agreement sample) to {report.overlap} analysts "
                "each, the rest to one"
            )
        said = (
            f"Assigned {plural(report.assigned, 'document')} among "
            f"{plural(len(report.shares), 'analyst')}, {how} (seed {report.seed})."
        )
        if report.already:
            said += f" The {report.already:,} assigned before stay where they were."
    else:
        said = (
            f"Nothing new to assign: all {report.already:,} documents are assigned already "
            "(import more, then assign again)."
        )
    if not packets:
        return "Work assigned", said + " No packet was written.", []
    folder = packets[0].path.parent
    said += (
        f"\n\nWrote {plural(len(packets), 'packet')} into {printable(folder)}. Send each analyst "
        "theirs: they open it in annotator (File → Open project) under their own name. Their "
        f"work comes back with:\n    annotator merge PACKET... --into {printable(project)}"
    )
    details = [
        f"{printable(p.path.name)}: {plural(p.documents, 'document')} for {printable(p.analyst)}"
        + (f", {p.gold:,} of them gold" if p.gold else "")
        for p in packets
    ]
    return "Work assigned", said, details
