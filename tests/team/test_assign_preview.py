"""What the window asks of the core before and between runs: a preview of the shares that
writes nothing, the last run's settings and the folder of the last packets."""

from __future__ import annotations

import pytest
from packet_project import add_texts, lead_project, uneven_texts

from annotator.team.assign import AssignError, RunSettings, assign, last_run, preview
from annotator.team.packets import assign_with_packets, last_folder


@pytest.fixture
def lead(tmp_path):
    store = lead_project(tmp_path / "lead.db", uneven_texts(60))
    yield store
    store.close()


def shares(report) -> list[tuple]:
    return [
        (s.analyst, s.documents, s.characters, s.total_documents, s.total_characters)
        for s in report.shares
    ]


@pytest.mark.parametrize("settings", [{"overlap": 2}, {"overlap": 2, "sample": 0.25}, {}])
def test_a_preview_gives_the_shares_assign_then_gives_and_writes_nothing(lead, dump, settings):
    before = dump(lead.path)
    seen = preview(lead, ["ana", "bo", "cy"], seed=11, **settings)
    assert dump(lead.path) == before
    assert seen.run is None and seen.assigned == 60
    done = assign(lead, ["ana", "bo", "cy"], seed=11, **settings)
    assert shares(seen) == shares(done) and seen.sampled == done.sampled


def test_a_preview_after_a_run_counts_only_the_new_documents(lead):
    assign(lead, ["ana", "bo"], overlap=2, seed=1)
    assert preview(lead, ["ana", "bo"], overlap=2, seed=2).assigned == 0
    add_texts(lead, uneven_texts(5, seed=9))
    seen = preview(lead, ["ana", "bo", "cy"], seed=2)
    assert (seen.assigned, seen.already) == (5, 60)
    assert shares(seen) == shares(assign(lead, ["ana", "bo", "cy"], seed=2))


@pytest.mark.parametrize(
    ("analysts", "settings", "says"),
    [
        ([], {}, "name the analysts"),
        (["ana", "ana"], {}, "named twice"),
        (["ana"], {"overlap": 2}, "--overlap 2 needs at least 2 analysts; 1 was named"),
        (["ana", "bo"], {"sample": 0.5}, "give --overlap 2 or more with it"),
    ],
)
def test_a_preview_is_refused_as_assign_is(lead, dump, analysts, settings, says):
    before = dump(lead.path)
    with pytest.raises(AssignError, match=says):
        preview(lead, analysts, seed=1, **settings)
    assert dump(lead.path) == before


def test_the_last_runs_settings_and_packets_folder_are_read_back(lead, tmp_path):
    assert last_run(lead) is None and last_folder(lead) is None
    assign(lead, ["ana", "bo"], seed=5)
    add_texts(lead, uneven_texts(6, seed=3))
    assign_with_packets(
        lead, ["ana", "bo", "cy"], tmp_path / "out", overlap=2, sample=0.5, seed=6, order="shuffled"
    )
    assert last_run(lead) == RunSettings(["ana", "bo", "cy"], 2, 0.5, "shuffled", 6)
    assert last_folder(lead) == tmp_path / "out"
    assign(lead, ["dee"], seed=7)  # nothing left to give out: no run, nothing changes
    assert last_run(lead) == RunSettings(["ana", "bo", "cy"], 2, 0.5, "shuffled", 6)
