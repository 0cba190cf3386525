"""The window's Accept all agreed puts into the curated layer exactly what `annotator curate
--agreed` does: the agreed spans and the agreed relations between them; Ctrl+Z takes both out."""

from __future__ import annotations

import shutil

import pytest

from annotator.model import text_hash
from annotator.store.project import Store
from annotator.team.curation import curate_agreed
from annotator.team.merge import merge_projects

TEXT = "\u201cWe are on budget,\u201d said Ana Ruiz. Costs rose anyway, critics said."
QUOTE = (0, TEXT.index(",\u201d") + 2)
SPEAKER = (TEXT.index("Ana"), TEXT.index(". Costs"))
CLAIM = (TEXT.index("Costs"), TEXT.index(", critics"))


def analyst(path, who, extra_claim: bool):
    with Store(path, who) as store:
        with store.transaction():
            doc = store.documents.insert(text=TEXT, text_hash=text_hash(TEXT), title="Budget")
        quote = store.spans.add(doc, *QUOTE, "quote")
        speaker = store.spans.add(doc, *SPEAKER, "speaker")
        store.relations.add(quote.id, speaker.id, "said_by")
        if extra_claim:
            store.spans.add(doc, *CLAIM, "claim")
        store.statuses.set(doc, "done")
    return path


@pytest.fixture
def team(tmp_path):
    sources = [analyst(tmp_path / "ana.db", "ana", True), analyst(tmp_path / "bo.db", "bo", False)]
    path = tmp_path / "team.db"
    with Store(path, "lead") as store:
        merge_projects(store, sources)
    return path


def curated_layer(path):
    with Store(path) as store:
        spans = {
            s.id: (s.start, s.end, s.label)
            for s in store.spans.in_document(1)
            if s.origin == "curated"
        }
        links = sorted(
            (spans[r.head], spans[r.child], r.label)
            for r in store.relations.in_document(1)
            if r.origin == "curated"
        )
        return sorted(spans.values()), links


def test_the_window_and_the_command_line_give_the_same_curated_layer(
    team, tmp_path, open_window, monkeypatch
):
    by_command = tmp_path / "by-command.db"
    shutil.copy(team, by_command)
    with Store(by_command, "lead") as store:
        curate_agreed(store)
    monkeypatch.setenv("ANNOTATOR_USER", "lead")
    window = open_window(team)
    window.action("review.mode").trigger()
    window.open_document(1)
    window.action("review.accept_agreed").trigger()
    spans, links = curated_layer(team)
    assert (spans, links) == curated_layer(by_command)
    assert links == [(QUOTE + ("quote",), SPEAKER + ("speaker",), "said_by")]
    assert len(window.document_model.relations) == 1  # shown at once
    assert "and 1 relation" in window.statusBar().currentMessage()
    window.action("edit.undo").trigger()
    assert curated_layer(team) == ([], [])
    window.action("edit.redo").trigger()
    assert curated_layer(team) == (spans, links)


def test_agreement_names_the_analysts_and_shows_relations_beside_spans(team):
    from click.testing import CliRunner

    from annotator.cli.main import cli

    out = CliRunner().invoke(cli, ["--db", str(team), "agreement"]).output
    header = next(line for line in out.splitlines() if line.strip().startswith("label"))
    assert "ana/bo" in header and "first" not in out
    said_by = next(line for line in out.splitlines() if line.strip().startswith("said_by"))
    assert said_by.split()[1:] == ["1/1", "1.000"]
