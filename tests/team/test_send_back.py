"""Send-backs: a curator returns a document of one analyst for correction; the analyst's next
packet carries it with the note and the curator's changes, and merging it takes the
correction."""

from __future__ import annotations

import json
import sqlite3

import pytest
from packet_project import lead_project, packet_made_meanwhile

from annotator.store.document_marks import sent_back_documents
from annotator.store.project import Store
from annotator.team.assign import assign
from annotator.team.merge import MergeError, merge_projects
from annotator.team.packet_progress import progress
from annotator.team.packets import PacketError, write_packet, write_packets
from annotator.team.send_back import (
    SendBackError,
    change_line,
    correction_of,
    curator_changes,
    send_back,
)

TEXTS = [
    f"Article {i}. The mayor insisted the budget was balanced, said a clerk at noon." * (i + 1)
    for i in range(6)
]


def table(path, sql: str, *args) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def spans_of(path, analyst: str, text_hash: str) -> list[tuple]:
    return sorted(
        table(
            path,
            'SELECT s.start, s."end", l.name, s.note FROM spans s JOIN documents d'
            " ON d.id = s.document_id JOIN labels l ON l.id = s.label_id"
            " WHERE s.annotator = ? AND d.text_hash = ? AND s.origin != 'curated'",
            analyst,
            text_hash,
        )
    )


@pytest.fixture
def team(tmp_path):
    """A lead's project whose six documents went to ana and bo in packets, which came back
    annotated (a claim and a quote with a relation on each of ana's, marked done) and merged;
    the curator then made a curated layer on ana's first document."""
    lead = lead_project(tmp_path / "lead.db", TEXTS)
    lead.relation_types.add("says", "#117733", heads=["quote"], children=["claim"])
    assign(lead, ["ana", "bo"], seed=1)
    for who in ("ana", "bo"):
        write_packet(lead, who, tmp_path / f"{who}-1.db")
        with Store(tmp_path / f"{who}-1.db", who) as packet:
            for doc in packet.documents.ids():
                claim = packet.spans.add(doc, 14, 24, "claim", note="first try")
                quote = packet.spans.add(doc, 0, 7, "quote")
                packet.relations.add(quote.id, claim.id, "says")
                packet.statuses.set(doc, "done")
    merge_projects(lead, [tmp_path / "ana-1.db", tmp_path / "bo-1.db"])
    first = ana_documents(lead)[0]
    lead.spans.add(first, 14, 37, "claim", origin="curated")  # edges moved
    lead.spans.add(first, 0, 7, "speaker", origin="curated")  # relabelled
    lead.spans.add(first, 59, 64, "speaker", origin="curated")  # added
    yield lead
    lead.close()


def ana_documents(lead: Store) -> list[int]:
    return [
        r[0]
        for r in lead.conn.execute(
            "SELECT document_id FROM assignments WHERE analyst = 'ana' ORDER BY position"
        )
    ]


def ana_claim(lead: Store, doc: int) -> int:
    return lead.conn.execute(
        "SELECT s.id FROM spans s JOIN labels l ON l.id = s.label_id WHERE s.document_id = ?"
        " AND s.annotator = 'ana' AND l.name = 'claim'",
        (doc,),
    ).fetchone()[0]


def claim_done(packet_path, digest: str) -> None:
    """In ana's packet, a claim on the document with text hash ``digest``, marked done."""
    with Store(packet_path, "ana") as packet:
        (pdoc,) = packet.conn.execute(
            "SELECT id FROM documents WHERE text_hash = ?", (digest,)
        ).fetchone()
        packet.spans.add(pdoc, 30, 36, "claim")
        packet.statuses.set(pdoc, "done")


def text_hash_of(lead: Store, doc: int) -> str:
    return lead.conn.execute("SELECT text_hash FROM documents WHERE id = ?", (doc,)).fetchone()[0]


