"""View → Statistics (F9): the report's tables and charts in the window, from the same
figures as `annotator stats --json`."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner
from progress_project import MATH_TITLES, curated_project, math_like_project, team_project
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtTest import QTest

from annotator.cli.main import cli
from annotator.progress.charts import person_colours


def test_f9_shows_the_figures_of_stats_json_with_every_chart_drawn(
    open_window, tmp_path, monkeypatch
) -> None:
    team = team_project(tmp_path)
    monkeypatch.setenv("ANNOTATOR_USER", "lead")
    window = open_window(team)
    QTest.keyClick(window.article, Qt.Key.Key_F9)
    [stats] = [w for w in window.side_windows if w.objectName() == "statisticsWindow"]
    printed = CliRunner().invoke(cli, ["--db", str(team), "stats", "--json"]).output
    assert json.loads(json.dumps(stats.figures)) == json.loads(printed)

    text = stats.view.toPlainText()
    for heading in ("Documents by status", "Spans by label", "Active time", "Agreement over time"):
        assert heading in text
    assert "Budget <script>alert(1)</script> & co" in text  # a title is text, never markup
    keys = set(stats.view.images)
    assert {"status", "labels", "done", "active", "rate"} <= keys
    assert any(k.startswith("agreement-") for k in keys)
    for key in keys:
        image = stats.view.loadResource(
            int(QTextDocument.ResourceType.ImageResource), QUrl(f"chart:{key}")
        )
        assert isinstance(image, QImage) and not image.isNull() and image.width() > 300

    stats.period.setCurrentIndex(stats.period.findData("week"))  # shown again, per week
    assert stats.figures["done"]["period"] == "week"
    assert "Documents done per week" in stats.view.toPlainText()

    target = tmp_path / "report.html"
    stats.save_as = lambda title, current, filters: str(target)
    assert stats.save_report() == str(target)
    assert "<svg" in target.read_text(encoding="utf-8")
    assert str(target) in stats.said.text()


def test_names_with_dollar_signs_are_drawn_in_the_window_too(open_window, tmp_path, monkeypatch):
    project = math_like_project(tmp_path / "math.db")
    monkeypatch.setenv("ANNOTATOR_USER", "lead")
    window = open_window(project)
    QTest.keyClick(window.article, Qt.Key.Key_F9)
    [stats] = [w for w in window.side_windows if w.objectName() == "statisticsWindow"]
    assert {"status", "labels", "done", "active", "rate", "agreement-0"} <= set(stats.view.images)
    assert MATH_TITLES[0] in stats.view.toPlainText()


def test_the_window_shows_the_curated_layer_apart_in_words_and_rounded(
    open_window, tmp_path, monkeypatch
) -> None:
    team = curated_project(tmp_path)
    monkeypatch.setenv("ANNOTATOR_USER", "lead")
    window = open_window(team)
    QTest.keyClick(window.article, Qt.Key.Key_F9)
    [stats] = [w for w in window.side_windows if w.objectName() == "statisticsWindow"]
    text = " ".join(stats.view.toPlainText().split())
    assert "in_progress" not in text and "in progress" in text
    assert "Settled by a curator: 3 of 4 documents (75%)." in text
    assert "Spans per hour (tagged one at a time)" in text
    assert "lead (curator)" in text and "16.4" in text
    assert not re.search(r"\d\.\d{4}", text)
    assert "595.0" not in text and "9 min 55 s" in text
    # The window's charts give each person the colour the report's give them.
    printed = json.loads(CliRunner().invoke(cli, ["--db", str(team), "stats", "--json"]).output)
    assert person_colours(stats.figures) == person_colours(printed)
