"""Packets: each analyst's documents as a project file of their own, carrying the lead's scheme,
guidelines and patterns and saying where it comes from, opened as any project and merged back
with `merge`."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner
from packet_project import add_texts, lead_project, packet_made_meanwhile, uneven_texts

from annotator.cli.main import cli
from annotator.store.project import Store
from annotator.suggest.builtin.patterns import project_path
from annotator.team import packets as packets_module
from annotator.team.assign import assign
from annotator.team.merge import merge_projects
from annotator.team.packet_progress import progress
from annotator.team.packets import (
    PacketError,
    assign_with_packets,
    packet_of,
    project_id,
    write_packet,
)

PATTERNS = '{"suggester": "quotes", "word": "insisted"}\n'


@pytest.fixture
def lead(tmp_path):
    """A lead's project of 40 documents with its own scheme (a label added, a definition
    changed, a relation type added) and patterns file, assigned to ana, bo and cy."""
    store = lead_project(tmp_path / "lead.db", uneven_texts(40))
    with store.transaction():
        for doc in store.documents.ids():
            store.conn.execute(
                "UPDATE documents SET meta = ?, source = 'feed.jsonl' WHERE id = ?",
                (json.dumps({"desk": "city", "n": doc}), doc),
            )
    store.labels.add("hedge", "#cc6677", "6", "A claim softened by its speaker.")
    store.labels.update("claim", definition="What the writer holds true; see the guide, p. 3.")
    store.relation_types.add("hedges", "#117733", heads=["hedge"], children=["claim"])
    project_path(store.path).write_text(PATTERNS, encoding="utf-8")
    assign(store, ["ana", "bo", "cy"], overlap=2, seed=3, order="shuffled")
    yield store
    store.close()


def table(path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def queue_of(lead: Store, analyst: str) -> list[tuple]:
    return lead.conn.execute(
        "SELECT d.text_hash, d.title, d.text, d.meta, d.external_id, d.source FROM assignments a"
        " JOIN documents d ON d.id = a.document_id WHERE a.analyst = ? ORDER BY a.position",
        (analyst,),
    ).fetchall()


# -- what a packet holds -----------------------------------------------------------------------


def test_a_packet_holds_exactly_the_analysts_documents_in_their_queues_order(lead, tmp_path):
    out = tmp_path / "ana.db"
    report = write_packet(lead, "ana", out, patterns_of=project_path)
    expected = queue_of(lead, "ana")
    held = table(out, "SELECT text_hash, title, text, meta, external_id, source FROM documents"
                      " ORDER BY id")  # fmt: skip
    assert held == expected and report.documents == len(expected) > 0
    others = {r[0] for r in queue_of(lead, "bo")} - {r[0] for r in expected}
    assert others and not others & {r[0] for r in held}
    assert table(out, "SELECT DISTINCT status, span_count FROM documents") == [("new", 0)]
    assert table(out, "SELECT count(*) FROM spans") == [(0,)]


def test_a_packet_carries_the_leads_labels_guidelines_relation_types_and_patterns(lead, tmp_path):
    out = tmp_path / "ana.db"
    report = write_packet(lead, "ana", out, patterns_of=project_path)
    for name in ("labels", "relation_types"):
        assert table(out, f"SELECT * FROM {name} ORDER BY id") == table(
            lead.path, f"SELECT * FROM {name} ORDER BY id"
        )
    with Store(out, "ana") as packet:
        assert packet.labels.get("hedge").definition == "A claim softened by its speaker."
        assert packet.labels.get("hedge").hotkey == "6"
        assert packet.labels.get("claim").definition.endswith("p. 3.")
        assert packet.relation_types.get("hedges").heads == ["hedge"]
        assert packet.get_setting("patterns") == PATTERNS
    assert report.patterns == project_path(out)
    assert project_path(out).read_text(encoding="utf-8") == PATTERNS


def test_patterns_init_in_a_packet_writes_the_leads_patterns_again(lead, tmp_path):
    out = tmp_path / "ana.db"
    write_packet(lead, "ana", out, patterns_of=project_path)
    project_path(out).unlink()  # lost on the way
    result = CliRunner().invoke(cli, ["--db", str(out), "patterns", "init"])
    assert result.exit_code == 0, result.output
    assert "the lead's patterns this packet carries" in result.output
    assert project_path(out).read_text(encoding="utf-8") == PATTERNS


def test_without_patterns_of_its_own_the_lead_sends_none_and_the_packet_uses_the_defaults(
    lead, tmp_path
):
    project_path(lead.path).unlink()
    report = write_packet(lead, "ana", tmp_path / "ana.db", patterns_of=project_path)
    assert report.patterns is None and not project_path(tmp_path / "ana.db").exists()
    with Store(tmp_path / "ana.db", "ana") as packet:
        assert packet.get_setting("patterns") is None


def test_a_packet_says_which_lead_project_and_which_packet_it_is(lead, tmp_path):
    out = tmp_path / "ana.db"
    report = write_packet(lead, "ana", out)
    with Store(out, "ana") as packet:
        about = packet_of(packet)
        assert packet.get_setting("id") == report.packet_id  # its own id is the packet's
    assert about is not None
    assert about["lead_project"] == lead.get_setting("id") == report.lead_project
    assert about["id"] == report.packet_id and len(report.packet_id) == 32
    assert about["analyst"] == "ana" and about["lead_file"] == "lead.db"
    assert about["made_by"] == "lead" and about["made_at"].endswith("Z")
    assert about["documents"] == report.documents
    [row] = lead.conn.execute("SELECT id, analyst, made_by, path, documents FROM packets")
    assert row == (report.packet_id, "ana", "lead", str(out), report.documents)
    sent = lead.conn.execute(
        "SELECT analyst, packet_id, count(*) FROM assignments GROUP BY analyst, packet_id"
    ).fetchall()
    assert ("ana", report.packet_id, report.documents) in sent
    assert {r[1] for r in sent if r[0] != "ana"} == {None}
    with Store(lead.path, "lead") as again:
        assert packet_of(again) is None  # the lead's project is no packet


def test_two_packets_have_ids_of_their_own(lead, tmp_path):
    a = write_packet(lead, "ana", tmp_path / "ana.db")
    b = write_packet(lead, "ana", tmp_path / "ana-again.db", everything=True)
    assert a.packet_id != b.packet_id and a.lead_project == b.lead_project
    assert lead.conn.execute("SELECT count(*) FROM packets").fetchone()[0] == 2


def test_a_project_without_an_id_gets_one_that_stays(lead):
    lead.conn.execute("DELETE FROM project WHERE key = 'id'")
    made = project_id(lead)
    assert len(made) == 32 and project_id(lead) == made == lead.get_setting("id")


# -- opened as any project ---------------------------------------------------------------------


def test_a_packet_opens_as_an_ordinary_project_with_the_queue_first(lead, tmp_path):
    out = tmp_path / "ana.db"
    write_packet(lead, "ana", out)
    with Store(out, "ana") as packet:
        assert packet.history() == []  # nothing done in it yet, by anyone
        first = packet.documents.next_open(None)
        assert packet.documents.get(first).text_hash == queue_of(lead, "ana")[0][0]
    assert table(out, "PRAGMA journal_mode") == [("wal",)]
    assert not list(tmp_path.glob(".*partial*")) and not (tmp_path / "ana.db-wal").exists()
    result = CliRunner().invoke(cli, ["--db", str(out), "--user", "ana", "documents", "--json"])
    assert result.exit_code == 0, result.output
    listed = [json.loads(line) for line in result.output.splitlines()]
    assert [d["id"] for d in listed] == [r[4] for r in queue_of(lead, "ana")]
    assert {d["status"] for d in listed} == {"new"}


# -- merged back -------------------------------------------------------------------------------


def annotate(path, analyst: str, *, done: int, in_progress: int = 0) -> None:
    """Work as the analyst in their packet: a span, a note, a relation on each of the first
    ``done`` documents, marked done; the next ``in_progress`` with a span only."""
    with Store(path, analyst) as packet:
        ids = packet.documents.ids()
        for doc in ids[: done + in_progress]:
            hedge = packet.spans.add(doc, 0, 7, "hedge", note=f"{analyst} was unsure")
            claim = packet.spans.add(doc, 9, 11, "claim")
            if doc in ids[:done]:
                packet.relations.add(hedge.id, claim.id, "hedges")
                packet.statuses.set(doc, "done")


def spans_by(path, analyst: str) -> list[tuple]:
    return sorted(
        table(
            path,
            'SELECT d.text_hash, s.start, s."end", l.name, s.note FROM spans s'
            " JOIN documents d ON d.id = s.document_id JOIN labels l ON l.id = s.label_id"
            f" WHERE s.annotator = '{analyst}'",
        )
    )


def test_a_returned_packet_merges_back_into_the_leads_project_with_the_existing_merge(
    lead, tmp_path
):
    reports = {who: write_packet(lead, who, tmp_path / f"{who}.db") for who in ("ana", "bo")}
    annotate(tmp_path / "ana.db", "ana", done=4, in_progress=2)
    annotate(tmp_path / "bo.db", "bo", done=3)
    merged = merge_projects(lead, [tmp_path / "ana.db", tmp_path / "bo.db"])
    assert [s.analysts for s in merged.sources] == [["ana"], ["bo"]]
    assert merged.sources[0].documents_added == 0  # every document matched the lead's
    for who in ("ana", "bo"):
        assert spans_by(lead.path, who) == spans_by(tmp_path / f"{who}.db", who)
        assert spans_by(lead.path, who)
    relations = lead.conn.execute(
        "SELECT r.annotator, count(*) FROM relations r GROUP BY r.annotator"
    ).fetchall()
    assert relations == [("ana", 4), ("bo", 3)]
    returned = {r[0] for r in lead.conn.execute("SELECT source_project FROM merges")}
    assert returned == {reports["ana"].packet_id, reports["bo"].packet_id}
    figures = {a.analyst: a for a in progress(lead).analysts}
    assert (figures["ana"].done, figures["ana"].in_progress) == (4, 2)
    assert (figures["bo"].done, figures["bo"].packets_returned) == (3, 1)
    assert figures["cy"].packets == 0

    before = table(lead.path, "SELECT count(*) FROM spans")
    again = merge_projects(lead, [tmp_path / "ana.db", tmp_path / "bo.db"])
    assert not any(s.added_anything for s in again.sources)
    assert table(lead.path, "SELECT count(*) FROM spans") == before


def test_a_packet_returned_as_it_went_out_merges_as_nothing(lead, tmp_path, dump):
    write_packet(lead, "cy", tmp_path / "cy.db")
    before = table(lead.path, "SELECT count(*) FROM spans, statuses")
    report = merge_projects(lead, [tmp_path / "cy.db"])
    assert report.sources[0].documents_added == 0 and not report.sources[0].spans_added
    assert table(lead.path, "SELECT count(*) FROM spans, statuses") == before


def test_packets_reach_a_team_project_of_their_own_through_the_leads_project(lead, tmp_path):
    write_packet(lead, "ana", tmp_path / "ana.db")
    annotate(tmp_path / "ana.db", "ana", done=2)
    merge_projects(lead, [tmp_path / "ana.db"])
    with Store(tmp_path / "team.db", "lead") as team:
        report = merge_projects(team, [lead.path])
        assert report.sources[0].documents_added == lead.documents.count()
        assert team.labels.get("hedge").definition == "A claim softened by its speaker."
    assert spans_by(tmp_path / "team.db", "ana") == spans_by(tmp_path / "ana.db", "ana")


# -- refused, with nothing written -------------------------------------------------------------


def files_in(folder) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.mark.parametrize(
    ("analyst", "says"),
    [
        ("dee", "no documents are assigned to 'dee'; the analysts are ana, bo, cy"),
        ("a\x1b[2Jb", "holds a control or formatting character"),
    ],
)
def test_a_packet_for_no_one_assigned_is_refused(lead, tmp_path, dump, analyst, says):
    before, files = dump(lead.path), files_in(tmp_path)
    with pytest.raises(PacketError, match=says.replace("[", r"\[")):
        write_packet(lead, analyst, tmp_path / "x.db", patterns_of=project_path)
    assert dump(lead.path) == before and files_in(tmp_path) == files


def test_a_packet_never_replaces_a_file(lead, tmp_path, dump):
    (tmp_path / "ana.db").write_bytes(b"an analyst's work")
    before = dump(lead.path)
    with pytest.raises(PacketError, match="ana.db is already there; a packet never replaces"):
        write_packet(lead, "ana", tmp_path / "ana.db")
    assert (tmp_path / "ana.db").read_bytes() == b"an analyst's work"
    project_path(tmp_path / "bo.db").write_text("mine", encoding="utf-8")
    with pytest.raises(PacketError, match=r"bo.db.patterns.jsonl is already there"):
        write_packet(lead, "bo", tmp_path / "bo.db", patterns_of=project_path)
    assert not (tmp_path / "bo.db").exists() and dump(lead.path) == before


def test_patterns_that_are_not_utf8_are_refused_before_anything_is_written(lead, tmp_path, dump):
    project_path(lead.path).write_bytes(b'{"suggester": "quotes", "word": "dit\xe9"}\n')
    before, files = dump(lead.path), files_in(tmp_path)
    with pytest.raises(PacketError, match="the patterns are not UTF-8 text"):
        write_packet(lead, "ana", tmp_path / "ana.db", patterns_of=project_path)
    assert dump(lead.path) == before and files_in(tmp_path) == files


def test_a_packet_into_a_missing_folder_is_refused(lead, tmp_path, dump):
    before = dump(lead.path)
    with pytest.raises(PacketError, match="the folder .*nowhere does not exist"):
        write_packet(lead, "ana", tmp_path / "nowhere" / "ana.db")
    assert dump(lead.path) == before and not (tmp_path / "nowhere").exists()


def test_documents_already_sent_go_out_again_only_when_asked(lead, tmp_path, dump):
    first = write_packet(lead, "ana", tmp_path / "ana-1.db")
    before = dump(lead.path)
    with pytest.raises(PacketError, match="has gone out in a packet already; --all makes"):
        write_packet(lead, "ana", tmp_path / "ana-2.db")
    assert dump(lead.path) == before and not (tmp_path / "ana-2.db").exists()
    again = write_packet(lead, "ana", tmp_path / "ana-2.db", everything=True)
    assert again.documents == first.documents
    assert table(tmp_path / "ana-2.db", "SELECT text_hash FROM documents ORDER BY id") == table(
        tmp_path / "ana-1.db", "SELECT text_hash FROM documents ORDER BY id"
    )


def test_a_packet_that_cannot_be_built_leaves_neither_file_nor_record(
    lead, tmp_path, dump, monkeypatch
):
    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(packets_module, "_build", broken)
    before, files = dump(lead.path), files_in(tmp_path)
    with pytest.raises(PacketError, match=r"ana.db: the packet could not be written \(No space"):
        write_packet(lead, "ana", tmp_path / "ana.db", patterns_of=project_path)
    assert dump(lead.path) == before and files_in(tmp_path) == files


# -- assign --packets --------------------------------------------------------------------------


def test_assign_with_packets_writes_one_per_analyst_and_later_only_the_new_documents(tmp_path):
    texts = uneven_texts(50, seed=6)
    folder = tmp_path / "out"
    with lead_project(tmp_path / "lead.db", texts[:40]) as store:
        report, written = assign_with_packets(
            store, ["ana", "bo", "cy"], folder, overlap=2, seed=1, order="project"
        )
        assert [p.path.name for p in written] == ["ana-1.db", "bo-1.db", "cy-1.db"]
        assert sum(p.documents for p in written) == 80 == report.assigned * 2
        add_texts(store, texts[40:])
        report, later = assign_with_packets(
            store, ["ana", "bo", "cy"], folder, overlap=2, seed=1, order="project"
        )
        assert report.assigned == 10
        assert [p.path.name for p in later] == ["ana-2.db", "bo-2.db", "cy-2.db"]
        assert sum(p.documents for p in later) == 20
        for p in later:
            new = {r[0] for r in table(p.path, "SELECT text_hash FROM documents")}
            mine = {r[0] for r in queue_of(store, p.analyst)[-p.documents :]}
            assert new == mine
    assert files_in(folder) == {f"{a}-{n}.db" for a in ("ana", "bo", "cy") for n in (1, 2)}


def test_assign_with_packets_is_all_or_nothing(tmp_path, dump, monkeypatch):
    real = packets_module._build
    calls = []

    def fails_on_the_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(*args, **kwargs)

    monkeypatch.setattr(packets_module, "_build", fails_on_the_second)
    with lead_project(tmp_path / "lead.db", uneven_texts(30)) as store:
        before = dump(store.path)
        with pytest.raises(PacketError, match="could not be written"):
            assign_with_packets(store, ["ana", "bo"], tmp_path / "out", overlap=1, seed=1)
        assert dump(store.path) == before
    assert not (tmp_path / "out").exists()


def test_assign_with_packets_into_a_file_is_refused_with_nothing_assigned(tmp_path, dump):
    (tmp_path / "out").write_text("a file")
    with lead_project(tmp_path / "lead.db", uneven_texts(10)) as store:
        before = dump(store.path)
        with pytest.raises(PacketError, match="out is not a folder; the packets go into a folder"):
            assign_with_packets(store, ["ana"], tmp_path / "out", seed=1)
        assert dump(store.path) == before


def test_packet_names_are_safe_and_never_shared(tmp_path):
    with lead_project(tmp_path / "lead.db", uneven_texts(20)) as store:
        _, written = assign_with_packets(
            store, ["a b", "a_b", "../x", "Zoë"], tmp_path / "out", overlap=1, seed=1
        )
    names = [p.path.name for p in written]
    assert len(set(names)) == 4 and all("/" not in n and " " not in n for n in names)
    assert "Zoë-1.db" in names and all(p.path.parent == tmp_path / "out" for p in written)
    assert not any(n.startswith(".") for n in names)


# -- the commands ------------------------------------------------------------------------------


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


def test_the_packet_command_writes_a_packet_and_refuses_in_one_line(lead, tmp_path, dump):
    lead.close()
    db = ["--db", str(lead.path), "--user", "lead"]
    result = run(*db, "packet", "ana", "--out", str(tmp_path / "ana.db"))
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and "Open it with: annotator --db" in result.output
    assert (tmp_path / "ana.db.patterns.jsonl").read_text(encoding="utf-8") == PATTERNS
    before = dump(lead.path)
    for args, says in [
        (["ana", "--all", "-o", str(tmp_path / "ana.db")], "is already there"),
        (["ana", "-o", str(tmp_path / "again.db")], "--all makes a packet of them all again"),
        (["dee", "-o", str(tmp_path / "dee.db")], "no documents are assigned to 'dee'"),
    ]:
        refused = run(*db, "packet", *args)
        assert refused.exit_code == 1 and says in refused.output
        assert refused.output.startswith("Error: ") and refused.output.count("\n") == 1
    assert dump(lead.path) == before
    as_json = run(*db, "packet", "bo", "--out", str(tmp_path / "bo.db"), "--json")
    data = json.loads(as_json.output)
    assert data["analyst"] == "bo" and data["lead_project"] and len(data["packet"]) == 32


def test_assign_packets_on_the_command_line(tmp_path):
    with lead_project(tmp_path / "lead.db", uneven_texts(30)):
        pass
    result = run("--db", str(tmp_path / "lead.db"), "assign", "ana", "bo", "--overlap", "2",
                 "--seed", "5", "--packets", str(tmp_path / "packets"))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.count("Wrote ") == 2
    assert files_in(tmp_path / "packets") == {"ana-1.db", "bo-1.db"}
    for who in ("ana", "bo"):
        assert table(tmp_path / "packets" / f"{who}-1.db", "SELECT count(*) FROM documents") == [
            (30,)
        ]


def test_a_document_taken_by_another_packet_meanwhile_refuses_this_one(lead, tmp_path, monkeypatch):
    """Two packets for one analyst made at once: the documents are read before the packet is
    built, and the one recorded second finds them gone and leaves nothing."""
    packet_made_meanwhile(
        monkeypatch, lead.path, lambda other: write_packet(other, "ana", tmp_path / "first.db")
    )
    with pytest.raises(PacketError, match="went out in another packet for 'ana' while"):
        write_packet(lead, "ana", tmp_path / "second.db")
    assert not (tmp_path / "second.db").exists() and (tmp_path / "first.db").exists()
    assert lead.conn.execute("SELECT count(*) FROM packets").fetchone()[0] == 1
    assert not list(tmp_path.glob(".*partial*"))