def test_a_send_back_goes_out_in_the_next_packet_and_its_correction_comes_back(
    team, tmp_path, dump
):
    doc = ana_documents(team)[0]
    digest = text_hash_of(team, doc)
    claim = ana_claim(team, doc)
    report = send_back(team, [str(doc)], "ana", "The claim runs to the comma.", [claim])
    assert [(s.document, s.analyst, s.spans) for s in report.sent] == [(doc, "ana", [claim])]
    assert progress(team).sent_back == 1
    assert {a.analyst: a.sent_back for a in progress(team).analysts} == {"ana": 1, "bo": 0}

    # No new document is assigned to ana: the packet carries the send-back alone.
    packet = write_packet(team, "ana", tmp_path / "ana-2.db")
    assert packet.documents == 1
    path = tmp_path / "ana-2.db"
    assert table(path, "SELECT text_hash FROM documents ORDER BY id") == [(digest,)]
    assert spans_of(path, "ana", digest) == spans_of(team.path, "ana", digest)
    assert table(path, "SELECT status FROM statuses WHERE annotator = 'ana'") == [("in_progress",)]
    assert table(path, "SELECT count(*) FROM relations WHERE annotator = 'ana'") == [(1,)]
    with Store(path, "ana") as opened:
        (pdoc,) = sent_back_documents(opened.conn, "ana")
        correction = correction_of(opened.conn, pdoc, "ana")
        assert correction is not None
        assert (correction.curator, correction.note) == ("lead", "The claim runs to the comma.")
        (about,) = correction.spans
        assert opened.spans.get(about).label == "claim"
        assert [c["change"] for c in correction.changes] == ["relabelled", "moved", "added"]
        # The analyst corrects: the claim to the comma, the quote a speaker; done.
        opened.spans.delete(about)
        opened.spans.add(pdoc, 14, 37, "claim")
        opened.statuses.set(pdoc, "done")
    assert progress(team).sent_back == 1  # not back yet

    merged = merge_projects(team, [path])
    assert merged.sources[0].spans_added == 1 and merged.sources[0].spans_removed == 1
    assert spans_of(team.path, "ana", digest) == spans_of(path, "ana", digest)
    assert (14, 37, "claim", None) in spans_of(team.path, "ana", digest)
    returned = team.conn.execute(
        "SELECT packet_id, returned_in, returned_at IS NOT NULL FROM send_backs"
    ).fetchall()
    assert returned == [(packet.packet_id, packet.packet_id, 1)]
    assert progress(team).sent_back == 0

    # Every packet merged again, the old one first: it brings nothing new, as before, and the
    # correction stays.
    again = merge_projects(team, [tmp_path / "ana-1.db", path, tmp_path / "bo-1.db"])
    assert not any(s.added_anything for s in again.sources)
    assert (14, 37, "claim", None) in spans_of(team.path, "ana", digest)
    # The old packet changed on that document would take the correction back: refused.
    with Store(tmp_path / "ana-1.db", "ana") as old:
        (odoc,) = old.conn.execute(
            "SELECT id FROM documents WHERE text_hash = ?", (digest,)
        ).fetchone()
        old.spans.add(odoc, 40, 46, "claim")
    before = dump(team.path)
    with pytest.raises(MergeError, match="the correction it was sent back for: this file"):
        merge_projects(team, [tmp_path / "ana-1.db"])
    assert dump(team.path) == before
    # The next packet carries nothing sent back any more.
    with pytest.raises(PacketError, match="gone out in a packet already"):
        write_packet(team, "ana", tmp_path / "ana-3.db")


def test_a_correction_not_yet_done_leaves_the_send_back_open_until_it_is(team, tmp_path):
    doc = ana_documents(team)[1]
    send_back(team, [str(doc)], "ana", "Look at the quote again.")
    path = tmp_path / "ana-2.db"
    write_packet(team, "ana", path)
    with Store(path, "ana") as opened:
        (pdoc,) = opened.documents.ids()
        opened.spans.add(pdoc, 40, 46, "claim")
    merge_projects(team, [path])
    assert progress(team).sent_back == 1
    with Store(path, "ana") as opened:
        opened.statuses.set(pdoc, "done")
    merge_projects(team, [path])
    assert progress(team).sent_back == 0


