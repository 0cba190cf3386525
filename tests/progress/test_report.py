"""`annotator report`: one self-contained HTML page whose figures are those of `stats --json`."""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from progress_project import (
    MATH_ANALYSTS,
    MATH_LABELS,
    MATH_TITLES,
    TITLES,
    curated_project,
    math_like_project,
    team_project,
)

from annotator.cli.main import cli
from annotator.progress.charts import charts
from annotator.progress.report import write_report
from annotator.progress.statistics import figures
from annotator.store.project import Store


class Page(HTMLParser):
    """What the tests read of a page: the figures' JSON, every cell that names a figure, the
    tags and attributes used."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[tuple[list, str]] = []
        self.values: dict[tuple, object] = {}  # the figure a cell holds whole, by its key
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._open: list[tuple[list, list[str]]] = []
        self._script: dict[str, str | None] | None = None
        self._script_text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script, self._script_text = attributes, []
        if "data-key" in attributes:
            key = json.loads(attributes["data-key"] or "null")
            if "data-value" in attributes:
                self.values[tuple(key)] = json.loads(attributes["data-value"] or "null")
            self._open.append((key, []))
        elif self._open:
            self._open.append((None, []))

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None
        if self._open and tag in ("td", "span", "th"):
            key, text = self._open.pop()
            if key is not None:
                self.cells.append((key, "".join(text)))
            elif self._open:
                self._open[-1][1].extend(text)

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)
        if self._open:
            self._open[-1][1].append(data)

    def figures(self) -> dict:
        (data,) = [text for attrs, text in self.scripts if attrs.get("id") == "figures"]
        return json.loads(data)


def shown(value) -> str:
    """How the page shows a figure it shows as written."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return value if isinstance(value, str) else json.dumps(value)


# How the page shows a figure it rounds for people: a duration, a rate, an F1.
ROUNDED = re.compile(
    r"\d+(?:\.\d)? s|\d+ min(?: \d+ s)?|[\d,]+ h(?: \d\d min)?|[\d,]+\.\d|\d\.\d{3}"
)


def at(data, key):
    for part in key:
        data = data[part]
    return data


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    return team_project(tmp_path_factory.mktemp("team"))


