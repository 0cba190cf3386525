"""Every command and option of `annotator` is in the README, as sqlite-utils checks its docs."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from annotator.cli.main import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
TABLE = README.split("### Every command and option", 1)[1].split("\n### ", 1)[0]


def _commands(command: click.Command, path: list[str]):
    yield path, command
    if isinstance(command, click.Group):  # asked as click asks, so lazily found ones count
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None, name
            yield from _commands(sub, [*path, name])


COMMANDS = list(_commands(cli, []))
assert len(COMMANDS) > 30, "every command and sub-command, not only the group"


def _rows() -> dict[str, str]:
    """Each row of the table by the command it names: the lower-case words of its first cell
    (upper-case words such as NAME are its arguments, and --words its options)."""
    rows = {}
    for line in TABLE.splitlines():
        if line.startswith("| `annotator"):
            words = line.split("`")[1].split()
            command = [w for w in words if not w.startswith("-") and not w.strip("[].").isupper()]
            rows[" ".join(command)] = line
    return rows


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) or "annotator" for p, _ in COMMANDS]
)
def test_every_command_has_a_row_naming_every_option(path, command):
    name = " ".join(["annotator", *path])
    row = _rows().get(name)
    assert row is not None, f"`{name}` has no row in the README's table of commands"
    for param in command.params:
        if isinstance(param, click.Option):
            for opt in param.opts:
                if opt.startswith("--"):
                    assert f"`{opt}" in row or f"/{opt}" in row, f"{opt} of `{name}` is missing"


def test_the_table_names_no_command_that_does_not_exist():
    known = {" ".join(["annotator", *p]) for p, _ in COMMANDS}
    assert set(_rows()) <= known
