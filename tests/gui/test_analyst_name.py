"""The analyst's name in the window: asked at first start and changed from the File menu, each
time checked as every name is, and asked again with the reason until it can be used."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.analyst import name_file, saved_name
from annotator.gui import settings as prefs
from annotator.gui.main_window import MainWindow
from annotator.store.project import Store


@pytest.fixture
def asked(monkeypatch):
    """Every question and error the window puts, answered from ``answers`` in turn."""
    seen: dict[str, list] = {"answers": [], "questions": [], "errors": []}

    def ask_text(window, title, label, default=""):
        seen["questions"].append((title, default))
        return seen["answers"].pop(0)

    monkeypatch.setattr(MainWindow, "ask_text", ask_text)
    monkeypatch.setattr(MainWindow, "show_error", lambda window, text: seen["errors"].append(text))
    return seen


@pytest.fixture
def first_start(monkeypatch, asked, open_window, project):
    """A window opened with no ANNOTATOR_USER and no name remembered yet; ``answers`` are
    typed into the name question inside the window, in turn (None: Esc), while it is asked.
    What it offered each time and why it refused go to ``asked``."""
    monkeypatch.delenv("ANNOTATOR_USER")

    def start(*answers):
        window = open_window(project)
        bar = window.name_bar
        for answer in answers:
            if bar.isHidden():
                break
            asked["questions"].append(("name", bar.field.text()))
            if answer is None:
                QTest.keyClick(bar.field, Qt.Key.Key_Escape)
            else:
                bar.field.setText(answer)
                QTest.keyClick(bar.field, Qt.Key.Key_Return)
            if not bar.isHidden():
                asked["errors"].append(bar.problem.text())
        return window

    return start


def test_the_first_start_asks_inside_the_window_and_waits(first_start, asked, monkeypatch):
    monkeypatch.setenv("LOGNAME", "ana")
    window = first_start()  # not answered yet
    assert window.name_bar.isVisible() and window.name_bar.field.hasFocus()
    assert window.name_bar.field.text() == "ana"  # the login name offered
    assert not window.splitter.isEnabled()  # the project waits behind it
    assert not window.action("document.done").isEnabled()
    assert window.action("help.shortcuts").isEnabled()
    assert saved_name() is None
    QTest.keyClick(window.name_bar.field, Qt.Key.Key_End)  # the name offered is selected
    QTest.keyClicks(window.name_bar.field, " Ruiz")
    QTest.keyClick(window.name_bar.field, Qt.Key.Key_Return)
    assert window.name_bar.isHidden() and window.splitter.isEnabled()
    assert window.annotator == "ana Ruiz" and saved_name() == "ana Ruiz"
    assert window.action("document.done").isEnabled() and window.article.hasFocus()


def test_first_start_asks_again_until_the_name_can_be_used(first_start, asked):
    window = first_start("ana\nfake line", "x" * 10_000, "\x1b[31mred", "  Ana Ruiz ")
    assert window.annotator == "Ana Ruiz" and window.store.annotator == "Ana Ruiz"
    assert saved_name() == "Ana Ruiz"  # where the command line reads it too
    assert len(asked["errors"]) == 3
    assert "control or formatting character (\\n)" in asked["errors"][0]
    assert "control or formatting character (\\u001b)" in asked["errors"][2]
    assert "at most 100 characters" in asked["errors"][1]
    assert asked["questions"][1][1] == "ana\nfake line"  # the analyst's text, to correct


def test_first_start_passed_over_or_left_blank_takes_the_login_name(first_start, monkeypatch):
    monkeypatch.setenv("LOGNAME", "ana")
    assert first_start(None).annotator == "ana"
    name_file().unlink()
    assert first_start("   ").annotator == "ana"


def test_a_remembered_name_that_cannot_be_used_is_asked_again(first_start, asked):
    name_file().parent.mkdir(parents=True, exist_ok=True)
    name_file().write_text('{"name": "bo\u202eeno"}')
    window = first_start("bo")
    assert window.annotator == "bo" and asked["questions"]
    assert saved_name() == "bo"


def test_a_name_an_older_window_remembered_is_kept_and_saved_for_the_commands(first_start, asked):
    prefs.settings().setValue("user/name", "Dee")
    window = first_start()
    assert window.annotator == "Dee" and window.name_bar.isHidden()
    assert saved_name() == "Dee"


def test_a_bad_annotator_user_is_said_and_passed_over(first_start, asked, monkeypatch):
    window = first_start("cy")
    monkeypatch.setenv("ANNOTATOR_USER", "ana\nfake")
    asked["answers"] = ["cy"]
    name_file().unlink()
    window.flows.annotator_name()
    assert asked["errors"] and asked["errors"][-1].startswith("ANNOTATOR_USER: the analyst name")
    assert window.annotator == "cy"


def test_changing_the_name_refuses_a_bad_one_and_keeps_the_old(window, asked, project):
    asked["answers"] = ["bo\u202eeno", ""]  # a bad name, then one left blank: no change
    window.change_annotator()
    assert window.annotator == "tester" and window.store.annotator == "tester"
    assert len(asked["errors"]) == 1 and "\\u202e" in asked["errors"][0]
    asked["answers"] = ["x" * 101, " Cy Dee "]
    window.change_annotator()
    assert window.annotator == "Cy Dee" and window.store.annotator == "Cy Dee"
    assert saved_name() == "Cy Dee"
    doc = window.store.documents.ids()[0]
    window.store.statuses.set(doc, "done")
    with Store(project, "t") as store:
        assert store.history()[-1]["annotator"] == "Cy Dee"
