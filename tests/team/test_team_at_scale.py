"""A team's work at scale: merging, curating, measuring agreement and figures run the same few
statements whatever the number of documents; a merge copies what it only copies in SQL, and
takes any number of files at once."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from annotator.model import text_hash
from annotator.store.project import Store
from annotator.team.curation import curate_agreed
from annotator.team.merge import merge_projects


def project(path: Path, who: str, documents: int, *, also: str | None = None) -> Path:
    """An analyst's project of ``documents`` articles, each with two spans and done; with
    ``also``, the analyst also set a status for that colleague on the first."""
    with Store(path, who) as store:
        with store.transaction():
            ids = [
                store.documents.insert(
                    text=f"Article {n}. The council voted. “We won,” said Ana.",
                    text_hash=text_hash(f"Article {n}. The council voted. “We won,” said Ana."),
                    title=f"Article {n}",
                )
                for n in range(documents)
            ]
        for doc in ids:
            assert doc is not None
            store.spans.add(doc, 12, 30, "claim")
            store.spans.add(doc, 31, 40, "quote")
            store.statuses.set(doc, "done")
        if also:
            store.statuses.set(ids[0], "in_progress", annotator=also)
    return path


class Counting:
    """The team project's connection, counting the statements run through it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.statements = 0

    def execute(self, *args: Any) -> sqlite3.Cursor:
        self.statements += 1
        return self._conn.execute(*args)

    def executemany(self, *args: Any) -> sqlite3.Cursor:
        self.statements += 1
        return self._conn.executemany(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def counting(store: Store) -> Counting:
    """Count the statements every part of ``store`` runs from now on."""
    counter = Counting(store.conn)
    store.conn = store.connection.conn = counter  # type: ignore[assignment]
    return counter


def team_of(folder: Path, documents: int) -> tuple[Path, int]:
    """Three analysts' projects of ``documents`` articles merged into one; the statements
    the merge ran."""
    folder.mkdir()
    sources = [project(folder / f"{who}.db", who, documents) for who in ("ana", "bo", "cy")]
    with Store(folder / "team.db", "lead") as team:
        counter = counting(team)
        report = merge_projects(team, sources)
    assert sum(s.spans_added for s in report.sources) == 3 * 2 * documents
    return folder / "team.db", counter.statements


def test_a_merge_runs_as_many_statements_for_many_documents_as_for_few(tmp_path):
    assert team_of(tmp_path / "few", 4)[1] == team_of(tmp_path / "many", 40)[1]


def test_curation_runs_as_many_statements_for_many_documents_as_for_few(tmp_path):
    counts = []
    for documents in (4, 40):
        with Store(team_of(tmp_path / str(documents), documents)[0], "lead") as team:
            counter = counting(team)
            report = curate_agreed(team)
            assert (report.documents, report.spans) == (documents, 2 * documents)
            counts.append(counter.statements)
    assert counts[0] == counts[1]


def test_more_files_than_sqlite_attaches_at_once_are_merged_whole(tmp_path):
    names = [f"analyst{n:02d}" for n in range(11)]
    sources = [project(tmp_path / f"{who}.db", who, 3) for who in names]
    with Store(tmp_path / "team.db", "lead") as team:
        report = merge_projects(team, sources)
        assert [s.spans_added for s in report.sources] == [6] * 11
        assert team.statuses.analysts() == names
        rows = team.conn.execute(
            "SELECT annotator, count(*) FROM spans GROUP BY annotator ORDER BY annotator"
        ).fetchall()
        assert rows == [(who, 6) for who in names]
        for doc in (1, 2, 3):
            text = team.documents.text(doc)
            spans = team.spans.in_document(doc)
            assert len(spans) == 22 and all(s.text == text[s.start : s.end] for s in spans)
        merged = team.conn.execute(
            "SELECT count(*) FROM changes WHERE json_extract(details, '$.merged_from') IS NOT NULL"
        ).fetchone()[0]
        assert merged == sum(s.history_added for s in report.sources) > 11 * 6
        attached = [r[1] for r in team.conn.execute("PRAGMA database_list")]
        assert attached == ["main", "temp"]
        assert team.conn.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()[0] == 0


def test_the_history_copied_names_the_renamed_analyst_and_the_team_projects_spans(tmp_path):
    source = project(tmp_path / "ana.db", "ana", 2, also="bo")
    with Store(source, "ana") as store:
        gone = store.spans.add(2, 0, 7, "claim")
        store.spans.delete(gone.id)  # in the history, no longer in the file
        with store.transaction():
            store.conn.execute(
                "INSERT INTO changes (at, annotator, action, details)"
                " VALUES ('2026-01-01T00:00:00.000Z', 'ana', 'note', '[1, 2]')"
            )
    with Store(tmp_path / "team.db", "lead") as team:
        merge_projects(team, [source], {"bo": "bea"})
        history = {(c["action"], c["span_id"]): c for c in team.history()}
        project_id = history[("set_status", None)]["details"]["merged_from"]
        of = [c["details"].get("of") for c in team.history() if c["action"] == "set_status"]
        assert "bea" in of and "bo" not in of
        added = [c for c in team.history() if c["action"] == "add_span"]
        spans = {s.id for d in (1, 2) for s in team.spans.in_document(d)}
        assert [c["span_id"] for c in added[:4]] == sorted(spans)
        deleted = next(c for c in team.history() if c["action"] == "delete_span")
        assert deleted["span_id"] is None
        assert deleted["details"]["source_span"] == gone.id
        assert deleted["details"]["merged_from"] == project_id
        assert history[("note", None)]["details"] == {"merged_from": project_id}
        assert json.loads(
            team.conn.execute("SELECT details FROM changes WHERE action = 'note'").fetchone()[0]
        ) == {"merged_from": project_id}


def test_agreement_and_figures_run_as_many_statements_for_many_documents_as_for_few(tmp_path):
    from annotator.progress.statistics import figures
    from annotator.team.project_agreement import agreement

    counts = []
    for documents in (4, 40):
        with Store(team_of(tmp_path / str(documents), documents)[0], "lead") as team:
            counter = counting(team)
            report = agreement(team)
            assert [p.to_json()["documents"] for p in report.pairs] == [documents] * 3
            shown = figures(team)
            assert shown["documents"] == documents
            assert [len(p["points"]) for p in shown["agreement_over_time"]] == [1, 1, 1]
            counts.append(counter.statements)
    assert counts[0] == counts[1]


def test_a_span_gone_from_a_file_takes_its_relations_in_the_team_project(tmp_path):
    source = project(tmp_path / "ana.db", "ana", 1)
    with Store(source, "ana") as store:
        text = store.documents.text(1)
        quote = store.spans.add(1, text.index("“"), text.index(",”") + 2, "quote")
        speaker = store.spans.add(1, text.index("Ana"), text.index("Ana") + 3, "speaker")
        store.relations.add(quote.id, speaker.id, "said_by")
    with Store(tmp_path / "team.db", "lead") as team:
        merge_projects(team, [source])
        assert [r.label for r in team.relations.in_document(1)] == ["said_by"]
    with Store(source, "ana") as store:
        store.spans.delete(quote.id)
    with Store(tmp_path / "team.db", "lead") as team:
        report = merge_projects(team, [source])
        assert report.sources[0].relations_removed == 1
        assert team.relations.in_document(1) == []
        assert team.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert team.conn.execute("PRAGMA foreign_key_check").fetchall() == []
