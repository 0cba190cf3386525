"""``annotator whoami``: the analyst's name the commands and the window record, and where it
comes from; ``--set NAME`` saves a new one for both."""

from __future__ import annotations

import click

from annotator.printable import printable


@click.command()
@click.option(
    "--set", "new_name", metavar="NAME", help="Save NAME for the commands and the window."
)
@click.pass_context
def whoami(ctx: click.Context, new_name: str | None) -> None:
    """Print the name recorded on your spans, and where it comes from."""
    from annotator.analyst import FROM_ENV, FROM_FILE, name_and_source, name_file, save_name
    from annotator.model import AnalystNameError

    if new_name is not None:
        try:
            saved = save_name(new_name)
        except AnalystNameError as e:
            raise click.ClickException(f"--set: {e}") from None
        except OSError as e:
            raise click.ClickException(
                f"{printable(name_file())}: the name could not be saved ({e.strerror or e})"
            ) from None
        click.echo(f"{printable(saved)} (saved in {printable(name_file())})")
        return
    user = (ctx.obj or {}).get("user")
    if user:
        given = ctx.parent is not None and (
            ctx.parent.get_parameter_source("user") is click.core.ParameterSource.ENVIRONMENT
        )
        click.echo(f"{printable(user)} (from {FROM_ENV if given else '--user'})")
        return
    name, source = name_and_source()
    where = {
        FROM_ENV: FROM_ENV,
        FROM_FILE: f"saved in {printable(name_file())}",
    }.get(source, "the login name; none is saved: annotator whoami --set NAME saves one")
    click.echo(f"{printable(name)} ({where})")
