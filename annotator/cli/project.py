"""`annotator documents`, `reopen` and `backup`: the project's documents listed and put back
in the queue, and the project file copied."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from annotator.cli.common import store_of, user_errors
from annotator.model import STATUSES
from annotator.printable import printable

if TYPE_CHECKING:  # the store is imported when a command runs
    from annotator.store.documents import DocumentRow
    from annotator.store.project import Store
    from annotator.team.send_back import Correction


@click.command()
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
    lines: list[str] = []
    batch = 1
    with user_errors():
        corrections = _corrections(store)
        # Printed as they are read, the first at once and the rest a thousand at a time: a
        # million documents start to show in a moment and never wait in memory.
        for row in store.documents.listing(statuses, search):
            lines.append(_document_line(row, as_json, corrections.get(row.id)))
            if len(lines) >= batch:
                click.echo("\n".join(lines))
                lines.clear()
                batch = 1000
    if lines:
        click.echo("\n".join(lines))


def _corrections(store: Store) -> dict[int, Correction]:
    """In an analyst's packet, the documents it carries back to them for correction, with the
    curator's note (none elsewhere: one query)."""
    from annotator.store.document_marks import sent_back_documents

    documents = sent_back_documents(store.conn, store.annotator)
    if not documents:
        return {}
    from annotator.team.send_back import correction_of

    found = {doc: correction_of(store.conn, doc, store.annotator) for doc in documents}
    return {doc: c for doc, c in found.items() if c is not None}


def _document_line(row: DocumentRow, as_json: bool, correction: Correction | None = None) -> str:
    ident = row.external_id if row.external_id is not None else str(row.id)
    if as_json:
        record: dict[str, Any] = {
            "number": row.id,
            "id": ident,
            "status": row.status,
            "spans": row.span_count,
            "title": row.title,
        }
        if correction is not None:
            record["sent_back"] = {
                "by": correction.curator,
                "note": correction.note,
                "at": correction.sent_at,
                "changes": correction.lines(),
            }
        return json.dumps(record, ensure_ascii=False, allow_nan=False)
    line = (
        f"{row.id:>6}  {row.status:<11} {row.span_count:>5}  {printable(row.title)}"
        f"  [{printable(ident)}]"
    )
    if correction is not None:
        line += (
            f"\n{'':>8}sent back for correction by {printable(correction.curator)}: "
            f"\u201c{printable(correction.note)}\u201d"
        )
    return line


@click.command()
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


@click.command()
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
