"""The ``annotator`` command: thin click wrappers over the core, with messages and exit codes.

Every user mistake ends in one clear sentence and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from annotator import __version__
from annotator.formats import FORMATS, FORMATS_BY_NAME
from annotator.model import STATUSES, LabelError, Refused, SpanError
from annotator.printable import printable

if TYPE_CHECKING:
    from annotator.store import Store

# Each command imports what it uses when it runs: `annotator --version` or `--help` should
# cost little more than starting Python and click.

_PROGRESS_BYTES = 2_000_000


@contextmanager
def _user_errors(project: Path | None = None) -> Iterator[None]:
    """Turn what a user can cause or suffer into one sentence and exit code 1."""
    import sqlite3

    from annotator.exporters import ExportError
    from annotator.project_file import sqlite_problem
    from annotator.store import ProjectError

    try:
        yield
    except (ProjectError, ExportError, LabelError, SpanError, Refused) as e:
        raise click.ClickException(str(e)) from None
    except sqlite3.DatabaseError as e:  # damage found only once the project was read
        if project is None:
            ctx = click.get_current_context(silent=True)
            store = (ctx.obj or {}).get("store") if ctx else None
            project = store.path if store is not None else Path("the project")
        problem = sqlite_problem(project, e)
        if problem is None:
            raise
        raise click.ClickException(str(problem)) from None


def _store(ctx: click.Context) -> Store:
    from annotator.project import open_project

    obj = ctx.ensure_object(dict)
    if "store" not in obj:
        with _user_errors():
            obj["store"] = open_project(obj.get("db"), obj.get("user"))
        ctx.call_on_close(obj["store"].close)
    return obj["store"]


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
    ctx.ensure_object(dict).update(db=db, user=user)
    if ctx.invoked_subcommand is None:
        sys.exit(_open_window(ctx))


def _open_window(ctx: click.Context) -> int:
    from annotator.desktop import window_problem
    from annotator.project import default_project_path, open_project

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
    with _user_errors():
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
    from annotator.importers import collect_files, import_paths

    store = _store(ctx)
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

    with _user_errors():
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
            )
    for refusal in report.refused:
        click.echo(str(refusal), err=True)
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)


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
) -> None:
    """Export the project in one of the formats below (JSONL by default)."""
    from annotator.exporters import export

    if fmt != "spacy":
        for name in ("spans_key", "align", "lang"):
            if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT:
                option = "--" + name.replace("_", "-")
                raise click.UsageError(f"{option} applies to the spacy format only")
    store = _store(ctx)
    with _user_errors():
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
        )
    from annotator.destinations import writes_in_place

    into_stream = report.path is None or (
        writes_in_place(report.path) and not report.path.is_dir()  # a brat folder is not
    )
    where = "standard output" if report.path is None else printable(report.path)
    details = "".join(f"; {n} {what}" for what, n in report.details.items())
    click.echo(
        f"Exported {_n(report.documents, 'document')} and {_n(report.spans, 'span')} ({fmt}) "
        f"to {where}{details}",
        err=into_stream,  # the export itself may be going to standard output
    )
    for extra in report.also_written:
        click.echo(f"Also wrote {printable(extra)}", err=into_stream)


def _progress_options(command: Any) -> Any:
    """The options of the commands that measure progress (``stats`` and ``report``)."""
    command = click.option(
        "--break-after",
        type=click.FloatRange(min=0),
        default=300.0,
        show_default=True,
        metavar="SECONDS",
        help="A gap longer than this between an analyst's changes is a break, not work.",
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
    from annotator.statistics import figures as gather
    from annotator.statistics import progress_lines

    with _user_errors():
        figures = gather(_store(ctx), break_after=break_after, period=period)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    click.echo(f"Documents: {figures['documents']}")
    for status, count in figures["documents_by_status"].items():
        click.echo(f"  {status:<12} {count}")
    click.echo(f"Spans: {figures['spans']}")
    for label, count in figures["spans_by_label"].items():
        click.echo(f"  {label:<12} {count}")
    click.echo("Spans by annotator:")
    for name, count in figures["spans_by_annotator"].items():
        click.echo(f"  {name:<12} {count}")
    if figures["suggestions"]:
        click.echo(f"Suggestions (not yet accepted or rejected): {figures['suggestions']}")
        for name, by_label in figures["suggestions_by_suggester"].items():
            parts = ", ".join(f"{label} {n}" for label, n in by_label.items())
            click.echo(f"  {name:<12} {parts}")
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
    from annotator.report import ReportError, write_report

    with _user_errors():
        try:
            written = write_report(_store(ctx), destination, break_after=break_after, period=period)
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
    store = _store(ctx)
    with _user_errors():
        rows = [
            row
            for row in store.document_rows(search=search)
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
            click.echo(json.dumps(record, ensure_ascii=False))
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
    store = _store(ctx)
    unknown = [r for r in references if store.find_document(r) is None]
    if unknown:
        raise click.ClickException(
            f"no document {printable(unknown[0])} in {printable(store.path)}; "
            "`annotator documents` lists them"
        )
    with _user_errors():
        for reference in references:
            document_id = store.find_document(reference)
            assert document_id is not None
            before, after = store.reopen_document(document_id)
            title = printable(store.document_row(document_id).title)
            if before == after:
                click.echo(f"{title!r} was not done or skipped; it stays {after}")
            else:
                click.echo(f"Reopened {title!r}: {before} -> {after}")


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--into",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The team project to merge into (created when missing).",
)
@click.option(
    "--rename",
    "renames",
    multiple=True,
    metavar="OLD=NEW",
    help="Give an analyst another name while merging (repeatable): two people who share a "
    "name are kept apart.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def merge(
    ctx: click.Context,
    sources: tuple[Path, ...],
    into: Path,
    renames: tuple[str, ...],
    as_json: bool,
) -> None:
    """Merge analysts' projects into one team project.

    Documents are matched by their text, labels by name; every span, note, status and
    history entry keeps its analyst. Merging the same files again adds only what changed in
    them. The same analyst with other work on a document in two files is refused.
    """
    from annotator.merge import merge_projects, parse_renames
    from annotator.store import Store

    with _user_errors():
        names = parse_renames(renames)
        with Store(into, ctx.obj.get("user")) as team:
            report = merge_projects(team, sources, names)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.summary())


@cli.command()
@click.option("--label", "labels", multiple=True, help="Only this label (repeatable).")
@click.option(
    "--against",
    type=click.Choice(["curated"]),
    help="Score each analyst against the curated layer instead of against each other.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def agreement(
    ctx: click.Context, labels: tuple[str, ...], against: str | None, as_json: bool
) -> None:
    """How far analysts agree, pair by pair, over the documents both marked done.

    Per label and for all labels together: exact F1 (same start and end), overlap F1 (at
    least one character shared) and Cohen's kappa over characters; then the documents with
    the most disagreement first.
    """
    from annotator.curation import agreement as measure

    store = _store(ctx)
    with _user_errors():
        report = measure(store, labels or None, against=against)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return
    if not report.pairs:
        click.echo("No pair of analysts to compare: agreement needs two analysts' work.")
        return

    def figure(value: float | None) -> str:
        return "   -  " if value is None else f"{value:6.3f}"

    for pair in report.pairs:
        data = pair.to_json()
        click.echo(f"{pair.a} and {pair.b}: {_n(data['documents'], 'document')} both marked done")
        click.echo(
            f"  {'label':<14} {'spans':>11}  {'exact F1':>8}  {'overlap F1':>10}  {'kappa':>6}"
        )
        for name, row in [*data["labels"].items(), ("all labels", data["all"])]:
            spans = f"{row['a_spans']}/{row['b_spans']}"
            click.echo(
                f"  {name:<14} {spans:>11}  {figure(row['exact_f1']):>8}  "
                f"{figure(row['overlap_f1']):>10}  {figure(row['kappa']):>6}"
            )
    if report.documents:
        click.echo("Documents by disagreement (spans the other analyst did not make exactly):")
        for row in report.documents[:20]:
            click.echo(
                f"  {row['number']:>6}  {row['unmatched_spans']:>4}  {printable(row['title'])}"
            )


@cli.command()
@click.option(
    "--agreed",
    is_flag=True,
    required=True,
    help="Put the spans every analyst who marked a document done made identically into the "
    "curated layer.",
)
@click.pass_context
def curate(ctx: click.Context, agreed: bool) -> None:
    """Build the curated (gold) layer from what the analysts agree on.

    On each document at least two analysts marked done, the spans all of them made with the
    same start, end and label become curated spans, with you (--user) as curator. The rest is
    settled in the window's review mode.
    """
    from annotator.curation import curate_agreed

    store = _store(ctx)
    with _user_errors():
        report = curate_agreed(store)
    click.echo(report.summary())


@cli.command()
@click.option(
    "--suggester",
    "suggesters",
    multiple=True,
    help="A built-in suggester to run (repeatable): quotes, captions, concessions, claims. "
    "Default: quotes, captions and concessions.",
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
    type=click.FloatRange(0, 1),
    default=None,
    help="Store only suggestions scored at least this (default: 0.5 for quotes and captions, "
    "which leaves scare quotes out, 0 for the others and for --command).",
)
@click.option(
    "--command",
    help='Your own program: it reads {"id", "text", "meta"} lines on standard input and '
    'writes {"id", "spans": [{"start", "end", "label", "score"}]} lines.',
)
@click.option(
    "--name", default="command", show_default=True, help="The suggester name of --command."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=300,
    show_default=True,
    help="Seconds --command may take before it is stopped.",
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

    Suggestions are spans of origin `suggested`: drawn apart in the window, counted apart,
    left out of exports unless --include-suggestions, and never proposed again where they
    were rejected.
    """
    from annotator.suggesters.patterns import load
    from annotator.suggesting import (
        SuggestError,
        documents_to_suggest,
        run_command,
        run_suggesters,
    )

    store = _store(ctx)
    with _user_errors():
        doc = None
        if document is not None:
            doc = store.find_document(document)
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
            report = run_suggesters(
                store,
                suggesters or None,
                documents=chosen,
                min_score=min_score,
                patterns=load(patterns) if patterns else None,
            )
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.summary())