@pytest.fixture(scope="module")
def page(team, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(cli, ["--db", str(team), "report", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote the report to {out}\n"
    return out


def stats_json(project: Path, *options: str) -> dict:
    result = CliRunner().invoke(cli, ["--db", str(project), "stats", "--json", *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_figures_in_the_page_are_those_of_stats_json(team, page):
    assert Page(page.read_text(encoding="utf-8")).figures() == stats_json(team)


def test_the_options_reach_the_report(team, tmp_path):
    out = tmp_path / "weekly.html"
    result = CliRunner().invoke(
        cli,
        ["--db", str(team), "report", "--output", str(out), "--period", "week",
         "--break-after", "50"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    embedded = Page(out.read_text(encoding="utf-8")).figures()
    assert embedded == stats_json(team, "--period", "week", "--break-after", "50")
    assert embedded["done"]["period"] == "week"


def test_every_table_cell_shows_the_figure_it_names(team, page):
    parsed = Page(page.read_text(encoding="utf-8"))
    data = stats_json(team)
    assert len(parsed.cells) > 60
    for key, text in parsed.cells:
        if tuple(key) in parsed.values:  # shown rounded, and held whole
            assert parsed.values[tuple(key)] == at(data, key), key
            assert ROUNDED.fullmatch(text), (key, text)
        else:
            assert text == shown(at(data, key)), key
    keys = {tuple(key) for key, _ in parsed.cells}
    # The figures the page is for are all in its tables.
    for label in data["spans_by_label"]:
        assert ("spans_by_label", label) in keys
    for who in data["active_time"]["by_analyst"]:
        assert ("active_time", "by_analyst", who) in keys
        assert ("spans_per_hour", who, "spans_per_hour") in keys
        assert ("spans_per_hour", who, "in_bulk") in keys
    for day in data["done"]["overall"]:
        assert ("done", "overall", day) in keys
    for who, days in data["done"]["by_analyst"].items():
        for day in days:
            assert ("done", "by_analyst", who, day) in keys
    for i, pair in enumerate(data["agreement_over_time"]):
        for j, _ in enumerate(pair["points"]):
            assert ("agreement_over_time", i, "points", j, "all", "exact_f1") in keys
    assert ("active_time", "median_per_document") in keys
    assert ("active_time", "slowest", 0, "title") in keys


def test_the_page_fetches_nothing_and_runs_nothing(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"https?:", text)
    assert not re.search(r"""(?:src|href)\s*=\s*(?!["']?#)""", text, re.I)
    assert "@import" not in text and "@font-face" not in text
    for found in re.findall(r"url\(([^)]*)\)", text):
        assert found.startswith("#"), found  # a chart's own clip paths only
    parsed = Page(text)
    assert not [t for t, _ in parsed.tags if t in ("link", "img", "iframe", "object", "embed")]
    assert [attrs.get("type") for attrs, _ in parsed.scripts] == ["application/json"]
    # Text in charts is drawn as outlines: no font is needed to show them.
    assert "<svg" in text and "<text" not in text
    policy = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv")]
    assert policy and "default-src 'none'" in (policy[0]["content"] or "")


def test_titles_are_shown_as_text_never_as_markup(page):
    text = page.read_text(encoding="utf-8")
    assert "<script>alert" not in text and "<b>" not in text
    assert "Budget &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in text
    parsed = Page(text)
    assert parsed.figures()["active_time"]["slowest"][1]["title"] == TITLES[1]


def test_each_chart_is_an_inline_svg_with_ids_of_its_own(page):
    text = page.read_text(encoding="utf-8")
    charts = re.findall(r'<figure id="chart-([\w-]+)">', text)
    assert charts == ["status", "labels", "done", "active", "rate", "agreement-0"]
    assert text.count("<svg") == len(charts)
    ids = re.findall(r'\bid="([^"]+)"', text)
    assert len(ids) == len(set(ids))
    for ref in re.findall(r'(?:url\(#|href="#)([^)"]+)', text):
        assert ref in ids


def test_a_project_with_nothing_done_gets_a_page_too(tmp_path):
    with Store(tmp_path / "empty.db", "ana") as store:
        path = write_report(store, tmp_path / "empty.html")
        parsed = Page(path.read_text(encoding="utf-8"))
        assert parsed.figures() == json.loads(json.dumps(figures(store)))
    assert "No document is done yet." in path.read_text(encoding="utf-8")
    assert "<svg" not in path.read_text(encoding="utf-8")


def test_a_report_that_cannot_be_written_says_so_and_leaves_nothing(team, tmp_path):
    out = tmp_path / "missing" / "report.html"
    result = CliRunner().invoke(cli, ["--db", str(team), "report", "-o", str(out)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {out}: the report could not be written")
    assert "Traceback" not in result.output
    assert not out.parent.exists()


def test_a_report_replaces_the_earlier_one_whole(team, tmp_path):
    out = tmp_path / "report.html"
    out.write_text("old")
    with Store(team, "lead") as store:
        write_report(store, out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_everyday_commands_do_not_load_matplotlib(team, tmp_path):
    """Nor the window's Qt; and help, which every command's start pays for, not numpy either
    (stats and export count with it)."""
    code = (
        "import sys, json\n"
        "from annotator.cli.main import cli\n"
        "loaded = []\n"
        "for args in (['--help'], ['--db', sys.argv[1], 'stats'], ['--db', sys.argv[1],"
        " 'export', '-o', sys.argv[2]]):\n"
        "    try:\n"
        "        cli(args, standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "    loaded.append(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'matplotlib', 'numpy', 'PySide6'}))\n"
        "print(json.dumps(loaded), file=sys.stderr)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(team), str(tmp_path / "out.jsonl")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stderr.strip().splitlines()[-1]) == [[], ["numpy"], ["numpy"]]


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_a_headless_browser_shows_the_charts_and_reports_no_errors(page):
    profile = tempfile.mkdtemp(prefix="annotator-chromium-")
    try:
        run = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
             "--dump-dom", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": profile},
        )  # fmt: skip
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert run.returncode == 0, run.stderr[-2000:]
    dom = run.stdout
    assert dom.count("<svg") == 6
    assert 'id="chart-agreement-0"' in dom and "<path" in dom
    assert 'id="table-active-time"' in dom
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line or "Refused" in line]
    assert console == []


def chart_texts(figure) -> list[str]:
    """The text a chart shows, as an SVG with its text kept as text reads it."""
    import xml.etree.ElementTree as ET

    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg")
    root = ET.fromstring(buffer.getvalue())
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_names_labels_and_titles_with_dollar_signs_are_drawn_as_written(tmp_path):
    project = math_like_project(tmp_path / "math.db")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["--db", str(project), "report", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    drawn = re.findall(r'<figure id="chart-([\w-]+)">', text)
    assert drawn == ["status", "labels", "done", "active", "rate", "agreement-0"]

    with Store(project, "lead") as store:
        drawn_charts = {chart.key: chart.figure for chart in charts(figures(store))}
    expected = {
        "status": MATH_ANALYSTS,
        "labels": MATH_ANALYSTS + MATH_LABELS,
        "done": MATH_ANALYSTS,
        "active": MATH_ANALYSTS + MATH_TITLES,
        "rate": MATH_ANALYSTS,
        "agreement-0": MATH_LABELS,
    }
    for key, names in expected.items():
        shown_text = chart_texts(drawn_charts[key])
        for name in names:
            assert name in shown_text, (key, name, shown_text)
        # As the window draws it: no rc settings of the report's own.
        drawn_charts[key].savefig(io.BytesIO(), format="png")


def test_a_clock_decades_out_costs_nothing_for_the_years_between(tmp_path):
    # bo's computer thought it was 1970: his work is dated 56 years before ana's.
    project = team_project(tmp_path, bo_started=datetime(1970, 1, 1, 9, tzinfo=timezone.utc))
    for period, gap in (("day", "20,784 days"), ("week", "2,969 weeks")):
        out = tmp_path / f"report-{period}.html"
        result = CliRunner().invoke(
            cli, ["--db", str(project), "report", "-o", str(out), "--period", period]
        )
        assert result.exit_code == 0, result.output
        assert out.stat().st_size < 300_000

        data = stats_json(project, "--period", period)
        assert len(json.dumps(data)) < 20_000
        assert len(data["done"]["overall"]) + len(data["done"]["by_analyst"]["bo"]) <= 5
        printed = CliRunner().invoke(cli, ["--db", str(project), "stats", "--period", period])
        assert printed.exit_code == 0 and len(printed.output) < 5_000

        # The chart draws the periods with work in them, and the years between as one gap.
        with Store(project, "lead") as store:
            (done,) = [c.figure for c in charts(figures(store, period=period)) if c.key == "done"]
        assert gap in chart_texts(done)
        assert len(done.axes[0].patches) <= 3 * 6  # three series, the gap's band


# -- a day of curation, as the report shows it --------------------------------------------------


@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    return curated_project(tmp_path_factory.mktemp("curated"))


def visible(page: str) -> str:
    """The text a reader sees: no data, no chart, no markup."""
    page = re.sub(r"<script\b.*?</script>|<svg\b.*?</svg>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def table(page: str, name: str) -> str:
    found = re.search(rf'<table id="table-{name}">.*?</table>', page, re.S)
    assert found, name
    return visible(found.group(0))


def test_the_report_shows_the_curated_layer_apart_and_statuses_as_words(curated, tmp_path):
    out = tmp_path / "report.html"
    with Store(curated, "lead") as store:
        write_report(store, out)
    page = out.read_text(encoding="utf-8")
    text = " ".join(visible(page).split())
    assert "in_progress" not in text and "in progress" in table(page, "documents-by-status")
    assert "Settled by a curator: 3 of 4 documents (75%)." in text
    assert " ".join(table(page, "curated-by-curator").split()) == (
        "curator documents settled curated spans lead 3 9"
    )
    for name in ("documents-by-status-by-analyst", "spans-by-label-by-analyst", "done"):
        assert "lead" not in table(page, name), name
    assert "lead (curator) 3 min 40 s" in " ".join(table(page, "active-time").split())
    rates = " ".join(table(page, "spans-per-hour").split())
    assert "ana 6 0 3 4 min 90.0" in rates
    assert "lead (curator) 0 1 8 3 min 40 s 16.4" in rates
    assert "Spans per hour (tagged one at a time)" in text
    # Rounded to what they mean: no figure with four places, no seconds with decimals.
    assert not re.search(r"\d\.\d{4}", text)
    assert "595.0" not in text and "a gap longer than 5 min is a break" in text
    assert re.search(r"Made \d{4}-\d\d-\d\d \d\d:\d\d UTC\.", text)


def chart_colours(figure, names) -> dict[str, set[str]]:
    """The colour each of ``names`` is drawn in, in one chart: in its legend, or under its
    bar."""
    from matplotlib.colors import to_hex

    out: dict[str, set[str]] = {}
    for axes in figure.axes:
        ticks = [t.get_text() for t in axes.get_xticklabels()]
        for bars in axes.containers:
            label = bars.get_label()
            if label in names:
                out.setdefault(label, set()).update(to_hex(p.get_facecolor()) for p in bars)
            elif ticks and set(ticks) <= set(names) and len(ticks) == len(bars):
                for name, patch in zip(ticks, bars, strict=True):
                    out.setdefault(name, set()).add(to_hex(patch.get_facecolor()))
    return out


def test_each_person_keeps_one_colour_in_every_chart(curated):
    with Store(curated, "lead") as store:
        drawn = charts(figures(store))
    names = ["ana", "bo", "lead (curator)"]
    seen: dict[str, set[str]] = {}
    for chart in drawn:
        for name, colours in chart_colours(chart.figure, names).items():
            assert len(colours) == 1, (chart.key, name, colours)
            seen.setdefault(name, set()).update(colours)
    assert {name: len(colours) for name, colours in seen.items()} == dict.fromkeys(names, 1)
    assert len({next(iter(c)) for c in seen.values()}) == 3  # and no two share one
    # Everyone who appears in a chart of people appears in each of them in that colour.
    by_key = {chart.key: chart_colours(chart.figure, names) for chart in drawn}
    assert set(by_key["active"]) == set(by_key["rate"]) == set(names)
    assert set(by_key["status"]) == set(by_key["done"]) == {"ana", "bo"}
