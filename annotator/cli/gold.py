"""`annotator gold`: the curated documents the lead marks as gold, to mix into packets
(`packet --gold`) and score each analyst against (`agreement --against gold`)."""

from __future__ import annotations

import click

from annotator.cli.common import echo_json, n, store_of, user_errors
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
        echo_json(data)
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


def print_scores(ctx: click.Context, labels: tuple[str, ...], by: str, as_json: bool) -> None:
    """`agreement --against gold`: each analyst's figures against gold, then per period."""
    from annotator.team.gold_scores import score

    store = store_of(ctx)
    with user_errors():
        report = score(store, labels or None, by=by)
    data = report.to_json()
    if as_json:
        echo_json(data)
        return
    if not report.gold:
        click.echo(
            "No document is gold yet: `annotator gold add DOCUMENT...` marks curated documents "
            "gold."
        )
        return
    click.echo(
        f"Against gold: {n(report.gold, 'gold document')}; each analyst on those they marked "
        "done (their spans and relations the prediction, the curated layer the reference)."
    )
    if not data["analysts"]:
        click.echo("No analyst has marked a gold document done yet.")
    for row in data["analysts"]:
        for line in _analyst_lines(row, by):
            click.echo(line)


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


_COLUMNS = (
    ("exact P", "exact_precision"),
    ("exact R", "exact_recall"),
    ("exact F1", "exact_f1"),
    ("overlap P", "overlap_precision"),
    ("overlap R", "overlap_recall"),
    ("overlap F1", "overlap_f1"),
)


def _analyst_lines(row: dict, by: str) -> list[str]:
    who = printable(row["analyst"])
    lines = [
        f"{who}: {n(row['documents'], 'gold document')} done"
        + (f" ({row['given']:,} given as gold in packets)" if row["given"] else "")
    ]
    if not row["documents"]:
        return lines
    spans = f"{who}/gold"
    width = max(10, len(spans))
    heading = "  ".join(f"{name:>{max(8, len(name))}}" for name, _ in _COLUMNS)
    lines.append(f"  {'label':<14} {spans:>{width}}  {heading}")
    for name, figures in [*row["labels"].items(), ("all labels", row["all"])]:
        count = f"{figures['analyst_spans']}/{figures['gold_spans']}"
        cells = "  ".join(
            f"{_figure(figures[key]):>{max(8, len(title))}}" for title, key in _COLUMNS
        )
        lines.append(f"  {printable(name):<14} {count:>{width}}  {cells}")
    linked = row["relations"]["all"]
    related = bool(linked["analyst_relations"] or linked["gold_relations"])
    if related:
        lines.append(f"  {'relation':<14} {spans:>{width}}  {heading}")
        lines += _relation_lines(row["relations"], width)
    lines.append(
        f"  {'per ' + by:<14} {'documents':>{width}}  {'exact F1':>8}  {'overlap F1':>10}"
        + (f"  {'relations exact F1':>18}  {'overlap F1':>10}" if related else "")
    )
    for point in row["over_time"]:
        line = (
            f"  {point['period']:<14} {point['documents']:>{width},}  "
            f"{_figure(point['all']['exact_f1']):>8}  {_figure(point['all']['overlap_f1']):>10}"
        )
        if related:
            links = point["relations"]["all"]
            line += f"  {_figure(links['exact_f1']):>18}  {_figure(links['overlap_f1']):>10}"
        lines.append(line)
    return lines


def _relation_lines(relations: dict, width: int) -> list[str]:
    """The rows of each relation type, and of all types, under the labels' (the same
    columns: the counts are relations)."""
    lines = []
    for name, figures in [*relations["types"].items(), ("all relations", relations["all"])]:
        count = f"{figures['analyst_relations']}/{figures['gold_relations']}"
        cells = "  ".join(
            f"{_figure(figures[key]):>{max(8, len(title))}}" for title, key in _COLUMNS
        )
        lines.append(f"  {printable(name):<14} {count:>{width}}  {cells}")
    return lines
