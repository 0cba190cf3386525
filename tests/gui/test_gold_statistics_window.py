"""View → Statistics (F9) shows each analyst against gold, with its chart, as the report does."""

from __future__ import annotations

from gold_project import curated_by_hash, gold_lead, work_packet
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.team.merge import merge_projects
from annotator.team.packets import assign_with_packets


def test_f9_shows_each_analyst_against_gold_with_its_chart(open_window, tmp_path, monkeypatch):
    lead = gold_lead(tmp_path / "lead.db", documents=12, gold=4, seed=2)
    _, packets = assign_with_packets(lead, ["ana", "bo"], tmp_path / "out", seed=1, gold=2)
    for packet in packets:
        work_packet(packet.path, packet.analyst, curated_by_hash(lead), seed=1, every=3)
    merge_projects(lead, [p.path for p in packets])
    lead.close()
    monkeypatch.setenv("ANNOTATOR_USER", "lead")
    window = open_window(tmp_path / "lead.db")
    QTest.keyClick(window.article, Qt.Key.Key_F9)
    [stats] = [w for w in window.side_windows if w.objectName() == "statisticsWindow"]
    text = " ".join(stats.view.toPlainText().split())
    assert "Against gold" in text and "ana per day" in text and "bo per day" in text
    assert "gold" in stats.view.images
    assert [a["analyst"] for a in stats.figures["gold"]["analysts"]] == ["ana", "bo"]
