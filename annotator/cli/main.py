"""The ``annotator`` command: thin click wrappers over the core, with messages and exit codes.

Every user mistake ends in one clear sentence and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from annotator import __version__
from annotator.cli import learn as cli_learn
from annotator.cli import scheme as cli_scheme
from annotator.cli import suggest as cli_suggest
from annotator.cli import team as cli_team
from annotator.cli.common import Number, n, store_of, user_errors
from annotator.formats.catalog import FORMATS, FORMATS_BY_NAME
from annotator.model import STATUSES
from annotator.printable import printable

if TYPE_CHECKING:
    pass

# Each command imports what it uses when it runs: `annotator --version` or `--help` should
# cost little more than starting Python and click.

_PROGRESS_BYTES = 2_000_000
BREAK_AFTER = Number(0, 7 * 86400, low_open=True, what="a number of seconds")  # a week at most


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
    help="Your name, recorded on every span you make (also ANNOTATOR_USER). Default: login name.",
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


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the good records of a file that has bad ones (by default a file with any bad "
    "record is refused whole).",
)
@click.option(
    "--create-labels", is_flag=True, help="Add labels that the files use but the project lacks."
)
@click.option(
    "--as-suggestions",
    is_flag=True,
    help="Store the files' spans as suggestions to accept or reject, not as annotations.",
)
@click.option(
    "--raw",
    is_flag=True,
    help="Import .html/.htm files as the characters they hold, markup and all, instead of "
    "the article in them.",
)
@click.pass_context
def import_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    skip_invalid: bool,
    create_labels: bool,
    as_suggestions: bool,
    raw: bool,
) -> None:
    """Import .txt/.md articles, saved web pages (.html), Word files (.docx), folders of
    them, .jsonl/.json tasks and brat folders (each .txt with its .ann).

    A task is {"text", "id"?, "title"?, "meta"?} with spans as Prodigy's
    "spans": [{"start", "end", "label"}] or doccano's "label": [[start, end, "label"]];
    Label Studio's JSON export is read too. Offsets count characters (code points), end
    exclusive.
    """
    from annotator.formats.importing import collect_files, import_paths

    store = store_of(ctx, create=True)
    files = collect_files(paths)[0]
    total = 0
    for f in files:
        with suppress(OSError):
            total += f.stat().st_size
    show_bar = total >= _PROGRESS_BYTES and sys.stderr.isatty()

    def waiting(waited: float) -> None:
        click.echo(
            f"{printable(store.path)}: another program is writing to the project; "
            "waiting for it to finish...",
            err=True,
        )

    from annotator.suggest.running import propose_captions

    with user_errors():
        if show_bar:
            with click.progressbar(length=total, label="Importing", file=sys.stderr) as bar:
                state = {"done": 0}

                def progress(done: int, _total: int) -> None:
                    bar.update(done - state["done"])
                    state["done"] = done

                report = import_paths(
                    store,
                    paths,
                    skip_invalid=skip_invalid,
                    create_labels=create_labels,
                    progress=progress,
                    on_wait=waiting,
                    as_suggestions=as_suggestions,
                    raw=raw,
                    propose_captions=propose_captions,
                )
        else:
            report = import_paths(
                store,
                paths,
                skip_invalid=skip_invalid,
                create_labels=create_labels,
                on_wait=waiting,
                as_suggestions=as_suggestions,
                raw=raw,
                propose_captions=propose_captions,
            )
    for refusal in report.refused:
        click.echo(str(refusal), err=True)
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)


#: Options of one format each, refused with any other.
_FORMAT_OPTIONS = {"spans_key": "spacy", "align": "spacy", "lang": "spacy", "bom": "csv"}


@cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="annotator",
    show_default=True,
    help="; ".join(f"{f.name}: {f.summary}" for f in FORMATS_BY_NAME.values()) + ".",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, allow_dash=True),
    help="File to write ('-' for standard output). Default: a new file in ./exports/.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUSES),
    help="Only documents with this status (repeatable).",
)
@click.option("--label", "labels", multiple=True, help="Only spans with this label (repeatable).")
@click.option(
    "--annotator", "annotators", multiple=True, help="Only spans by this annotator (repeatable)."
)
@click.option(
    "--only-with-spans", is_flag=True, help="Leave out documents that end up with no spans."
)
@click.option(
    "--include-suggestions",
    is_flag=True,
    help="Write suggestions too, each span with its origin, suggester and score.",
)
@click.option(
    "--curated",
    is_flag=True,
    help="Only the curated layer: the documents a curator settled, with their curated spans.",
)
@click.option(
    "--offsets",
    type=click.Choice(["codepoints", "utf16"]),
    default="codepoints",
    show_default=True,
    help="doccano only: utf16 gives offsets that doccano's browser view counts in.",
)
@click.option(
    "--spans-key",
    default="sc",
    show_default=True,
    help="spacy only: the doc.spans key the spans go under (sc is the span categorizer's).",
)
@click.option(
    "--align",
    type=click.Choice(["strict", "contract", "expand"]),
    default="strict",
    show_default=True,
    help="spacy only: a span off token boundaries is dropped (strict), shrunk to the tokens "
    "inside it (contract) or widened to the tokens it touches (expand).",
)
@click.option(
    "--lang",
    default="en",
    show_default=True,
    help="spacy only: the language whose tokenizer splits the text (spacy.blank's code).",
)
@click.option(
    "--bom",
    is_flag=True,
    help="csv only: begin the file with a UTF-8 byte-order mark, which Microsoft Excel needs "
    "to read a double-clicked file as UTF-8.",
)
@click.pass_context
def export_command(
    ctx: click.Context,
    fmt: str,
    output: Path | None,
    statuses: tuple[str, ...],
    labels: tuple[str, ...],
    annotators: tuple[str, ...],
    only_with_spans: bool,
    include_suggestions: bool,
    curated: bool,
    offsets: str,
    spans_key: str,
    align: str,
    lang: str,
    bom: bool,
) -> None:
    """Export the project in one of the formats below (JSONL by default)."""
    from annotator.formats.exporting import export

    for name, owner in _FORMAT_OPTIONS.items():
        given = ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT
        if given and fmt != owner:
            option = "--" + name.replace("_", "-")
            raise click.UsageError(f"{option} applies to the {owner} format only")
    store = store_of(ctx)
    with user_errors():
        report = export(
            store,
            fmt,
            output,
            statuses=statuses or None,
            labels=labels or None,
            annotators=annotators or None,
            only_with_spans=only_with_spans,
            curated=curated,
            include_suggestions=include_suggestions,
            offsets=offsets,
            spans_key=spans_key,
            align=align,
            lang=lang,
            bom=bom,
        )
    from annotator.destinations import writes_in_place

    into_stream = report.path is None or (
        writes_in_place(report.path) and not report.path.is_dir()  # a brat folder is not
    )
    where = "standard output" if report.path is None else printable(report.path)
    details = "".join(f"; {count} {what}" for what, count in report.details.items())
    click.echo(
        f"Exported {n(report.documents, 'document')} and {n(report.spans, 'span')} ({fmt}) "
        f"to {where}{details}",
        err=into_stream,  # the export itself may be going to standard output
    )
    for extra in report.also_written:
        click.echo(f"Also wrote {printable(extra)}", err=into_stream)


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


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_progress_options
@click.pass_context
def stats(ctx: click.Context, as_json: bool, break_after: float, period: str) -> None:
    """Documents by status, spans by label and by annotator, active time, documents done per
    day, spans per hour and agreement over time."""
    from annotator.progress.statistics import figures as gather
    from annotator.progress.statistics import progress_lines

    with user_errors():
        figures = gather(store_of(ctx), break_after=break_after, period=period)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2, allow_nan=False))
        return
    click.echo(f"Documents: {figures['documents']}")
    for status, count in figures["documents_by_status"].items():
        click.echo(f"  {status:<12} {count}")
    click.echo(f"Spans: {figures['spans']}")
    for label, count in figures["spans_by_label"].items():
        click.echo(f"  {printable(label):<12} {count}")
    click.echo("Spans by annotator:")
    for name, count in figures["spans_by_annotator"].items():
        click.echo(f"  {printable(name):<12} {count}")
    if figures["suggestions"]:
        click.echo(f"Suggestions (not yet accepted or rejected): {figures['suggestions']}")
        for name, by_label in figures["suggestions_by_suggester"].items():
            parts = ", ".join(f"{printable(label)} {n}" for label, n in by_label.items())
            click.echo(f"  {printable(name):<12} {parts}")
    for line in progress_lines(figures):
        click.echo(line)


@cli.command()
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


@cli.command()
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUSES),
    help="Only documents with this status (repeatable).",
)
@click.option("--search", help="Only documents whose title or text holds this (any case).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document.")
@click.pass_context
def documents(
    ctx: click.Context, statuses: tuple[str, ...], search: str | None, as_json: bool
) -> None:
    """List the documents: number, id, status, spans and title."""
    store = store_of(ctx)
    with user_errors():
        rows = [
            row
            for row in store.documents.rows(search=search)
            if not statuses or row.status in statuses
        ]
    for row in rows:
        ident = row.external_id if row.external_id is not None else str(row.id)
        if as_json:
            record = {
                "number": row.id,
                "id": ident,
                "status": row.status,
                "spans": row.span_count,
                "title": row.title,
            }
            click.echo(json.dumps(record, ensure_ascii=False, allow_nan=False))
        else:
            click.echo(
                f"{row.id:>6}  {row.status:<11} {row.span_count:>5}  {printable(row.title)}"
                f"  [{printable(ident)}]"
            )


@cli.command()
@click.argument("references", nargs=-1, required=True, metavar="DOCUMENT...")
@click.pass_context
def reopen(ctx: click.Context, references: tuple[str, ...]) -> None:
    """Put documents marked done or skipped back in the queue.

    DOCUMENT is a document's id as exports write it, or its number in `annotator documents`.
    A reopened document is in progress when it has spans, else new.
    """
    store = store_of(ctx)
    unknown = [r for r in references if store.documents.find(r) is None]
    if unknown:
        raise click.ClickException(
            f"no document {printable(unknown[0])} in {printable(store.path)}; "
            "`annotator documents` lists them"
        )
    with user_errors():
        for reference in references:
            document_id = store.documents.find(reference)
            assert document_id is not None
            before, after = store.statuses.reopen(document_id)
            title = printable(store.documents.row(document_id).title)
            if before == after:
                click.echo(f"{title!r} was not done or skipped; it stays {after}")
            else:
                click.echo(f"Reopened {title!r}: {before} -> {after}")


@cli.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.pass_context
def backup(ctx: click.Context, path: Path | None) -> None:
    """Copy the project, safely even while it is open, to PATH (a file or folder)."""
    from annotator.destinations import writes_in_place

    store = store_of(ctx)
    with user_errors():
        written = store.backup(path or store.path.parent)
    click.echo(
        f"Backed up {printable(store.path)} to {printable(written)}",
        err=writes_in_place(written),  # the backup itself may be going to standard output
    )


for _command in (
    cli_team.merge,
    cli_team.agreement,
    cli_team.curate,
    cli_suggest.suggest,
    cli_suggest.patterns,
    cli_learn.train,
    cli_scheme.relations,
    cli_scheme.labels,
):
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="annotator")
