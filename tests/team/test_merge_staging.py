"""A file staged apart (past the files SQLite attaches at once) carries the texts of the
documents the team project lacks alone; a document the team project loses meanwhile refuses
the merge plainly, with nothing written."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.model import text_hash
from annotator.store.project import Store
from annotator.team import merge_source
from annotator.team.merge import MergeError, merge_projects

TEXTS = [f"Article {n}. The council voted. “We won,” said Ana." for n in range(3)]


def analyst(path, who: str, texts: list[str]):
    with Store(path, who) as store:
        with store.transaction():
            ids = [
                store.documents.insert(text=t, text_hash=text_hash(t), title=t[:9]) for t in texts
            ]
        for doc in ids:
            store.spans.add(doc, 12, 30, "claim")
    return path


@pytest.fixture
def staged_apart(monkeypatch):
    monkeypatch.setattr(merge_source.Staging, "DIRECT", 0)  # every file copied into the scratch


def test_a_staged_file_adds_the_documents_the_team_lacks_with_their_text(tmp_path, staged_apart):
    ana = analyst(tmp_path / "ana.db", "ana", TEXTS[:2])
    bo = analyst(tmp_path / "bo.db", "bo", TEXTS)
    with Store(tmp_path / "team.db", "lead") as team:
        merge_projects(team, [ana])
        report = merge_projects(team, [bo])
        assert (report.sources[0].documents_added, report.sources[0].documents_matched) == (1, 2)
        texts = [team.documents.text(d) for d in team.documents.ids()]
    assert sorted(texts) == sorted(TEXTS)


def test_a_document_the_team_project_loses_while_a_merge_begins_refuses_it(
    tmp_path, staged_apart, monkeypatch, dump
):
    ana = analyst(tmp_path / "ana.db", "ana", TEXTS)
    bo = analyst(tmp_path / "bo.db", "bo", TEXTS)
    team_path = tmp_path / "team.db"
    with Store(team_path, "lead") as team:
        merge_projects(team, [ana])
    stage = merge_source.Staging.stage
    before = []

    def stage_then_lose_one(self, copy):
        staged = stage(self, copy)
        other = sqlite3.connect(team_path)  # another program deletes a document meanwhile
        other.execute("PRAGMA foreign_keys = ON")
        other.execute("DELETE FROM documents WHERE id = (SELECT min(id) FROM documents)")
        other.commit()
        other.close()
        before.append(dump(team_path))
        return staged

    monkeypatch.setattr(merge_source.Staging, "stage", stage_then_lose_one)
    with Store(team_path, "lead") as team, pytest.raises(MergeError) as refusal:
        merge_projects(team, [bo])
    assert str(refusal.value) == (
        f"{bo}: 1 of its documents were deleted from the team project while the merge began; "
        "nothing was merged. Merge again."
    )
    with Store(team_path, "lead") as team:
        assert len(team.documents.ids()) == 2
    assert dump(team_path) == before[0]
