"""The ``annotator`` command: the group (its --db and --user, and the window it opens with no
command), gathering the commands of the modules beside it.

Every user mistake ends in one clear sentence and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import click

from annotator import __version__
from annotator.cli import gold as cli_gold
from annotator.cli import learn as cli_learn
from annotator.cli import packets as cli_packets
from annotator.cli import progress as cli_progress
from annotator.cli import project as cli_project
from annotator.cli import scheme as cli_scheme
from annotator.cli import suggest as cli_suggest
from annotator.cli import team as cli_team
from annotator.cli import transfer as cli_transfer
from annotator.cli.common import user_errors
from annotator.cli.keys import keys
from annotator.cli.whoami import whoami

COMMAND_GC_THRESHOLD = 100_000  # objects made between two collections (Python's own: 700)

# Each command imports what it uses when it runs: `annotator --version` or `--help` should
# cost little more than starting Python and click.


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
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


for _command in (
    cli_transfer.import_command,
    cli_transfer.export_command,
    cli_progress.stats,
    cli_progress.report,
    cli_project.documents,
    cli_project.reopen,
    cli_project.backup,
    cli_team.merge,
    cli_team.agreement,
    cli_team.curate,
    cli_packets.assign,
    cli_packets.packet,
    cli_packets.packets_command,
    cli_packets.progress_command,
    cli_packets.send_back_command,
    cli_packets.apply_update_command,
    cli_gold.gold,
    cli_suggest.suggest,
    cli_suggest.patterns,
    cli_learn.train,
    cli_scheme.relations,
    cli_scheme.labels,
    whoami,
    keys,
):
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="annotator")
