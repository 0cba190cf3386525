"""What the window does with the project as a whole: open, resume, import, export, labels, help.

Each flow asks the analyst through the shell's question methods (``choose_files``,
``show_report``, ``exec_dialog`` ...), which tests replace on the window, and calls the Qt-free
core for the work: one function, two faces (the CLI calls the same ones). Opening a project
hands the store to the project model, whose ``opened`` event the window and its panels
follow. The store and sqlite-utils are imported when a flow runs, never when the window module
is imported.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QApplication, QMenu, QProgressDialog, QWidget

from annotator.changes import Changes, compare_labels
from annotator.gui import settings as prefs
from annotator.gui.article.words import plural
from annotator.gui.controllers.keys import RESERVED_KEYS, WIDGET_KEYS

if TYPE_CHECKING:
    from collections.abc import Callable

    from annotator.gui.article.view import ArticleView
    from annotator.gui.commands.labels import LabelEditor
    from annotator.gui.commands.relation_types import RelationTypeEditor
    from annotator.gui.controllers.shell import Shell
    from annotator.gui.dialogs.side_windows import SideWindows
    from annotator.gui.panels.document_list import DocumentList
    from annotator.session.document_model import DocumentModel
    from annotator.session.project_model import ProjectModel

PROJECT_FILTER = "annotator projects (*.db *.sqlite *.annotator);;All files (*)"
GOOD_RECORDS = "Import the good records"
# The core's report names the command-line option; the window offers a button instead.
_SKIP_INVALID = re.compile(r"use --skip-invalid to import the good records")


def import_filter() -> str:
    """The file dialog's filter: every suffix the importer reads."""
    from annotator.formats.suffixes import KNOWN_SUFFIXES

    patterns = " ".join(f"*{suffix}" for suffix in sorted(KNOWN_SUFFIXES))
    return f"Articles and tasks ({patterns});;All files (*)"


LAST_DOCUMENT = "ui.last_document"  # where one analyst left off (older projects)
PLACES = "ui.places"  # where each analyst left off: document, caret, scroll, review mode


