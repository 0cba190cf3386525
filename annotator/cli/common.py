"""What every command shares: the project it works on, and user mistakes as one sentence.

Every user mistake ends in one clear sentence and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from annotator.model import LabelError, Refused, SpanError

if TYPE_CHECKING:
    from annotator.store.project import Store


@contextmanager
def user_errors(project: Path | None = None) -> Iterator[None]:
    """Turn what a user can cause or suffer into one sentence and exit code 1."""
    import sqlite3

    from annotator.formats.exporting import ExportError
    from annotator.store.project import ProjectError
    from annotator.store.project_file import sqlite_problem

    try:
        yield
    except (ProjectError, ExportError, LabelError, SpanError, Refused) as e:
        raise click.ClickException(str(e)) from None
    except sqlite3.DatabaseError as e:  # damage found only once the project was read
        if project is None:
            ctx = click.get_current_context(silent=True)
            store = (ctx.obj or {}).get("store") if ctx else None
            project = store.path if store is not None else Path("the project")
        problem = sqlite_problem(project, e)
        if problem is None:
            raise
        raise click.ClickException(str(problem)) from None


def store_of(ctx: click.Context, *, create: bool = False) -> Store:
    """The project the command works on. Only a command that adds to a project passes
    ``create``: one that reads refuses a ``--db`` that names no file, instead of leaving an
    empty project behind a mistyped path."""
    from annotator.cli.default_project import open_project

    obj = ctx.ensure_object(dict)
    if "store" not in obj:
        with user_errors():
            obj["store"] = open_project(obj.get("db"), obj.get("user"), create=create)
        ctx.call_on_close(obj["store"].close)
    return obj["store"]


def echo_json(data: Any) -> None:
    """A command's ``--json`` output: indented, its text as it is, and never NaN (not JSON)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))


def n(count: int, noun: str) -> str:
    """``count`` and ``noun``, plural when it is not 1."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


class Number(click.ParamType):
    """A number typed on the command line: finite, and in the range where the option means
    something.

    Python reads "nan", "inf" and "1e309" as floats, and NaN passes every comparison, so a
    plain range lets them in, and what is computed from them is not even JSON. Every numeric
    option of every command takes its value through this type.
    """

    name = "number"

    def __init__(
        self, low: float, high: float, *, low_open: bool = False, what: str = "a number"
    ) -> None:
        self.low, self.high, self.low_open, self.what = low, high, low_open, what

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            number = math.nan
        if not (math.isfinite(number) and self._above_low(number) and number <= self.high):
            self.fail(f"{value!r} is not {self.describe()}.", param, ctx)
        return number

    def _above_low(self, number: float) -> bool:
        return number > self.low if self.low_open else number >= self.low

    def describe(self) -> str:
        """The range in words, as the help and the refusal say it."""
        if self.low_open:
            return f"{self.what} over {self.low:g} and at most {self.high:g}"
        return f"{self.what} from {self.low:g} to {self.high:g}"


class Whole(Number):
    """A whole number typed on the command line, in the range where the option means
    something. Read as an integer, never through a float, so that a long seed keeps every
    digit and 2.5 analysts is refused rather than rounded."""

    name = "integer"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            number = value if isinstance(value, int) else int(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not {self.describe()}.", param, ctx)
        if not self.low <= number <= self.high:
            self.fail(f"{value!r} is not {self.describe()}.", param, ctx)
        return number

    def describe(self) -> str:
        return f"{self.what} from {int(self.low):,} to {int(self.high):,}"
