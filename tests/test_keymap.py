"""The keymap: stable ids, defaults no desktop takes, the user's own keys kept in a readable
file, and conflicts refused naming the other command."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from annotator import keymap
from annotator.cli.main import cli

REQUIRED = {
    "span.next",
    "span.previous",
    "select.sentence",
    "select.paragraph",
    "span.start.left",
    "span.start.right",
    "span.end.left",
    "span.end.right",
    "relation.start",
    "suggestion.accept",
    "suggestion.next",
    "help.guidelines",
    "help.shortcuts",
    "view.agreement",
    "view.statistics",
}
ARROWS = r"(Left|Right|Up|Down)"
# What the desktops' window managers take first (GNOME, KDE, Xfce, Cinnamon, Openbox, macOS)
TAKEN = [
    rf"^Ctrl\+Alt\+{ARROWS}$",
    rf"^Ctrl\+Shift\+Alt\+{ARROWS}$",
    rf"^(Alt\+Shift|Shift\+Alt)\+{ARROWS}$",
    r"(^|\+)Meta(\+|$)",
    r"^Ctrl\+F([1-9]|1[0-2])$",
    r"^Alt\+F([1-9]|1[0-2])$",
    r"^Ctrl\+Alt\+\w$",  # AltGr typing on Windows
]


def test_every_required_command_has_a_stable_id():
    ids = [c.id for c in keymap.COMMANDS]
    assert set(ids) >= REQUIRED and len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(\.[a-z_]+)+", i) for i in ids)


def test_no_default_key_is_one_a_desktop_takes():
    for command in keymap.COMMANDS:
        for key in command.keys:
            assert not any(re.search(p, key) for p in TAKEN), (command.id, key)


def test_the_defaults_do_not_clash():
    assert keymap.conflicts(keymap.defaults()) == []
    assert {c.task for c in keymap.COMMANDS} <= set(keymap.TASKS)
    assert keymap.TASKS[0] == "Tagging"


def test_keys_compare_whatever_their_spelling():
    assert keymap.normal("shift+ctrl+x") == keymap.normal("Ctrl+Shift+X")
    assert keymap.normal("Ctrl++") != keymap.normal("Ctrl+=")


def test_a_new_key_is_kept_in_a_readable_file_and_a_clash_is_refused(tmp_path):
    path = tmp_path / "keys.json"
    bound = keymap.rebind("span.next", ["Ctrl+J"], path)
    assert bound["span.next"] == ("Ctrl+J",)
    assert json.loads(path.read_text()) == {"span.next": ["Ctrl+J"]}
    with pytest.raises(keymap.KeyError_, match=r"Ctrl\+Z is already Undo \(edit\.undo\)"):
        keymap.rebind("span.previous", ["ctrl+z"], path)
    assert json.loads(path.read_text()) == {"span.next": ["Ctrl+J"]}  # unchanged
    keymap.rebind("span.next", keymap.BY_ID["span.next"].keys, path)  # back to the default
    assert json.loads(path.read_text()) == {}
    # one key may serve a suggestion and review mode's rows, which are never active at once
    keymap.rebind("review.accept", ["Ctrl+K"], path)
    keymap.rebind("suggestion.accept", ["Ctrl+K"], path)
    with pytest.raises(keymap.KeyError_, match="7 is a label's key"):
        keymap.rebind("span.next", ["7"], path)  # the digits tag the selection


@pytest.mark.parametrize(
    "text, says",
    [
        ("{", "line 1: not JSON"),
        ("[]", "expected an object"),
        ('{"span.nxt": ["X"]}', "'span.nxt' is no command"),
        ('{"span.next": [3]}', "expected a list of keys"),
        ('{"span.next": ["Ctrl+Z"]}', "Ctrl+Z is both edit.undo and span.next"),
        ('{"span.next": ["3"]}', "3 is a label's key, not span.next's"),
    ],
)
def test_a_keys_file_that_cannot_be_used_is_refused_by_name(tmp_path, text, says):
    path = tmp_path / "keys.json"
    path.write_text(text)
    with pytest.raises(keymap.KeyError_, match=re.escape(says)) as caught:
        keymap.bindings(path)
    assert str(path) in str(caught.value)


def test_the_keys_command_lists_every_command(tmp_path, monkeypatch):
    path = tmp_path / "keys.json"
    monkeypatch.setenv("ANNOTATOR_KEYS", str(path))
    keymap.rebind("select.sentence", ["Ctrl+J"], path)
    out = CliRunner().invoke(cli, ["keys", "--json"])
    assert out.exit_code == 0, out.output
    listed = {c["id"]: c for c in json.loads(out.output)["commands"]}
    assert set(listed) == {c.id for c in keymap.COMMANDS}
    sentence = listed["select.sentence"]
    assert sentence["keys"] == ["Ctrl+J"] and sentence["default_keys"] == ["S"]
    assert sentence["group"] == "Moving and selecting" and sentence["does"]
    text = CliRunner().invoke(cli, ["keys"]).output
    assert text.startswith("Tagging:") and "select.sentence" in text and "Ctrl+J" in text
    path.write_text("{")
    bad = CliRunner().invoke(cli, ["keys"])
    assert bad.exit_code == 1 and "not JSON" in bad.output and "Traceback" not in bad.output
