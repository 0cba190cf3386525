"""`annotator suggest` and `annotator patterns`: spans proposed for the analyst to accept."""

from __future__ import annotations

import os
from pathlib import Path

import click

from annotator.cli.common import Number, echo_json, store_of, user_errors
from annotator.model import STATUSES
from annotator.printable import printable

TIMEOUT = Number(0, 86400, low_open=True, what="a number of seconds")  # a day at most


@click.command()
@click.option(
    "--suggester",
    "suggesters",
    multiple=True,
    help="A suggester to run (repeatable): quotes, captions, concessions, speakers (who said "
    "each quote: a speaker span and a relation), claims, or learned (the model `annotator "
    "train` made). Default: quotes, captions, concessions and speakers.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUSES),
    help="Only documents with this status of yours (repeatable). Default: those not done.",
)
@click.option("--document", help="Only this document (its id as exports write it, or number).")
@click.option(
    "--min-score",
    type=Number(0, 1),
    default=None,
    metavar="SCORE",
    help="Store only suggestions scored at least this, from 0 to 1 (default: 0.5 for quotes "
    "and captions, which leaves scare quotes out, and for learned, whose scores are "
    "probabilities; 0 for the others and for --command).",
)
@click.option(
    "--command",
    help='Your own program: it reads {"id", "text", "meta"} lines on standard input and '
    'writes {"id", "spans": [{"start", "end", "label", "score"}]} lines, with "relations": '
    '[{"head", "child", "label"}] by index into the line\'s spans if it likes.',
)
@click.option(
    "--name", default="command", show_default=True, help="The suggester name of --command."
)
@click.option(
    "--timeout",
    type=TIMEOUT,
    default=300,
    show_default=True,
    metavar="SECONDS",
    help=f"Seconds --command may take before it is stopped ({TIMEOUT.describe()}).",
)
@click.option(
    "--patterns",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A patterns file for the built-in suggesters (default: <project>.patterns.jsonl "
    "beside the project, else the defaults).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def suggest(
    ctx: click.Context,
    suggesters: tuple[str, ...],
    statuses: tuple[str, ...],
    document: str | None,
    min_score: float | None,
    command: str | None,
    name: str,
    timeout: float,
    patterns: Path | None,
    as_json: bool,
) -> None:
    """Propose spans to accept or reject, from built-in rules or your own program.

    Suggestions are spans (and relations) of origin `suggested`: drawn apart in the window,
    counted apart, left out of exports unless --include-suggestions, and never proposed again
    where they were rejected.
    """
    from annotator.suggest.builtin.patterns import load
    from annotator.suggest.running import (
        SuggestError,
        SuggestReport,
        documents_to_suggest,
        run_command,
        run_suggesters,
    )

    store = store_of(ctx, create=True)
    with user_errors():
        doc = None
        if document is not None:
            doc = store.documents.find(document)
            if doc is None:
                raise SuggestError(f"no document {printable(document)}")
        chosen = documents_to_suggest(store, statuses or None, doc)
        if command is not None:
            if suggesters:
                raise SuggestError("give --command or --suggester, not both")
            report, said = run_command(
                store,
                command,
                documents=chosen,
                name=name,
                timeout=timeout,
                min_score=min_score or 0.0,
            )
            if said:
                click.echo(f"{name} said:\n{said}", err=True)
        else:
            rules = [s for s in suggesters if s != "learned"]
            report = SuggestReport()
            with store.transaction():  # all the suggesters' suggestions, or none
                if rules or not suggesters:
                    report = run_suggesters(
                        store,
                        rules or None,
                        documents=chosen,
                        min_score=min_score,
                        patterns=load(patterns) if patterns else None,
                    )
                if "learned" in suggesters:
                    from annotator.suggest.learned.suggesting import suggest_learned

                    report = report.merge(suggest_learned(store, chosen, min_score=min_score))
    if as_json:
        echo_json(report.to_json())
    else:
        click.echo(report.summary())


@click.group()
def patterns() -> None:
    """The patterns file of the built-in suggesters."""


@patterns.command("init")
@click.pass_context
def patterns_init(ctx: click.Context) -> None:
    """Write a copy of the default patterns beside the project, to edit; suggest then uses it.

    A packet carries the lead's patterns: those are written instead.
    """
    from annotator.suggest.builtin.patterns import project_path, write_defaults
    from annotator.team.packets import PATTERNS_SETTING

    store = store_of(ctx)
    target = project_path(store.path)
    if _holds_something(target):  # an empty file is what a failed write used to leave
        raise click.ClickException(f"{printable(target)} is already there; edit it")
    carried = store.get_setting(PATTERNS_SETTING)
    content = carried.encode("utf-8") if isinstance(carried, str) and carried.strip() else None
    with user_errors():
        write_defaults(target, content)
    whose = " (the lead's patterns this packet carries)" if content is not None else ""
    click.echo(f"Wrote {printable(target)}{whose}; `annotator suggest` now uses it")


def _holds_something(path: Path) -> bool:
    """Whether ``path`` exists as anything but an empty regular file."""
    if not os.path.lexists(path):
        return False
    try:
        return not path.is_file() or path.stat().st_size > 0
    except OSError:  # cannot be looked at: leave it alone
        return True
