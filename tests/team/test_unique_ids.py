"""Span and relation ids are unique across project files: each project numbers its own from a
block of its own, a lead gives each of its packets a block below its own, and a merge keeps a
file's ids where they are free, renumbering only those that meet the team project's."""

from __future__ import annotations

import json
import sqlite3

import pytest
from packet_project import lead_project, uneven_texts

from annotator.formats.exporting import export
from annotator.store.project import Store
from annotator.team.assign import assign
from annotator.team.merge import merge_projects
from annotator.team.packets import write_packet

BLOCK = 1 << 32
JSON_EXACT = 1 << 53


def block_of(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return json.loads(
            conn.execute("SELECT value FROM project WHERE key = 'id_block'").fetchone()[0]
        )
    finally:
        conn.close()


def ids(path, table: str) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute(f"SELECT id FROM {table} ORDER BY id")]
    finally:
        conn.close()


def test_a_new_project_numbers_its_spans_and_relations_in_a_block_of_its_own(tmp_path, add_doc):
    firsts = []
    for name in ("a.db", "b.db"):
        with Store(tmp_path / name, "ana") as store:
            doc = add_doc("Ministers said the plan would work.", target=store)
            quote = store.spans.add(doc, 0, 9, "quote")
            claim = store.spans.add(doc, 10, 34, "speaker")
            relation = store.relations.add(quote.id, claim.id, "said_by")
            block = store.get_setting("id_block")
            assert quote.id == (block << 32) + 1 and claim.id == quote.id + 1
            assert relation.id == (block << 32) + 1
            assert claim.id < JSON_EXACT
            firsts.append(quote.id)
    assert firsts[0] != firsts[1]


@pytest.fixture
def lead(tmp_path):
    store = lead_project(tmp_path / "lead.db", uneven_texts(12))
    assign(store, ["ana", "bo"], overlap=2, seed=5)
    yield store
    store.close()


def work(path, analyst: str) -> None:
    """Two spans and a relation on each of the first three documents of a packet."""
    with Store(path, analyst) as packet:
        for doc in packet.documents.ids()[:3]:
            claim = packet.spans.add(doc, 0, 7, "speaker")
            quote = packet.spans.add(doc, 9, 11, "quote")
            packet.relations.add(quote.id, claim.id, "said_by")


def test_packets_of_one_lead_have_blocks_of_their_own_below_the_leads(lead, tmp_path):
    reports = [write_packet(lead, who, tmp_path / f"{who}.db") for who in ("ana", "bo")]
    blocks = [block_of(report.path) for report in reports]
    recorded = dict(lead.conn.execute("SELECT id, id_block FROM packets"))
    assert blocks == [recorded[report.packet_id] for report in reports]
    assert len(set(blocks)) == 2 and all(0 < b < lead.get_setting("id_block") for b in blocks)
    for report, block in zip(reports, blocks, strict=True):
        work(report.path, report.analyst)
        assert all(block * BLOCK < i < (block + 1) * BLOCK for i in ids(report.path, "spans"))


def test_a_merge_keeps_a_packets_span_and_relation_ids_and_the_lead_goes_on_in_its_own(
    lead, tmp_path
):
    reports = [write_packet(lead, who, tmp_path / f"{who}.db") for who in ("ana", "bo")]
    for report in reports:
        work(report.path, report.analyst)
    merge_projects(lead, [r.path for r in reports])
    for report in reports:
        theirs = set(ids(report.path, "spans"))
        assert theirs and theirs <= set(ids(lead.path, "spans"))
        assert set(ids(report.path, "relations")) <= set(ids(lead.path, "relations"))
    heads = lead.conn.execute(
        "SELECT r.head, s.id FROM relations r JOIN spans s ON s.id = r.head"
    ).fetchall()
    assert len(heads) == 6  # every relation still joins the spans it joined in its packet
    own = lead.spans.add(lead.documents.ids()[0], 0, 3, "claim")
    assert own.id >> 32 == lead.get_setting("id_block")


def test_ids_that_meet_the_team_projects_are_renumbered_and_nothing_is_lost(tmp_path, add_doc):
    paths = [tmp_path / "ana.db", tmp_path / "bo.db"]
    for path, who in zip(paths, ("ana", "bo"), strict=True):
        with Store(path, who) as store:
            doc = add_doc("Ministers said the plan would work.", target=store)
            store.conn.execute(  # both in one block: their ids meet
                "UPDATE sqlite_sequence SET seq = ? WHERE name IN ('spans', 'relations')",
                (5 * BLOCK,),
            )
            quote = store.spans.add(doc, 0, 9, "quote")
            claim = store.spans.add(doc, 10, 34, "speaker")
            store.relations.add(quote.id, claim.id, "said_by")
    with Store(tmp_path / "team.db", "lead") as team:
        merge_projects(team, paths)
        rows = team.conn.execute(
            "SELECT s.id, s.annotator, s.start FROM spans s ORDER BY s.annotator, s.start"
        ).fetchall()
        assert [(who, start) for _, who, start in rows] == [
            ("ana", 0), ("ana", 10), ("bo", 0), ("bo", 10)
        ]  # fmt: skip
        assert [i for i, who, _ in rows if who == "ana"] == [5 * BLOCK + 1, 5 * BLOCK + 2]
        renumbered = [i for i, who, _ in rows if who == "bo"]
        assert all(i >> 32 == team.get_setting("id_block") for i in renumbered)
        ends = team.conn.execute(
            "SELECT h.annotator, h.start, c.start FROM relations r JOIN spans h ON h.id = r.head"
            " JOIN spans c ON c.id = r.child ORDER BY h.annotator"
        ).fetchall()
        assert ends == [("ana", 0, 10), ("bo", 0, 10)]


def test_exports_carry_the_large_ids_exactly(tmp_path, add_doc):
    with Store(tmp_path / "p.db", "ana") as store:
        doc = add_doc("Ministers said the plan would work.", target=store)
        quote = store.spans.add(doc, 0, 9, "quote")
        claim = store.spans.add(doc, 10, 34, "speaker")
        relation = store.relations.add(quote.id, claim.id, "said_by")
        assert BLOCK < quote.id < claim.id < JSON_EXACT
        store.statuses.set(doc, "done")
        export(store, "doccano", tmp_path / "d.jsonl")
        export(store, "label-studio", tmp_path / "ls.json")
        export(store, "brat", tmp_path / "brat")
    (line,) = (tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert [e["id"] for e in record["entities"]] == [quote.id, claim.id]
    assert record["relations"] == [
        {"id": relation.id, "from_id": quote.id, "to_id": claim.id, "type": "said_by"}
    ]
    (task,) = json.loads((tmp_path / "ls.json").read_text(encoding="utf-8"))
    results = task["annotations"][0]["result"]
    regions = {r["id"] for r in results if r["type"] == "labels"}
    assert regions == {str(quote.id), str(claim.id)}
    (link,) = [r for r in results if r["type"] == "relation"]
    assert (link["from_id"], link["to_id"]) == (str(quote.id), str(claim.id))
    ann = next((tmp_path / "brat").rglob("*.ann")).read_text(encoding="utf-8")
    assert [line.split("\t")[0] for line in ann.splitlines()][:2] == ["T1", "T2"]