@cli.group()
def patterns() -> None:
    """The patterns file of the built-in suggesters."""


@patterns.command("init")
@click.pass_context
def patterns_init(ctx: click.Context) -> None:
    """Write a copy of the default patterns beside the project, to edit; suggest then uses it."""
    import shutil

    from annotator.suggesters.patterns import default_path, project_path

    store = _store(ctx)
    target = project_path(store.path)
    if target.exists():
        raise click.ClickException(f"{printable(target)} is already there; edit it")
    shutil.copyfile(default_path(), target)
    click.echo(f"Wrote {printable(target)}; `annotator suggest` now uses it")


@cli.group(invoke_without_command=True)
@click.pass_context
def relations(ctx: click.Context) -> None:
    """List the relation types, or change them with a sub-command."""
    if ctx.invoked_subcommand is None:
        store = _store(ctx)
        with _user_errors():
            kinds = store.relation_types()
            used = dict(
                store.conn.execute("SELECT type_id, count(*) FROM relations GROUP BY type_id")
            )
        for kind in kinds:
            ends = f"{'/'.join(kind.heads) or 'any'} -> {'/'.join(kind.children) or 'any'}"
            click.echo(
                f"{kind.name:<16} {kind.color}  {ends:<28} {_n(used.get(kind.id, 0), 'relation')}"
            )


