"""`annotator gold`: the curated documents the lead marks as gold, to mix into packets
(`packet --gold`) and score each analyst against (`agreement --against gold`)."""

from __future__ import annotations

import json

import click

from annotator.cli.common import n, store_of, user_errors
from annotator.printable import printable


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the gold documents as JSON.")
@click.pass_context
def gold(ctx: click.Context, as_json: bool) -> None:
    """List the gold documents, or mark and unmark them with a sub-command."""
    if ctx.invoked_subcommand is not None:
        return
    from annotator.team.gold import gold_documents

    store = store_of(ctx)
    with user_errors():
        listed = gold_documents(store)
    if as_json:
        data = [doc.to_json() for doc in listed]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
        return
    if not listed:
        click.echo(
            "No document is gold yet: `annotator gold add DOCUMENT...` marks curated documents "
            "gold."
        )
        return
    for doc in listed:
        layer = n(doc.curated_spans, "curated span") + (", settled" if doc.settled else "")
        given = ", ".join(printable(who) for who in doc.given_to) or "no one yet"
        click.echo(
            f"{doc.number:>6}  {printable(doc.title)}  [{printable(doc.id)}]  {layer}; "
            f"given to {given}"
        )


@gold.command("add")
@click.argument("references", nargs=-1, required=True, metavar="DOCUMENT...")
@click.pass_context
def gold_add(ctx: click.Context, references: tuple[str, ...]) -> None:
    """Mark curated documents gold.

    DOCUMENT is a document's id as exports write it, or its number in `annotator documents`.
    A document must have a curated layer (settled by a curator, or holding curated spans).
    """
    from annotator.team.gold import mark_gold

    store = store_of(ctx)
    with user_errors():
        change = mark_gold(store, references)
    click.echo(change.summary())


@gold.command("remove")
@click.argument("references", nargs=-1, required=True, metavar="DOCUMENT...")
@click.pass_context
def gold_remove(ctx: click.Context, references: tuple[str, ...]) -> None:
    """Take documents out of the gold ones (what went out as gold stays recorded)."""
    from annotator.team.gold import unmark_gold

    store = store_of(ctx)
    with user_errors():
        change = unmark_gold(store, references)
    click.echo(change.summary())
