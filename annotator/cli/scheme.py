"""`annotator labels` and `annotator relations`: the label and relation scheme."""

from __future__ import annotations

import click

from annotator.changes import changes_of
from annotator.cli.common import n, store_of, user_errors
from annotator.printable import printable


@click.group(invoke_without_command=True)
@click.pass_context
def relations(ctx: click.Context) -> None:
    """List the relation types, or change them with a sub-command."""
    if ctx.invoked_subcommand is None:
        store = store_of(ctx)
        with user_errors():
            kinds = store.relation_types.all()
            used = dict(
                store.conn.execute("SELECT type_id, count(*) FROM relations GROUP BY type_id")
            )
        for kind in kinds:
            ends = f"{'/'.join(kind.heads) or 'any'} -> {'/'.join(kind.children) or 'any'}"
            click.echo(
                f"{printable(kind.name):<16} {kind.color}  {ends:<28} {n(used.get(kind.id, 0), 'relation')}"
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
    with user_errors():
        kind = store_of(ctx, create=True).relation_types.add(
            name, color, heads, children, definition
        )
    click.echo(f"Added relation type {kind.name!r}")


@relations.command("rename")
@click.argument("name")
@click.argument("new_name")
@click.pass_context
def relations_rename(ctx: click.Context, name: str, new_name: str) -> None:
    """Rename a relation type; its relations follow."""
    with user_errors():
        kind = store_of(ctx, create=True).relation_types.rename(name, new_name)
    click.echo(f"Renamed {name!r} to {kind.name!r}")


@relations.command("delete")
@click.argument("name")
@click.option("--force", is_flag=True, help="Delete it even if relations use it (they go too).")
@click.pass_context
def relations_delete(ctx: click.Context, name: str, force: bool) -> None:
    """Delete a relation type. Refused while relations use it, unless --force."""
    from annotator.store.relations import RelationError

    with user_errors():
        try:
            count = store_of(ctx, create=True).relation_types.delete(name, delete_relations=force)
        except RelationError as e:
            hint = "; add --force to delete them too" if "used by" in str(e) else ""
            raise click.ClickException(f"{e}{hint}") from None
    click.echo(
        f"Deleted relation type {name!r}" + (f" and its {n(count, 'relation')}" if count else "")
    )


@click.group(invoke_without_command=True)
@click.pass_context
def labels(ctx: click.Context) -> None:
    """List the labels, or change them with a sub-command."""
    if ctx.invoked_subcommand is None:
        store = store_of(ctx)
        with user_errors():
            listed = [(label, store.labels.usage(label.name)) for label in store.labels.all()]
        for label, used in listed:
            key = label.hotkey or "-"
            click.echo(
                f"{printable(key)}  {printable(label.name):<16} {label.color}  {n(used, 'span')}"
            )


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
    with user_errors():
        label = store_of(ctx, create=True).labels.add(name, color, hotkey, definition)
    click.echo(f"Added label {label.name!r} ({label.color})")


@labels.command("rename")
@click.argument("name")
@click.argument("new_name")
@click.pass_context
def labels_rename(ctx: click.Context, name: str, new_name: str) -> None:
    """Rename a label; its spans and the relation types that allow it follow."""
    store = store_of(ctx, create=True)
    with user_errors():
        label = store.labels.rename(name, new_name)
        count = store.labels.usage(label.name)
    click.echo(f"Renamed {name!r} to {label.name!r} ({n(count, 'span')})")


@labels.command("color")
@click.argument("name")
@click.argument("color")
@click.pass_context
def labels_color(ctx: click.Context, name: str, color: str) -> None:
    """Give a label a new colour (#rrggbb)."""
    with user_errors():
        _, label = store_of(ctx, create=True).labels.update(name, color=color)
    click.echo(f"{label.name!r} is now {label.color}")


@labels.command("hotkey")
@click.argument("name")
@click.argument("key", required=False)
@click.pass_context
def labels_hotkey(ctx: click.Context, name: str, key: str | None) -> None:
    """Give a label a hotkey (leave KEY out to remove it)."""
    with user_errors():
        _, label = store_of(ctx, create=True).labels.update(name, hotkey=key)
    click.echo(f"{label.name!r} hotkey: {label.hotkey or 'none'}")


@labels.command("define")
@click.argument("name")
@click.argument("definition")
@click.pass_context
def labels_define(ctx: click.Context, name: str, definition: str) -> None:
    """Set the guideline text of a label."""
    with user_errors():
        store_of(ctx, create=True).labels.update(name, definition=definition)
    click.echo(f"Updated the definition of {name!r}")


@labels.command("delete")
@click.argument("name")
@click.option("--force", is_flag=True, help="Delete the label even if spans use it (they go too).")
@click.pass_context
def labels_delete(ctx: click.Context, name: str, force: bool) -> None:
    """Delete a label. Refused while spans use it, unless --force."""
    from annotator.store.project import LabelInUse

    store = store_of(ctx, create=True)
    with user_errors():
        try:
            count = store.labels.delete(name, delete_spans=force)
        except LabelInUse as e:
            raise click.ClickException(f"{e}; add --force to do so") from None
    click.echo(f"Deleted label {name!r}" + (f" and its {n(count, 'span')}" if count else ""))
    for change in changes_of(count).relation_types.values():
        kind, after = change.before, change.after
        assert kind is not None  # a deletion changes only types that were there
        if after is None:
            click.echo(
                f"Deleted relation type {kind.name!r}: {name!r} was the only label at one end"
            )
        else:
            click.echo(
                f"Relation type {kind.name!r} now goes from {_ends(after.heads)} to "
                f"{_ends(after.children)}"
            )


def _ends(labels: list[str]) -> str:
    return " or ".join(labels) or "any label"