def test_only_the_packet_that_carried_the_send_back_may_replace_the_work(team, tmp_path, dump):
    """Another packet of the same analyst (all their documents again, made before the
    send-back) cannot replace their work on the document; the one that carried it can."""
    doc = ana_documents(team)[0]
    write_packet(team, "ana", tmp_path / "ana-all.db", everything=True)
    send_back(team, [str(doc)], "ana", "Check the edges.")
    write_packet(team, "ana", tmp_path / "ana-2.db")
    digest = text_hash_of(team, doc)
    for name in ("ana-all.db", "ana-2.db"):
        claim_done(tmp_path / name, digest)
    before = dump(team.path)
    with pytest.raises(MergeError, match="other work"):
        merge_projects(team, [tmp_path / "ana-all.db"])
    assert dump(team.path) == before
    merge_projects(team, [tmp_path / "ana-2.db"])
    assert spans_of(team.path, "ana", digest) == spans_of(tmp_path / "ana-2.db", "ana", digest)


def test_sent_back_documents_come_first_in_a_packet_with_new_ones(team, tmp_path):
    doc = ana_documents(team)[-1]
    team.documents.insert(text="Fresh article. It rained.", text_hash="fresh", title="fresh")
    assign(team, ["ana"], seed=2)
    send_back(team, [str(doc)], "ana", "Redo the quote.")
    write_packets(team, ["ana", "bo"], tmp_path)
    hashes = [r[0] for r in table(tmp_path / "ana-2.db", "SELECT text_hash FROM documents")]
    assert hashes == [text_hash_of(team, doc), "fresh"]
    assert not (tmp_path / "bo-2.db").exists()  # bo has nothing new and nothing sent back


@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("unknown document", "no document nope"),
        ("no work", "bo has no work on document"),
        ("unknown span", "no span 99999"),
        ("others span", "is bo's, not ana's"),
        ("curated span", "is the curated layer's"),
        ("span elsewhere", "not among those sent back"),
        ("empty note", "the note is empty"),
        ("still open", "already sent back to ana"),
    ],
)
def test_a_send_back_is_refused_with_one_sentence_and_nothing_written(team, case, says, dump):
    docs = ana_documents(team)
    bo_span = team.conn.execute("SELECT id FROM spans WHERE annotator = 'bo'").fetchone()[0]
    curated = team.conn.execute("SELECT id FROM spans WHERE origin = 'curated'").fetchone()[0]
    if case == "still open":
        send_back(team, [str(docs[0])], "ana", "First note.")
    args: dict = {
        "unknown document": ([str(docs[0]), "nope"], "ana", "n", []),
        "no work": ([str(docs[0])], "bo", "n", []),
        "unknown span": ([str(docs[0])], "ana", "n", [99999]),
        "others span": ([str(docs[0])], "ana", "n", [bo_span]),
        "curated span": ([str(docs[0])], "ana", "n", [curated]),
        "span elsewhere": ([str(docs[0])], "ana", "n", [ana_claim(team, docs[1])]),
        "empty note": ([str(docs[0])], "ana", "  \n ", []),
        "still open": ([str(docs[1]), str(docs[0])], "ana", "again", []),
    }[case]
    before = dump(team.path)
    with pytest.raises(SendBackError, match=says) as refused:
        send_back(team, *args)
    assert "\n" not in str(refused.value) and "nothing was sent back" in str(refused.value)
    assert dump(team.path) == before


def test_the_curators_changes_are_read_against_the_analysts_spans():
    text = "abcdefghijklmnopqrstuvwxyz" * 2
    analyst = [(0, 5, "claim"), (10, 15, "quote"), (20, 25, "claim"), (30, 35, "quote")]
    curated = [(0, 5, "claim"), (10, 15, "speaker"), (18, 26, "claim"), (40, 44, "quote")]
    changes = curator_changes(text, analyst, curated)
    assert [change_line(c) for c in changes] == [
        "relabelled quote “klmno” [10, 15) as speaker",
        "moved edges of claim “uvwxy” [20, 25) to [18, 26)",
        "removed quote “efghi” [30, 35)",
        "added quote “opqr” [40, 44)",
    ]
    assert json.loads(json.dumps(changes, ensure_ascii=False)) == changes


def test_offsets_of_changes_are_code_points():
    text = "😀 é claim here"
    (change,) = curator_changes(text, [], [(4, 9, "claim")])
    assert change["text"] == "claim" and change_line(change) == "added claim “claim” [4, 9)"


