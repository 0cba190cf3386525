"""`annotator import` and `annotator export`: files into the project and the project out to
files, each a thin wrapper over ``formats.importing`` and ``formats.exporting`` that adds a
progress bar, the refusals and the summary line."""

from __future__ import annotations

import sys
from contextlib import suppress
from pathlib import Path

import click

from annotator.cli.common import n, store_of, user_errors
from annotator.formats.catalog import ANY_STATUS, FORMATS, FORMATS_BY_NAME
from annotator.model import STATUSES
from annotator.printable import printable

# Each command imports what it uses when it runs: `annotator --help` should cost little.

_PROGRESS_BYTES = 2_000_000


@click.command("import")
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
@click.option(
    "--clean",
    is_flag=True,
    help="Leave out of .txt/.md files the lines a web page leaves in a scraped article "
    '("Read more: ...", "Don\'t miss...", "Sign up for our newsletter", share and '
    "related lines); by default their text is kept as it is.",
)
@click.pass_context
def import_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    skip_invalid: bool,
    create_labels: bool,
    as_suggestions: bool,
    raw: bool,
    clean: bool,
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

    from annotator.suggest.running import caption_lines, propose_captions

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
                    clean=clean,
                    caption_line=caption_lines(store),
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
                clean=clean,
                caption_line=caption_lines(store),
            )
    for refusal in report.refused:
        click.echo(str(refusal), err=True)
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)


#: Options of one format each, refused with any other.
_FORMAT_OPTIONS = {"spans_key": "spacy", "align": "spacy", "lang": "spacy", "bom": "csv"}


@click.command("export")
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
    type=click.Choice((*STATUSES, ANY_STATUS)),
    help="Only documents with this status (repeatable); 'any' takes every document. Default: "
    "done, but every document for the annotator format (the backup) and for --curated.",
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
    """Export the project in one of the formats below (JSONL by default).

    Every format but annotator's own takes the documents marked done unless --status says
    otherwise; the summary counts the documents left out.
    """
    from annotator.formats.exporting import chosen_statuses, export

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
            statuses=chosen_statuses(fmt, curated, statuses),
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
    if report.left_out:
        details += f"; {report.left_out_summary()} (--status {ANY_STATUS} takes them)"
    click.echo(
        f"Exported {n(report.documents, 'document')} and {n(report.spans, 'span')} ({fmt}) "
        f"to {where}{details}",
        err=into_stream,  # the export itself may be going to standard output
    )
    for extra in report.also_written:
        click.echo(f"Also wrote {printable(extra)}", err=into_stream)
