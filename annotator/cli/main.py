"""The ``annotator`` command: the group (its --db and --user, and the window it opens with no
command), gathering the commands of the modules beside it.

Every user mistake ends in one clear sentence and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from pathlib import Path

import click

from annotator import __version__

COMMAND_GC_THRESHOLD = 100_000  # objects made between two collections (Python's own: 700)

# Each command's module is imported when that command runs (or --help lists them), and each
# imports what it uses when it runs: `annotator --version`, and the window, cost little more
# than starting Python and click.
COMMANDS: dict[str, tuple[str, str]] = {  # name: (module in annotator.cli, its attribute)
    "import": ("transfer", "import_command"),
    "export": ("transfer", "export_command"),
    "stats": ("progress", "stats"),
    "report": ("progress", "report"),
    "documents": ("project", "documents"),
    "reopen": ("project", "reopen"),
    "backup": ("project", "backup"),
    "merge": ("team", "merge"),
    "agreement": ("team", "agreement"),
    "curate": ("team", "curate"),
    "assign": ("packets", "assign"),
    "packet": ("packets", "packet"),
    "packets": ("packets", "packets_command"),
    "progress": ("packets", "progress_command"),
    "send-back": ("packets", "send_back_command"),
    "apply-update": ("packets", "apply_update_command"),
    "gold": ("gold", "gold"),
    "suggest": ("suggest", "suggest"),
    "patterns": ("suggest", "patterns"),
    "train": ("learn", "train"),
    "relations": ("scheme", "relations"),
    "labels": ("scheme", "labels"),
    "whoami": ("whoami", "whoami"),
    "keys": ("keys", "keys"),
}


class Commands(click.Group):
    """The group whose commands are found in :data:`COMMANDS` and imported when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = COMMANDS.get(cmd_name)
        if where is None:
            return None
        command = getattr(importlib.import_module(f"annotator.cli.{where[0]}"), where[1])
        assert isinstance(command, click.Command) and command.name == cmd_name, cmd_name
        return command


@click.group(
    cls=Commands,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="ANNOTATOR_DB",
    help="Project file to use (also ANNOTATOR_DB). Default: a project in your data folder, "
    "made with the sample articles on first use.",
)
@click.option(
    "--user",
    envvar="ANNOTATOR_USER",
    help="Your name, recorded on every span you make (also ANNOTATOR_USER). Default: the name "
    "saved by the window or `whoami --set`, else the login name.",
)
@click.version_option(__version__, prog_name="annotator")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, user: str | None) -> None:
    """Tag claims, quotes, captions and concessions in news articles.

    With no command, opens the annotation window on the project.
    """
    ctx.ensure_object(dict).update(db=db, user=_analyst(ctx, user))
    if ctx.invoked_subcommand is None:
        sys.exit(_open_window(ctx))
    # A command reads a project once and exits: Python's collector of reference cycles, left
    # at its everyday pace, would walk every span of a big project's again and again.
    gc.set_threshold(COMMAND_GC_THRESHOLD, *gc.get_threshold()[1:])


def _analyst(ctx: click.Context, user: str | None) -> str | None:
    """The name --user (or ANNOTATOR_USER) gives, checked before any project is opened."""
    from annotator.model import AnalystNameError, check_analyst_name

    if user is None:
        return None
    given = ctx.get_parameter_source("user") is click.core.ParameterSource.ENVIRONMENT
    try:
        return check_analyst_name(user)
    except AnalystNameError as e:
        raise click.ClickException(f"{'ANNOTATOR_USER' if given else '--user'}: {e}") from None


def _open_window(ctx: click.Context) -> int:
    from annotator.cli.common import user_errors
    from annotator.cli.default_project import default_project_path, open_project
    from annotator.cli.desktop import window_problem

    # Before anything is made: a desktop that cannot show the window gets a plain sentence
    # naming the missing system library, not Qt's abort, and no new project is left behind.
    problem = window_problem()
    if problem:
        raise click.ClickException(
            f"{problem} The commands (import, export, stats, labels) still work; see "
            "`annotator --help`."
        )
    db = ctx.obj.get("db")
    # Open it here first: the default project is made and seeded on first use, and a file
    # that is not a project is refused with a message before any window appears.
    with user_errors():
        open_project(db, ctx.obj.get("user")).close()
    db = db or default_project_path()
    try:
        from annotator.gui.app import run
    except ImportError as e:
        raise click.ClickException(
            f"the window cannot start: {e}. The commands (import, export, stats, labels) still "
            "work; see `annotator --help`."
        ) from None
    if ctx.obj.get("user"):
        os.environ["ANNOTATOR_USER"] = ctx.obj["user"]  # the window reads the name from here
    return run(str(db))


def main() -> None:
    cli(prog_name="annotator")
