"""`annotator merge`, `agreement` and `curate`: a team's projects made one, and measured."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.cli.common import echo_json, n, store_of, user_errors
from annotator.printable import printable

GOLD_PERIODS = ("day", "week", "month")  # annotator.team.gold_scores.PERIODS, not imported here


@click.command()
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
@click.option(
    "--allow-older",
    is_flag=True,
    help="Let a file older than the work merged from it before (a backup, say) replace that "
    "newer work; without it such a merge is refused, saying what it would undo.",
)
@click.option(
    "--allow-other-analyst",
    is_flag=True,
    help="Let --rename merge a packet's work under another name than the analyst it was made "
    "for; without it such a merge is refused.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def merge(
    ctx: click.Context,
    sources: tuple[Path, ...],
    into: Path,
    renames: tuple[str, ...],
    allow_older: bool,
    allow_other_analyst: bool,
    as_json: bool,
) -> None:
    """Merge analysts' projects into one team project.

    Documents are matched by their text, labels by name; every span, note, status and
    history entry keeps its analyst. Merging the same files again adds only what changed in
    them. The same analyst with other work on a document in two files is refused, and so is
    a rename onto a name another analyst already has.
    """
    from annotator.store.project import Store
    from annotator.team.merge import merge_projects, parse_renames

    with user_errors():
        names = parse_renames(renames)
        with Store(into, ctx.obj.get("user")) as team:
            report = merge_projects(
                team,
                sources,
                names,
                allow_older=allow_older,
                allow_other_analyst=allow_other_analyst,
            )
    if as_json:
        echo_json(report.to_json())
    else:
        click.echo(report.summary())


@click.command()
@click.option("--label", "labels", multiple=True, help="Only this label (repeatable).")
@click.option(
    "--against",
    type=click.Choice(["curated", "gold"]),
    help="Score each analyst against the curated layer instead of against each other; "
    "`gold`: on the gold documents only, with precision and recall, and over time.",
)
@click.option(
    "--by",
    type=click.Choice(GOLD_PERIODS),
    help="With --against gold: follow the scores per UTC day, ISO week (the default) or month "
    "in which each gold document was marked done.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def agreement(
    ctx: click.Context,
    labels: tuple[str, ...],
    against: str | None,
    by: str | None,
    as_json: bool,
) -> None:
    """How far analysts agree, pair by pair, over the documents both marked done.

    Per label and for all labels together: exact F1 (same start and end), overlap F1 (at
    least one character shared) and Cohen's kappa over characters; then the documents with
    the most disagreement first. With --against gold, each analyst's precision, recall and
    F1 against the curated layer of the gold documents they marked done, and per period.
    """
    from annotator.team.project_agreement import agreement as measure

    if by is not None and against != "gold":
        raise click.ClickException("--by follows scores against gold: give --against gold too")
    if against == "gold":
        from annotator.cli.gold import print_scores

        print_scores(ctx, labels, by or "week", as_json)
        return
    store = store_of(ctx)
    with user_errors():
        report = measure(store, labels or None, against=against)
    if as_json:
        echo_json(report.to_json())
        return
    if not report.pairs:
        click.echo("No pair of analysts to compare: agreement needs two analysts' work.")
        return

    def figure(value: float | None) -> str:
        return "   -  " if value is None else f"{value:6.3f}"

    for pair, data in zip(report.pairs, report.to_json()["pairs"], strict=True):
        a, b = printable(pair.a), printable(pair.b)
        click.echo(f"{a} and {b}: {n(data['documents'], 'document')} both marked done")
        who = f"{a}/{b}"
        width = max(11, len(who))
        click.echo(
            f"  {'label':<14} {who:>{width}}  {'exact F1':>8}  {'overlap F1':>10}  {'kappa':>6}"
        )
        for name, row in [*data["labels"].items(), ("all labels", data["all"])]:
            spans = f"{row['a_spans']}/{row['b_spans']}"
            click.echo(
                f"  {printable(name):<14} {spans:>{width}}  {figure(row['exact_f1']):>8}  "
                f"{figure(row['overlap_f1']):>10}  {figure(row['kappa']):>6}"
            )
        if data.get("relations"):
            click.echo(f"  {'relation type':<14} {who:>{width}}  {'exact F1':>8}")
            for name, row in data["relations"].items():
                count = f"{row['a_relations']}/{row['b_relations']}"
                click.echo(
                    f"  {printable(name):<14} {count:>{width}}  {figure(row['exact_f1']):>8}"
                )
    if report.documents:
        click.echo("Documents by disagreement (spans the other analyst did not make exactly):")
        for row in report.documents[:20]:
            click.echo(
                f"  {row['number']:>6}  {row['unmatched_spans']:>4}  {printable(row['title'])}"
            )


@click.command()
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
    settled in the window's review mode. Gold documents are left as they are.
    """
    from annotator.team.curation import curate_agreed
    from annotator.team.gold import gold_ids

    store = store_of(ctx, create=True)
    with user_errors():
        report = curate_agreed(store, keep=set(gold_ids(store.conn)))
    click.echo(report.summary())
    if report.kept:
        was = "it was" if report.kept == 1 else "they were"
        click.echo(
            f"{n(report.kept, 'gold document')} left as {was}: the curated layer analysts are "
            "scored against changes only by hand."
        )