@relations.command("add")
@click.argument("name")
@click.option("--head", "heads", multiple=True, help="A label its head span may have (repeatable).")
@click.option(
    "--child", "children", multiple=True, help="A label its child span may have (repeatable)."
)
@click.option("--color", help="#rrggbb.")
@click.option("--definition", default="", help="The guideline for this relation.")
@click.pass_context
def relations_add(
    ctx: click.Context,
    name: str,
    heads: tuple[str, ...],
    children: tuple[str, ...],
    color: str | None,
    definition: str,
) -> None:
    """Add a relation type (no --head or --child: any label at that end)."""
    with _user_errors():
        kind = _store(ctx).add_relation_type(name, color, heads, children, definition)
    click.echo(f"Added relation type {kind.name!r}")


@relations.command("rename")
@click.argument("name")
@click.argument("new_name")
@click.pass_context
def relations_rename(ctx: click.Context, name: str, new_name: str) -> None:
    """Rename a relation type; its relations follow."""
    with _user_errors():
        kind = _store(ctx).rename_relation_type(name, new_name)
    click.echo(f"Renamed {name!r} to {kind.name!r}")


@relations.command("delete")
@click.argument("name")
@click.option("--force", is_flag=True, help="Delete it even if relations use it (they go too).")
@click.pass_context
def relations_delete(ctx: click.Context, name: str, force: bool) -> None:
    """Delete a relation type. Refused while relations use it, unless --force."""
    from annotator.relations import RelationError

    with _user_errors():
        try:
            count = _store(ctx).delete_relation_type(name, delete_relations=force)
        except RelationError as e:
            hint = "; add --force to delete them too" if "used by" in str(e) else ""
            raise click.ClickException(f"{e}{hint}") from None
    click.echo(
        f"Deleted relation type {name!r}" + (f" and its {_n(count, 'relation')}" if count else "")
    )


