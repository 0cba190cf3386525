"""`annotator send-back` and the round trip it starts, driven through the command line."""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner
from packet_project import lead_project

from annotator.cli.main import cli
from annotator.store.project import Store

TEXTS = [
    f"Article {i}. The mayor insisted the budget was balanced, a clerk said." for i in range(4)
]


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


def rows(path, sql: str, *args) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_send_back_reaches_the_analyst_with_its_note_and_comes_back_corrected(tmp_path, dump):
    lead = tmp_path / "lead.db"
    with lead_project(lead, TEXTS):
        pass
    db = ["--db", str(lead), "--user", "lead"]
    folder = tmp_path / "packets"
    assert run(*db, "assign", "ana", "--seed", "1", "--packets", str(folder)).exit_code == 0
    with Store(folder / "ana-1.db", "ana") as packet:
        for doc in packet.documents.ids():
            packet.spans.add(doc, 12, 21, "claim")
            packet.statuses.set(doc, "done")
    assert run("merge", str(folder / "ana-1.db"), "--into", str(lead)).exit_code == 0
    (span,) = rows(lead, "SELECT s.id FROM spans s JOIN documents d ON d.id = s.document_id"
                   " WHERE d.external_id = 'doc-2'")[0:1]  # fmt: skip

    sent = run(*db, "send-back", "doc-2", "--analyst", "ana", "--note", "Only the mayor.",
               "--span", str(span[0]), "--json")  # fmt: skip
    assert sent.exit_code == 0, sent.output
    (item,) = json.loads(sent.output)["sent_back"]
    assert (item["analyst"], item["note"], item["spans"]) == ("ana", "Only the mayor.", [span[0]])
    figures = json.loads(run(*db, "progress", "--json").output)
    assert figures["overall"]["sent_back"] == 1 and figures["analysts"][0]["sent_back"] == 1
    assert "sent back" in run(*db, "progress").output

    before = dump(lead)
    for args, says in [
        (["doc-2", "--analyst", "ana", "--note", "again"], "already sent back to ana"),
        (["doc-9", "--analyst", "ana", "--note", "n"], "no document doc-9"),
        (["doc-1", "--analyst", "bo", "--note", "n"], "bo has no work on document"),
        (["doc-1", "--analyst", "ana", "--note", " "], "the note is empty"),
        (["doc-1", "--analyst", "ana", "--note", "n", "--span", "999"], "no span 999"),
    ]:
        refused = run(*db, "send-back", *args)
        assert refused.exit_code == 1 and says in refused.output, refused.output
        assert refused.output.startswith("Error: ") and refused.output.count("\n") == 1
    assert dump(lead) == before

    made = run(*db, "packet", "ana", "--out", str(tmp_path / "ana-2.db"))
    assert made.exit_code == 0, made.output
    assert "1 document for ana" in made.output
    assert rows(tmp_path / "ana-2.db", "SELECT analyst, note, sent_by FROM send_backs") == [
        ("ana", "Only the mayor.", "lead")
    ]
    # The analyst reads the note from the command line too.
    packet_db = ["--db", str(tmp_path / "ana-2.db"), "--user", "ana"]
    listed = run(*packet_db, "documents").output
    assert "sent back for correction by lead: \u201cOnly the mayor.\u201d" in listed
    (record,) = [
        json.loads(line)
        for line in run(*packet_db, "documents", "--json").output.split("\n")
        if line
    ]
    assert (record["id"], record["sent_back"]["by"], record["sent_back"]["note"]) == (
        "doc-2",
        "lead",
        "Only the mayor.",
    )
    assert (
        "sent back"
        not in run("--db", str(tmp_path / "ana-2.db"), "--user", "bo", "documents").output
    )
    with Store(tmp_path / "ana-2.db", "ana") as packet:
        (doc,) = packet.documents.ids()
        (old,) = packet.spans.in_document(doc)
        packet.spans.delete(old.id)
        packet.spans.add(doc, 12, 17, "claim")
        packet.statuses.set(doc, "done")
    merged = run("merge", str(tmp_path / "ana-2.db"), "--into", str(lead))
    assert merged.exit_code == 0, merged.output
    assert rows(
        lead,
        'SELECT s.start, s."end" FROM spans s JOIN documents d ON d.id = s.document_id'
        " WHERE d.external_id = 'doc-2' AND s.annotator = 'ana'",
    ) == [(12, 17)]
    assert json.loads(run(*db, "progress", "--json").output)["overall"]["sent_back"] == 0
    # The first packet again, unchanged: nothing new, and the correction stays.
    again = run("merge", str(folder / "ana-1.db"), "--into", str(lead))
    assert again.exit_code == 0 and "Nothing new was merged" in again.output
    with Store(folder / "ana-1.db", "ana") as packet:  # changed there since: refused
        doc = next(d for d in packet.documents.ids() if packet.spans.in_document(d))
        packet.spans.add(doc, 0, 7, "quote")
    refused = run("merge", str(folder / "ana-1.db"), "--into", str(lead))
    assert refused.exit_code == 1 and "Nothing was merged" in refused.output
    assert rows(
        lead,
        'SELECT s.start, s."end" FROM spans s JOIN documents d ON d.id = s.document_id'
        " WHERE d.external_id = 'doc-2' AND s.annotator = 'ana'",
    ) == [(12, 17)]


