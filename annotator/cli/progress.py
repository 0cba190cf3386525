"""`annotator stats` and `annotator report`: the project's progress as figures and as one HTML
page, measured with the same options (the break between changes, the period)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from annotator.cli.common import Number, echo_json, store_of, user_errors
from annotator.printable import printable

BREAK_AFTER = Number(0, 7 * 86400, low_open=True, what="a number of seconds")  # a week at most


def _progress_options(command: Any) -> Any:
    """The options of the commands that measure progress (``stats`` and ``report``)."""
    command = click.option(
        "--break-after",
        type=BREAK_AFTER,
        default=300.0,
        show_default=True,
        metavar="SECONDS",
        help="A gap longer than this between an analyst's changes is a break, not work "
        f"({BREAK_AFTER.describe()}).",
    )(command)
    return click.option(
        "--period",
        type=click.Choice(["day", "week"]),
        default="day",
        show_default=True,
        help="Count documents done, and follow agreement, per UTC day or ISO week.",
    )(command)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_progress_options
@click.pass_context
def stats(ctx: click.Context, as_json: bool, break_after: float, period: str) -> None:
    """Documents by status, spans by label and by annotator, active time, documents done per
    day, spans per hour and agreement over time."""
    from annotator.progress.statistics import figures as gather
    from annotator.progress.statistics import text_lines

    with user_errors():
        figures = gather(store_of(ctx), break_after=break_after, period=period)
    if as_json:
        echo_json(figures)
        return
    for line in text_lines(figures):
        click.echo(line)


@click.command()
@click.option(
    "-o",
    "--output",
    "destination",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write (replaced whole when it is complete).",
)
@_progress_options
@click.pass_context
def report(ctx: click.Context, destination: Path, break_after: float, period: str) -> None:
    """Write one self-contained HTML page of the project's progress: the tables and charts
    of `stats`, readable offline."""
    from annotator.progress.report import ReportError, write_report

    with user_errors():
        try:
            written = write_report(
                store_of(ctx), destination, break_after=break_after, period=period
            )
        except ReportError as e:
            raise click.ClickException(str(e)) from None
    click.echo(f"Wrote the report to {printable(written)}")