@cli.group(invoke_without_command=True)
@click.pass_context
def labels(ctx: click.Context) -> None:
    """List the labels, or change them with a sub-command."""
    if ctx.invoked_subcommand is None:
        store = _store(ctx)
        with _user_errors():
            listed = [(label, store.label_usage(label.name)) for label in store.labels()]
        for label, used in listed:
            key = label.hotkey or "-"
            click.echo(f"{key}  {label.name:<16} {label.color}  {_n(used, 'span')}")


@labels.command("add")
@click.argument("name")
@click.option("--color", help="#rrggbb; default: the next free colour.")
@click.option("--hotkey", help="One character that applies the label in the window.")
@click.option("--definition", default="", help="The guideline for this label.")
@click.pass_context
def labels_add(
    ctx: click.Context, name: str, color: str | None, hotkey: str | None, definition: str
) -> None:
    """Add a label."""
    with _user_errors():
        label = _store(ctx).add_label(name, color, hotkey, definition)
    click.echo(f"Added label {label.name!r} ({label.color})")


@labels.command("rename")
@click.argument("name")
@click.argument("new_name")
@click.pass_context
def labels_rename(ctx: click.Context, name: str, new_name: str) -> None:
    """Rename a label; its spans follow."""
    store = _store(ctx)
    with _user_errors():
        label = store.rename_label(name, new_name)
        count = store.label_usage(label.name)
    click.echo(f"Renamed {name!r} to {label.name!r} ({_n(count, 'span')})")


@labels.command("color")
@click.argument("name")
@click.argument("color")
@click.pass_context
def labels_color(ctx: click.Context, name: str, color: str) -> None:
    """Give a label a new colour (#rrggbb)."""
    with _user_errors():
        _, label = _store(ctx).update_label(name, color=color)
    click.echo(f"{label.name!r} is now {label.color}")


@labels.command("hotkey")
@click.argument("name")
@click.argument("key", required=False)
@click.pass_context
def labels_hotkey(ctx: click.Context, name: str, key: str | None) -> None:
    """Give a label a hotkey (leave KEY out to remove it)."""
    with _user_errors():
        _, label = _store(ctx).update_label(name, hotkey=key)
    click.echo(f"{label.name!r} hotkey: {label.hotkey or 'none'}")


@labels.command("define")
@click.argument("name")
@click.argument("definition")
@click.pass_context
def labels_define(ctx: click.Context, name: str, definition: str) -> None:
    """Set the guideline text of a label."""
    with _user_errors():
        _store(ctx).update_label(name, definition=definition)
    click.echo(f"Updated the definition of {name!r}")


@labels.command("delete")
@click.argument("name")
@click.option("--force", is_flag=True, help="Delete the label even if spans use it (they go too).")
@click.pass_context
def labels_delete(ctx: click.Context, name: str, force: bool) -> None:
    """Delete a label. Refused while spans use it, unless --force."""
    from annotator.store import LabelInUse

    store = _store(ctx)
    with _user_errors():
        try:
            count = store.delete_label(name, delete_spans=force)
        except LabelInUse as e:
            raise click.ClickException(f"{e}; add --force to do so") from None
    click.echo(f"Deleted label {name!r}" + (f" and its {_n(count, 'span')}" if count else ""))


@cli.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.pass_context
def backup(ctx: click.Context, path: Path | None) -> None:
    """Copy the project, safely even while it is open, to PATH (a file or folder)."""
    from annotator.destinations import writes_in_place

    store = _store(ctx)
    with _user_errors():
        written = store.backup(path or store.path.parent)
    click.echo(
        f"Backed up {printable(store.path)} to {printable(written)}",
        err=writes_in_place(written),  # the backup itself may be going to standard output
    )


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def main() -> None:
    cli(prog_name="annotator")