class ProjectFlows:
    def __init__(
        self,
        project: ProjectModel,
        document: DocumentModel,
        view: ArticleView,
        documents: DocumentList,
        undo_stack: QUndoStack,
        shell: Shell,
        *,
        parent: QWidget,
        recent_menu: QMenu,
        label_editor: LabelEditor,
        relation_type_editor: RelationTypeEditor,
        actions: Callable[[], list[QAction]],
        side_windows: SideWindows,
    ) -> None:
        self.project = project
        self.name_pending = False  # the first start's name question not answered yet
        self.document = document
        self.view = view
        self.documents = documents
        self.undo_stack = undo_stack
        self.shell = shell
        self.parent = parent
        self.recent_menu = recent_menu
        self.label_editor = label_editor
        self.relation_type_editor = relation_type_editor
        self.actions = actions
        self.side_windows = side_windows

    # -- opening and closing ---------------------------------------------------------------

    def open_project(self, path: str | os.PathLike[str], *, report_errors: bool = False) -> bool:
        """Open (or create) a project and resume where the analyst left off."""
        from annotator.store.project import ProjectError, Store

        try:
            store = Store(path, self.project.annotator)
        except ProjectError as e:
            if not report_errors:
                raise
            self.shell.show_error(str(e))
            return False
        self.close_project()
        self.undo_stack.clear()
        self.rebuild_recent(prefs.remember_project(str(Path(path).resolve())))
        self.project.open(store)
        self.resume()
        return True

    def close_project(self) -> None:
        if self.project.store is None:
            return
        self.remember_position()
        self.undo_stack.clear()
        self.document.clear()
        self.project.close()

    def resume(self) -> None:
        """Open the document, caret and scroll position this analyst left off at (in review
        mode, if they were reviewing), as remembered in the project."""
        store = self.project.require_store()
        places = store.get_setting(PLACES) or {}
        last = places.get(self.project.annotator) if isinstance(places, dict) else None
        if not isinstance(last, dict):
            last = store.get_setting(LAST_DOCUMENT) or {}
        doc = last.get("document") if isinstance(last, dict) else None
        if doc is not None and self._exists(doc):
            if last.get("review"):
                self.project.set_reviewing(True)
            self.shell.open_document(doc, remember=False)
            caret, top = int(last.get("caret", 0)), int(last.get("scroll", 0))
            self.view.select_cp(caret, caret)
            QTimer.singleShot(0, lambda: self.view.scroll_to_cp(top))
            return
        first = store.documents.next_open(None)
        if first is None and self.documents.model.rows:
            first = self.documents.model.rows[0].id
        if first is not None:
            self.shell.open_document(first, remember=False)

    def _exists(self, document_id: int) -> bool:
        try:
            self.project.require_store().documents.row(document_id)
        except KeyError:
            return False
        return True

    def remember_position(self) -> None:
        """Where to resume: saved on document switch and on close, not on every scroll."""
        store, doc = self.project.store, self.document.document_id
        if store is None or doc is None:
            return
        position = {
            "document": doc,
            "caret": self.view.caret_cp(),
            "scroll": self.view.first_visible_cp(),
            "review": self.project.reviewing,
        }
        try:
            places = store.get_setting(PLACES) or {}
            places = places if isinstance(places, dict) else {}
            store.set_setting(PLACES, {**places, self.project.annotator: position})
        except Exception as e:
            self.shell.say(f"Could not remember the position: {e}", 5000)

    def new_project(self) -> None:
        path = self.shell.choose_project("New project", save=True)
        if path:
            self.open_project(path, report_errors=True)

    def open_project_dialog(self) -> None:
        path = self.shell.choose_project("Open project", save=False)
        if path:
            self.open_project(path, report_errors=True)

    def rebuild_recent(self, recent: list[str] | None = None) -> None:
        menu = self.recent_menu
        menu.clear()
        for n, path in enumerate(recent if recent is not None else prefs.recent_projects(), 1):
            # a digit to choose it in the open menu (Ctrl+Alt+digit is AltGr typing on Windows)
            action = menu.addAction(f"&{n} {path.replace('&', '&&')}" if n <= 9 else path)
            action.setData(path)
            action.triggered.connect(
                lambda _=False, p=path: self.open_project(p, report_errors=True)
            )
        menu.setEnabled(not menu.isEmpty())

    # -- the analyst's name ----------------------------------------------------------------

    def annotator_name(self) -> str:
        """ANNOTATOR_USER, else the name saved for the commands and the window, else asked
        once (default: the login name) and saved.

        A name that could not be stored (set by hand, or by an older annotator) is said so
        and passed over, as if it were not there. A name only an older window remembered is
        saved where the commands read it too."""
        from annotator.analyst import login_name, named_analyst, saved_name
        from annotator.model import AnalystNameError, check_analyst_name

        try:
            env = named_analyst()
        except AnalystNameError as e:
            self.shell.show_error(str(e))
            env = None
        if env:
            return env
        saved = saved_name()
        if saved:
            return saved
        try:
            return self._save_name(
                check_analyst_name(str(prefs.settings().value("user/name", "") or ""))
            )
        except AnalystNameError:
            pass  # none yet, or one that cannot be used: ask, inside the window
        self.name_pending = True
        return login_name()

    def answer_name(self, typed: str) -> str | None:
        """The first start's question answered: the name saved for the window and the
        commands, and the views follow. Returns why a name cannot be used (nothing saved), or
        None. A blank answer takes the login name."""
        from annotator.analyst import login_name
        from annotator.model import AnalystNameError, check_analyst_name

        try:
            name = check_analyst_name(typed) if typed.strip() else login_name()
        except AnalystNameError as e:
            return str(e)
        self.name_pending = False
        self.project.annotator = self._save_name(name)
        if self.project.store is not None:
            self.shell.apply_changes(Changes(document_list=True), ours=False)
        return None

    def change_annotator(self) -> None:
        name = self._ask_name("Annotator name", self.project.annotator)
        if name is None:
            return
        self.project.annotator = self._save_name(name)
        if self.project.store is not None:
            # the document list, the progress and the spans shown are this analyst's now
            self.shell.apply_changes(Changes(document_list=True), ours=False)

    def _save_name(self, name: str) -> str:
        """Save the name where the commands read it too (a failure to save is said, and the
        name is used for this session)."""
        from annotator.analyst import name_file, save_name

        try:
            return save_name(name)
        except OSError as e:
            self.shell.say(
                f"Your name could not be saved in {name_file()}: {e.strerror or e}", 8000
            )
            return name

    def _ask_name(self, title: str, default: str) -> str | None:
        """A name typed by the analyst, checked as every name is; asked again, with the reason,
        until it can be used. None: cancelled (or left blank)."""
        from annotator.model import AnalystNameError, check_analyst_name

        typed = default
        while True:
            asked = self.shell.ask_text(title, "Your name, recorded on every span you make:", typed)
            if asked is None or not asked.strip():
                return None
            try:
                return check_analyst_name(asked)
            except AnalystNameError as e:
                self.shell.show_error(str(e))
                typed = asked

    # -- labels ----------------------------------------------------------------------------

    def open_labels(self) -> None:
        if self.project.store is None:
            return
        from annotator.gui.dialogs.labels import LabelsDialog

        dialog = LabelsDialog(
            self.label_editor,
            lambda: self.project.labels,
            reserved_keys=RESERVED_KEYS,
            confirm=self.shell.confirm,
            relation_types=self.relation_type_editor,
            parent=self.parent,
        )
        self.shell.exec_dialog(dialog)

    # -- import and export -----------------------------------------------------------------

    def import_files(self) -> None:
        paths = self.shell.choose_files("Import articles or tasks", import_filter())
        if paths:
            self.import_paths(paths)

    def import_folder(self) -> None:
        folder = self.shell.choose_folder("Import every article and task file in a folder")
        if folder:
            self.import_paths([folder])

    def import_pages_raw(self) -> None:
        """Web pages as the characters they hold, markup and all (the command line's --raw)."""
        paths = self.shell.choose_files(
            "Import web pages as their characters", "Web pages (*.html *.htm);;All files (*)"
        )
        if paths:
            self.import_paths(paths, raw=True)

    def import_scraped_text(self) -> None:
        """Text files scraped from web pages, less the lines the page left in them ("Read
        more: ...", share and newsletter lines): the command line's --clean."""
        paths = self.shell.choose_files(
            "Import scraped text, cleaned of page debris",
            "Text files (*.txt *.text *.md *.markdown);;All files (*)",
        )
        if paths:
            self.import_paths(paths, clean=True)

    def import_paths(
        self,
        paths: list[str],
        *,
        skip_invalid: bool = False,
        raw: bool = False,
        clean: bool = False,
    ) -> Any:
        """Import with a progress dialog; each file is all-or-nothing (the core's promise)
        unless ``skip_invalid``. When a file was refused whole, the report offers to import
        its good records. ``clean`` leaves page debris out of text files."""
        store, shell = self.project.store, self.shell
        if store is None:
            shell.show_error("Open or create a project first.")
            return None
        from annotator.formats.importing import import_paths
        from annotator.store.project import ProjectError
        from annotator.suggest.running import caption_lines, propose_captions

        progress = QProgressDialog("Importing…", "", 0, 1000, self.parent)
        progress.setObjectName("importProgress")
        progress.setCancelButton(None)  # a file is one transaction; stopping midway buys nothing
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)

        def step(done: int, total: int) -> None:
            progress.setValue(int(1000 * done / total) if total else 1000)

        def waiting(_waited: float) -> None:
            # Another program (an import from the command line) holds the project: wait for it
            # as long as it takes, and say so, instead of failing after 30 s.
            progress.setLabelText("Waiting for another program to finish writing to the project…")
            progress.show()
            QApplication.processEvents()

        try:
            report = import_paths(
                store,
                paths,
                skip_invalid=skip_invalid,
                progress=step,
                on_wait=waiting,
                raw=raw,
                propose_captions=propose_captions,
                clean=clean,
                caption_line=caption_lines(store),
            )
        except (ProjectError, OSError) as e:
            shell.show_error(f"The import stopped: {e}")
            return None
        finally:
            progress.reset()
            progress.deleteLater()
        changes = report.changes | compare_labels(self.project.labels, store.labels.all())
        shell.apply_changes(changes)
        if self.document.document_id is None:
            self.resume()
        refused = [str(r) for r in report.refused]
        title = "Import refused some records" if refused else "Import"
        rolled_back = [f.path for f in report.files if f.rolled_back]
        if not rolled_back:
            shell.show_report(title, report.summary(), refused)
            return report
        summary = _SKIP_INVALID.sub(f"“{GOOD_RECORDS}” imports the rest", report.summary())
        if shell.show_report(title, summary, refused, offer=GOOD_RECORDS):
            return self.import_paths(rolled_back, skip_invalid=True, raw=raw, clean=clean)
        return report

    def export_dialog(self) -> Any:
        store, shell = self.project.store, self.shell
        if store is None:
            shell.show_error("Open a project first.")
            return None
        from annotator.formats.exporting import FORMATS, ExportError, export
        from annotator.gui.dialogs.export import ExportDialog

        dialog = ExportDialog(store, FORMATS, self.parent)

        def choose(current: str) -> str | None:
            filters = dialog.file_filter()
            if filters is None:
                return shell.choose_folder("Export into a new folder in")
            return shell.choose_save_file("Export to", current, filters)

        dialog.choose_destination = choose
        if not shell.exec_dialog(dialog):
            return None
        options = dialog.options()
        try:
            Path(options["exports_dir"]).mkdir(parents=True, exist_ok=True)
            report = export(store, options.pop("fmt"), options.pop("destination"), **options)
        except (ExportError, OSError) as e:
            shell.show_error(f"Nothing was exported: {e}")
            return None
        details = "".join(f"; {n} {what}" for what, n in report.details.items())
        beside = "".join(f"\nand {extra}" for extra in report.also_written)
        left_out = (
            f"\n{report.left_out_summary()}: tick their statuses under “Documents with "
            "status” to take them."
            if report.left_out
            else ""
        )
        shell.show_message(
            "Export",
            f"Wrote {plural(report.documents, 'document')} and {plural(report.spans, 'span')} "
            f"({report.format} format{details}) to\n{report.path}{beside}{left_out}",
        )
        return report

    # -- help ------------------------------------------------------------------------------

    def show_guidelines(self) -> None:
        """F1: each label's definition, beside the article (non-modal)."""
        from annotator.gui.dialogs.help import GuidelinesDialog

        self.side_windows.open(
            "guidelines",
            lambda: GuidelinesDialog(self.project.labels, self.parent, font=self.view.font()),
        )

    def show_shortcuts(self) -> None:
        """Ctrl+/: every key of the window, beside the article (non-modal)."""
        from annotator.gui.dialogs.help import ShortcutSheet

        sheet = self.side_windows.open(
            "shortcuts", lambda: ShortcutSheet(self.actions(), WIDGET_KEYS, self.parent)
        )
        if not sheet.property("followed"):
            sheet.setProperty("followed", True)
            sheet.changeKeys.connect(lambda: self.shell.open_preferences(keys=True))