def test_a_document_with_no_curated_layer_goes_back_with_the_note_and_no_changes(team, tmp_path):
    doc = ana_documents(team)[2]
    send_back(team, [str(doc)], "ana", "The quote is the mayor's.")
    report = write_packet(team, "ana", tmp_path / "ana-2.db")
    assert (report.documents, report.sent_back) == (1, 1)
    assert "1 of them sent back for correction" in report.summary()
    assert report.to_json()["sent_back"] == 1
    assert table(tmp_path / "ana-2.db", "SELECT note, changes FROM send_backs") == [
        ("The quote is the mayor's.", "[]")
    ]


def test_a_packet_of_everything_carries_an_open_send_back_again_and_takes_it_over(
    team, tmp_path, dump
):
    doc = ana_documents(team)[0]
    send_back(team, [str(doc)], "ana", "Check the edges.")
    first = write_packet(team, "ana", tmp_path / "ana-2.db")
    again = write_packet(team, "ana", tmp_path / "ana-3.db", everything=True)
    assert again.sent_back == 1 and first.sent_back == 1
    carried = team.conn.execute("SELECT packet_id FROM send_backs").fetchall()
    assert carried == [(again.packet_id,)]
    digest = text_hash_of(team, doc)
    for name in ("ana-2.db", "ana-3.db"):
        claim_done(tmp_path / name, digest)
    before = dump(team.path)
    with pytest.raises(MergeError, match="other work"):
        merge_projects(team, [tmp_path / "ana-2.db"])  # the latest packet carries it now
    assert dump(team.path) == before
    merge_projects(team, [tmp_path / "ana-3.db"])
    assert progress(team).sent_back == 0


def test_a_send_back_taken_by_another_packet_meanwhile_refuses_this_one(
    team, tmp_path, monkeypatch
):
    """Two packets for one analyst made at once: the send-backs are read before the packet
    is built, and the one recorded second finds them gone and leaves nothing."""
    send_back(team, [str(ana_documents(team)[0])], "ana", "Check the edges.")
    packet_made_meanwhile(
        monkeypatch, team.path, lambda other: write_packet(other, "ana", tmp_path / "first.db")
    )
    with pytest.raises(PacketError, match="went out in another packet, or came back, while"):
        write_packet(team, "ana", tmp_path / "second.db")
    assert not (tmp_path / "second.db").exists() and (tmp_path / "first.db").exists()
    assert team.conn.execute("SELECT count(*) FROM packets WHERE analyst = 'ana'").fetchone() == (
        2,
    )


def test_progress_counts_a_send_back_to_an_analyst_with_no_assignment(tmp_path):
    """Work merged from an analyst's own project (no packet, no assignment) can be sent back
    too: their next packet carries it alone, and everyone's total counts it."""
    with Store(tmp_path / "cy.db", "cy") as own:
        with own.transaction():
            doc = own.documents.insert(text=TEXTS[0], text_hash="h0", title="only")
        own.spans.add(doc, 0, 7, "claim")
    with lead_project(tmp_path / "lead.db", TEXTS[1:3]) as lead:
        assign(lead, ["ana"], seed=1)
        merge_projects(lead, [tmp_path / "cy.db"])
        (mine,) = lead.conn.execute("SELECT id FROM documents WHERE title = 'only'").fetchone()
        send_back(lead, [str(mine)], "cy", "Not a claim.")
        figures = progress(lead)
        assert figures.sent_back == 1 and figures.to_json()["overall"]["sent_back"] == 1
        report = write_packet(lead, "cy", tmp_path / "cy-1.db")
        assert (report.documents, report.sent_back) == (1, 1)
        with Store(tmp_path / "cy-1.db", "cy") as packet:
            (pdoc,) = packet.documents.ids()
            (span,) = packet.spans.in_document(pdoc)
            packet.spans.delete(span.id)
            packet.statuses.set(pdoc, "done")
        merge_projects(lead, [tmp_path / "cy-1.db"])
        assert progress(lead).sent_back == 0
        assert lead.spans.in_document(mine) == []
