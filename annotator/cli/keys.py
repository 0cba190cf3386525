"""``annotator keys``: every command of the window, its id, its keys and what it does."""

from __future__ import annotations

import json

import click


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def keys(as_json: bool) -> None:
    """List every command of the window by task: its id, its keys (yours, where you chose
    others in Preferences → Keys) and what it does."""
    from annotator import keymap

    try:
        bound = keymap.bindings()
    except keymap.KeyError_ as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        rows = [
            {
                "id": c.id,
                "keys": list(bound[c.id]),
                "default_keys": list(c.keys),
                "group": c.task,
                "text": c.text.replace("&", ""),
                "does": c.does,
            }
            for task in keymap.TASKS
            for c in keymap.COMMANDS
            if c.task == task
        ]
        click.echo(json.dumps({"keys_file": str(keymap.keys_file()), "commands": rows}, indent=2))
        return
    width = max(len(c.id) for c in keymap.COMMANDS)
    for task in keymap.TASKS:
        click.echo(f"{task}:")
        for c in keymap.COMMANDS:
            if c.task == task:
                shown = ", ".join(bound[c.id]) or "(no key)"
                click.echo(f"  {c.id:<{width}}  {shown:<22}  {c.does}")
    click.echo(f"Your own keys, where you chose them: {keymap.keys_file()}")