def test_an_update_file_on_the_command_line(tmp_path, dump):
    lead = tmp_path / "lead.db"
    with lead_project(lead, TEXTS):
        pass
    db = ["--db", str(lead), "--user", "lead"]
    assert run(*db, "assign", "ana", "--seed", "1", "--packets", str(tmp_path)).exit_code == 0
    packet = tmp_path / "ana-1.db"
    with Store(packet, "ana") as opened:
        for doc in opened.documents.ids():
            opened.spans.add(doc, 12, 21, "claim")
            opened.statuses.set(doc, "done")
    assert run("merge", str(packet), "--into", str(lead)).exit_code == 0
    out = tmp_path / "fix.json"
    sent = run(*db, "send-back", "doc-1", "--analyst", "ana", "--note", "Who says so?",
               "--out", str(out))  # fmt: skip
    assert sent.exit_code == 0, sent.output
    assert f"apply-update {out}" in sent.output
    applied = run("--db", str(packet), "--user", "ana", "apply-update", str(out), "--json")
    assert applied.exit_code == 0, applied.output
    (doc,) = json.loads(applied.output)["sent_back"]
    assert rows(packet, "SELECT note FROM send_backs") == [("Who says so?",)]
    before = dump(lead)
    refused = run("--db", str(lead), "apply-update", str(out))
    assert refused.exit_code == 1 and "is not a packet" in refused.output
    assert refused.output.count("\n") == 1 and dump(lead) == before
    with Store(packet, "ana") as opened:
        opened.spans.add(doc, 0, 7, "quote")
        opened.statuses.set(doc, "done")
    assert run("merge", str(packet), "--into", str(lead)).exit_code == 0
    assert json.loads(run(*db, "progress", "--json").output)["overall"]["sent_back"] == 0


def test_packets_annotated_elsewhere_come_back_through_import_and_merge(tmp_path):
    """An analyst who tags their packet's documents in another tool imports the JSONL into
    the packet: spans and done statuses are theirs, and the lead's merge counts them."""
    lead = tmp_path / "lead.db"
    with lead_project(lead, TEXTS):
        pass
    db = ["--db", str(lead), "--user", "lead"]
    folder = tmp_path / "packets"
    made = run(
        *db, "assign", "ana", "bo", "--overlap", "2", "--seed", "3", "--packets", str(folder)
    )
    assert made.exit_code == 0, made.output
    for who, end in (("ana", 21), ("bo", 20)):
        packet = ["--db", str(folder / f"{who}-1.db"), "--user", who]
        out = tmp_path / f"{who}.jsonl"
        assert run(*packet, "export", "-o", str(out)).exit_code == 0
        records = [json.loads(line) for line in out.read_text("utf-8").split("\n") if line]
        for record in records:
            record["spans"] = [{"start": 12, "end": end, "label": "claim"}]
            record["status"] = "done"
        done = tmp_path / f"{who}-done.jsonl"
        done.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        imported = run(*packet, "import", str(done))
        assert imported.exit_code == 0, imported.output
    packets = [str(folder / "ana-1.db"), str(folder / "bo-1.db")]
    assert run("merge", *packets, "--into", str(lead)).exit_code == 0
    figures = json.loads(run(*db, "progress", "--json").output)
    assert [(a["analyst"], a["done"]) for a in figures["analysts"]] == [
        ("ana", len(TEXTS)),
        ("bo", len(TEXTS)),
    ]
    agreement = json.loads(run(*db, "agreement", "--json").output)
    (pair,) = agreement["pairs"]
    assert pair["documents"] == len(TEXTS)
    claim = pair["labels"]["claim"]
    assert (claim["exact_f1"], claim["overlap_f1"]) == (0.0, 1.0)
    again = run("merge", *packets, "--into", str(lead))
    assert "Nothing new was merged" in again.output
