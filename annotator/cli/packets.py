"""`annotator assign`, `packet`, `packets`, `progress` and `send-back`: the lead hands documents
out to analysts, as project files of their own, follows how far the work has come, and sends
work back for correction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from annotator.cli.common import Number, Whole, echo_json, store_of, user_errors
from annotator.printable import as_text, printable

OVERLAP = Whole(1, 10_000, what="a whole number of analysts")
SAMPLE = Number(0, 1, low_open=True, what="a fraction")
SEED = Whole(0, 2**63 - 1, what="a whole number")
GOLD = Whole(0, 1_000_000, what="a whole number of documents")
SPAN_ID = Whole(1, 2**63 - 1, what="a span's id")
QUEUE_ORDERS = ("project", "shuffled")  # annotator.team.assign.QUEUE_ORDERS, not imported here


@click.command()
@click.argument("analysts", nargs=-1, required=True, metavar="ANALYST...")
@click.option(
    "--overlap",
    type=OVERLAP,
    default=1,
    show_default=True,
    metavar="K",
    help="Give every document to K different analysts (with --sample, only the sample's).",
)
@click.option(
    "--sample",
    type=SAMPLE,
    metavar="FRACTION",
    help="Give this share of the documents, chosen by the seed, to --overlap analysts (an "
    f"agreement sample) and the rest to one ({SAMPLE.describe()}).",
)
@click.option(
    "--seed",
    type=SEED,
    metavar="N",
    help="Chooses the sample, the ties and a shuffled order: the same seed on the same "
    "documents gives the same assignment. Default: a new one, printed and recorded.",
)
@click.option(
    "--order",
    type=click.Choice(QUEUE_ORDERS),
    default="project",
    show_default=True,
    help="The order of each analyst's queue: the project's, or shuffled by the seed.",
)
@click.option(
    "--packets",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write each analyst's packet of documents not yet sent into this folder "
    "(made when missing), as ANALYST-N.db; all or nothing with the assignment.",
)
@click.option(
    "--gold",
    type=GOLD,
    default=0,
    metavar="K",
    help="With --packets: mix K gold documents each analyst never had into their packet, at "
    "places the seed chooses, unknown to them.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def assign(
    ctx: click.Context,
    analysts: tuple[str, ...],
    overlap: int,
    sample: float | None,
    seed: int | None,
    order: str,
    folder: Path | None,
    gold: int,
    as_json: bool,
) -> None:
    """Give the project's documents to analysts, with an overlap, balanced by length.

    Every document no earlier run gave out goes to --overlap different analysts (or, with
    --sample, the sample does and the rest goes to one), each to the analysts with the fewest
    characters so far. Run it again after importing more documents: only those are given
    out, and nothing assigned before moves. `annotator packet` then writes each analyst's
    share as a project file of their own.
    """
    import random

    from annotator.suggest.builtin.patterns import project_path
    from annotator.team.assign import assign as give_out
    from annotator.team.packets import PacketReport, assign_with_packets

    if gold and folder is None:
        raise click.ClickException(
            "--gold mixes gold documents into packets: give --packets DIR too"
        )
    if seed is None:
        seed = random.SystemRandom().randrange(1_000_000)
    store = store_of(ctx)
    with user_errors():
        settings: dict[str, Any] = {
            "overlap": overlap,
            "sample": sample,
            "seed": seed,
            "order": order,
        }
        packets: list[PacketReport] = []
        if folder is None:
            report = give_out(store, analysts, **settings)
        else:
            report, packets = assign_with_packets(
                store, analysts, folder, patterns_of=project_path, gold=gold, **settings
            )
    if as_json:
        data = {**report.to_json(), "packets": [p.to_json() for p in packets]}
        echo_json(data)
        return
    click.echo(report.summary())
    for packet in packets:
        click.echo(packet.summary())


@click.command()
@click.argument("analyst")
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The packet file to write; an existing file is never replaced.",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Every document assigned to the analyst, not only those no packet has carried yet "
    "(and the gold documents given them before, in their places).",
)
@click.option(
    "--gold",
    type=GOLD,
    default=0,
    metavar="K",
    help="Mix K gold documents the analyst never had into the packet, at places the seed "
    "chooses, unknown to them.",
)
@click.option(
    "--seed",
    type=SEED,
    metavar="N",
    help="Chooses the gold documents and their places: the same seed gives the same. "
    "Default: a new one, printed and recorded.",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@click.pass_context
def packet(
    ctx: click.Context,
    analyst: str,
    out: Path,
    everything: bool,
    gold: int,
    seed: int | None,
    as_json: bool,
) -> None:
    """Write ANALYST's packet: a project file of the documents assigned to them, in their
    queue's order, with the labels, guidelines, relation types and patterns.

    The analyst opens it as any project (`annotator --db FILE --user ANALYST`); the lead
    merges it back with `annotator merge FILE --into` this project.
    """
    import random

    from annotator.suggest.builtin.patterns import project_path
    from annotator.team.packets import write_packet

    if seed is None and gold:
        seed = random.SystemRandom().randrange(1_000_000)
    store = store_of(ctx)
    with user_errors():
        report = write_packet(
            store,
            analyst,
            out,
            everything=everything,
            patterns_of=project_path,
            gold=gold,
            seed=seed,
        )
    if as_json:
        echo_json(report.to_json())
    else:
        click.echo(report.summary())


@click.command("packets")
@click.option("--json", "as_json", is_flag=True, help="Print the packets as JSON.")
@click.pass_context
def packets_command(ctx: click.Context, as_json: bool) -> None:
    """The packets this project made: for whom, when, how many documents, the file, and
    whether each came back (when it was last merged, and how many of its documents came
    back done)."""
    from annotator.team.packet_list import lines, packets

    store = store_of(ctx)
    with user_errors():
        rows = packets(store)
    if as_json:
        data = [row.to_json() for row in rows]
        echo_json(data)
        return
    for line in lines(rows):
        click.echo(line)


@click.command("progress")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def progress_command(ctx: click.Context, as_json: bool) -> None:
    """How far each analyst is with the documents assigned to them: assigned, not started,
    in progress, done (as merged back from their packets), per analyst and for everyone."""
    from annotator.team.packet_progress import progress

    store = store_of(ctx)
    with user_errors():
        figures = progress(store)
    if as_json:
        echo_json(figures.to_json())
        return
    for line in figures.lines():
        click.echo(line)


@click.command("send-back")
@click.argument("references", nargs=-1, required=True, metavar="DOCUMENT...")
@click.option("--analyst", required=True, help="The analyst whose work goes back to them.")
@click.option("--note", required=True, help="What to correct, as the analyst will read it.")
@click.option(
    "--span",
    "spans",
    type=SPAN_ID,
    multiple=True,
    metavar="ID",
    help="A span of the analyst's the note is about (repeat for more).",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write an update file for the packet the analyst already has (the one their "
    "work on the documents came back in), to apply there with `annotator apply-update`; an "
    "existing file is never replaced.",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was sent back as JSON.")
@click.pass_context
def send_back_command(
    ctx: click.Context,
    references: tuple[str, ...],
    analyst: str,
    note: str,
    spans: tuple[int, ...],
    out: Path | None,
    as_json: bool,
) -> None:
    """Send documents back to an analyst for correction, with a note.

    DOCUMENT is a document's id as exports write it, or its number in `annotator documents`.
    The analyst's next packet (`annotator packet`) carries each one first in their queue, with
    their own work as last merged, the note and the curator's changes to their spans; merging
    it back takes their correction.
    """
    from annotator.team.send_back import send_back
    from annotator.team.send_back_update import send_back_to_packet

    store = store_of(ctx)
    with user_errors():
        if out is None:
            report = send_back(store, references, analyst, note, spans)
        else:
            report = send_back_to_packet(store, references, analyst, note, spans, out)
    if as_json:
        data = {**report.to_json(), "update": as_text(str(out)) if out else None}
        echo_json(data)
    elif out is None:
        click.echo(report.summary())
    else:
        first = report.summary().splitlines()[:-1]
        click.echo("\n".join(first))
        click.echo(
            f"Wrote {printable(out)}: the analyst applies it to the packet they have with "
            f"`annotator --db PACKET apply-update {printable(out)}`, then sends that packet back."
        )


@click.command("apply-update")
@click.argument("update", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print what was applied as JSON.")
@click.pass_context
def apply_update_command(ctx: click.Context, update: Path, as_json: bool) -> None:
    """Apply a send-back update file from the lead to this packet (--db).

    Each document the update sends back comes first in the document list, with the
    curator's note and changes above the article, and your status on it in progress again;
    merging the packet back takes your correction. Applying it twice changes nothing.
    """
    from annotator.team.send_back_update import apply_update

    store = store_of(ctx)
    with user_errors():
        applied = apply_update(store, update)
    if as_json:
        echo_json(applied.to_json())
    else:
        click.echo(applied.summary())
