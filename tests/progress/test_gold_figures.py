"""The statistics, `stats` and the report follow each analyst against gold over time: the
figures are those `agreement --against gold` gives, per period, and the report draws them."""

from __future__ import annotations

import html
import json
import re

import pytest
from click.testing import CliRunner
from gold_project import curated_by_hash, gold_lead, work_packet

from annotator.cli.main import cli
from annotator.progress.charts import charts
from annotator.progress.report import render
from annotator.progress.statistics import figures, text_lines
from annotator.store.project import Store
from annotator.team.gold_scores import score
from annotator.team.merge import merge_projects
from annotator.team.packets import assign_with_packets


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """Two analysts who worked packets with four gold documents each over several weeks."""
    folder = tmp_path_factory.mktemp("gold")
    lead = gold_lead(folder / "lead.db", documents=18, gold=6, seed=4)
    _, packets = assign_with_packets(lead, ["ana", "bo"], folder / "out", seed=2, gold=4)
    reference = curated_by_hash(lead)
    for packet in packets:
        work_packet(packet.path, packet.analyst, reference, seed=5, every=2)
    merge_projects(lead, [p.path for p in packets])
    lead.close()
    return folder / "lead.db"


def test_the_gold_section_is_each_analysts_scores_per_period_rounded(project):
    with Store(project, "lead") as store:
        got = figures(store, period="week")["gold"]
        exact = score(store, by="week").to_json()
    assert (got["documents"], got["period"]) == (6, "week")
    assert [a["analyst"] for a in got["analysts"]] == ["ana", "bo"]
    for row, whole in zip(got["analysts"], exact["analysts"], strict=True):
        assert (row["documents"], row["given"]) == (4, 4)
        assert row["all"]["exact_f1"] == round(whole["all"]["exact_f1"], 4)
        assert row["all"]["exact_matches"] == whole["all"]["exact_matches"]
        assert [p["period"] for p in row["points"]] == [p["period"] for p in whole["over_time"]]
        assert len(row["points"]) >= 2
        for point, period in zip(row["points"], whole["over_time"], strict=True):
            assert point["documents"] == period["documents"]
            for key, value in period["all"].items():
                assert point["all"][key] == (round(value, 4) if isinstance(value, float) else value)


def test_stats_prints_the_gold_scores_and_gives_them_as_json(project):
    result = CliRunner().invoke(cli, ["--db", str(project), "stats", "--period", "week"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = lines.index(
        "Against gold (6 gold documents), exact F1 of each analyst's gold documents done, "
        "overall and per week:"
    )
    assert lines[start + 1].split()[0] == "ana" and lines[start + 1].endswith("(4 documents)")
    assert re.fullmatch(r"    \d{4}-W\d\d\s+(\d\.\d{3}|–)\s+\(\d documents?\)", lines[start + 2])
    as_json = CliRunner().invoke(cli, ["--db", str(project), "stats", "--json"])
    with Store(project, "lead") as store:
        assert json.loads(as_json.output)["gold"] == figures(store)["gold"]


def test_the_report_has_a_table_and_a_chart_of_each_analyst_against_gold(project):
    with Store(project, "lead") as store:
        data = figures(store, period="week")
    assert "gold" in {chart.key for chart in charts(data)}
    page = render(data, project="lead.db", made_at="2026-04-01T00:00:00Z")
    assert '<figure id="chart-gold">' in page and '<table id="table-gold">' in page
    cells = re.findall(
        r'<td class="n" data-key="([^"]+)"(?: data-value="[^"]*")?>([^<]*)</td>', page
    )
    gold_cells = [(json.loads(html.unescape(k)), text) for k, text in cells if "gold" in k]
    assert len(gold_cells) > 10
    for key, text in gold_cells:
        value = data
        for part in key:
            value = value[part]
        shown = (
            "–" if value is None else f"{value:.3f}" if isinstance(value, float) else f"{value:,}"
        )
        assert text == shown, key


def test_a_project_without_gold_shows_no_gold_section(tmp_path):
    with gold_lead(tmp_path / "lead.db", documents=6, gold=0) as store:
        data = figures(store)
        assert data["gold"] == {"documents": 0, "period": "day", "analysts": []}
        assert not [line for line in text_lines(data) if "gold" in line]
        assert "Against gold" not in render(data, project="p", made_at="now", with_data=False)
        assert "gold" not in {chart.key for chart in charts(data)}
