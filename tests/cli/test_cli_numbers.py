"""Numbers typed on the command line: finite and in range, or refused before anything runs."""

from __future__ import annotations

import json
import math

import click
import pytest
from click.testing import CliRunner

from annotator.cli.common import Number
from annotator.cli.main import cli
from annotator.store.project import Store


def _params(command: click.Command, path: list[str]):
    for param in command.params:
        yield " ".join([*path, param.name or ""]), param
    if isinstance(command, click.Group):  # asked as click asks, so lazily found ones count
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None, name
            yield from _params(sub, [*path, name])


def test_every_numeric_option_or_argument_takes_its_value_through_the_number_type():
    plain = (click.types.FloatParamType, click.types.IntParamType)
    loose = [name for name, opt in _params(cli, []) if isinstance(opt.type, plain)]
    assert loose == [], f"numbers that let NaN or infinity in: {loose}"
    checked = {name for name, opt in _params(cli, []) if isinstance(opt.type, Number)}
    assert {"stats break_after", "report break_after", "suggest timeout"} <= checked
    assert "suggest min_score" in checked
    assert {"assign overlap", "assign sample", "assign seed"} <= checked


@pytest.fixture
def project(tmp_path, add_doc, store):
    add_doc("Ana said “we will”. Photo: a bridge (Ana Ruiz / City Courier)\n")
    store.close()
    return store.path


NOT_FINITE = ["nan", "NaN", "inf", "-inf", "Infinity", "1e309", "-1e309"]
CASES = [
    *[(["stats", "--json"], "--break-after", v) for v in [*NOT_FINITE, "0", "-5", "1e9"]],
    *[(["report", "-o", "r.html"], "--break-after", v) for v in [*NOT_FINITE, "0", "1e300"]],
    *[(["suggest"], "--timeout", v) for v in [*NOT_FINITE, "0", "-1", "1e300", "86401"]],
    *[(["suggest"], "--min-score", v) for v in [*NOT_FINITE, "-0.1", "1.5", "high"]],
]


@pytest.mark.parametrize(
    ("args", "option", "value"), CASES, ids=[f"{a[0]} {o}={v}" for a, o, v in CASES]
)
def test_a_number_out_of_range_or_not_finite_is_a_usage_error(
    project, dump, tmp_path, monkeypatch, args, option, value
):
    monkeypatch.chdir(tmp_path)
    before = dump(project)
    result = CliRunner().invoke(cli, ["--db", str(project), *args, f"{option}={value}"])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}': '{value}' is not a number" in result.output
    assert "Traceback" not in result.output and result.stdout == ""
    assert dump(project) == before
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize(
    ("args", "option", "value"),
    [
        (["stats", "--json"], "--break-after", "604800"),
        (["stats", "--json"], "--break-after", "0.5"),
        (["suggest", "--json"], "--min-score", "0"),
        (["suggest", "--json"], "--min-score", "1"),
        (["suggest", "--json"], "--timeout", "86400"),
    ],
)
def test_a_number_at_the_edges_of_its_range_is_taken(project, args, option, value):
    result = CliRunner().invoke(cli, ["--db", str(project), *args, option, value])
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)


def test_the_number_type_says_its_range():
    assert Number(0, 1).describe() == "a number from 0 to 1"
    seconds = Number(0, 60, low_open=True, what="a number of seconds")
    assert seconds.describe() == "a number of seconds over 0 and at most 60"
    assert seconds.convert("60", None, None) == 60.0
    for wrong in ("0", "60.001", "nan", "inf", "", None):
        with pytest.raises(click.BadParameter, match="is not a number of seconds over 0"):
            seconds.convert(wrong, None, None)


def test_stats_json_never_prints_what_is_not_json(project, monkeypatch):
    """Should a figure ever come out as NaN, the command fails rather than print it."""
    from annotator.progress import statistics

    def broken(store: Store, **_: object) -> dict[str, object]:
        return {"documents": 1, "active_time": {"total": math.nan}}

    monkeypatch.setattr(statistics, "figures", broken)
    result = CliRunner().invoke(cli, ["--db", str(project), "stats", "--json"])
    assert result.exit_code != 0
    assert isinstance(result.exception, ValueError)
    assert "NaN" not in result.stdout
