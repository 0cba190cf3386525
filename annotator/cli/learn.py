"""`annotator train`: a model learned from the analysts' own spans, and how good it is."""

from __future__ import annotations

import click

from annotator.cli.common import echo_json, store_of, user_errors


@click.command()
@click.option(
    "--label",
    "labels",
    multiple=True,
    help="Learn this label (repeatable). Default: every label with enough examples.",
)
@click.option(
    "--curated",
    is_flag=True,
    help="Learn from the curated layer of the documents a curator settled (a team project), "
    "instead of the documents marked done.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def train(ctx: click.Context, labels: tuple[str, ...], curated: bool, as_json: bool) -> None:
    """Train a model on your spans, for `suggest --suggester learned`.

    It learns from the documents marked done: your spans there are what to find, what you
    left untagged is not. It runs here, in seconds, and is kept in the project file. It
    prints how well it does on documents held out from it, and how that grew with the
    number of documents, so you can see whether tagging more would help.
    """
    from annotator.suggest.learned.training import train as learn

    store = store_of(ctx)
    with user_errors():
        training = learn(store, labels or None, curated=curated)
    if as_json:
        echo_json(training.to_json())
    else:
        click.echo(training.summary())
