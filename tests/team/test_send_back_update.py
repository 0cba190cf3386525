"""Send-back update files: the send-back carried to the packet the analyst already has."""

from __future__ import annotations

import json

import pytest
from packet_project import lead_project

from annotator.store.document_marks import sent_back_documents
from annotator.store.project import Store
from annotator.team.assign import assign
from annotator.team.merge import merge_projects
from annotator.team.packet_progress import progress
from annotator.team.packets import write_packet
from annotator.team.send_back import correction_of
from annotator.team.send_back_update import UpdateError, apply_update, send_back_to_packet

TEXTS = [
    f"Article {i}. The mayor insisted the budget was balanced, a clerk said." for i in range(4)
]


@pytest.fixture
def lead(tmp_path):
    """Four documents, two each to ana and bo in packets that came back: a claim on each,
    done; the curator moved the end of ana's first claim."""
    store = lead_project(tmp_path / "lead.db", TEXTS)
    assign(store, ["ana", "bo"], seed=1)
    for who in ("ana", "bo"):
        write_packet(store, who, tmp_path / f"{who}.db")
        with Store(tmp_path / f"{who}.db", who) as packet:
            for doc in packet.documents.ids():
                packet.spans.add(doc, 11, 20, "claim")
                packet.statuses.set(doc, "done")
    merge_projects(store, [tmp_path / "ana.db", tmp_path / "bo.db"])
    yield store
    store.close()


def ana_doc(lead: Store, i: int = 0) -> int:
    return lead.conn.execute(
        "SELECT document_id FROM assignments WHERE analyst = 'ana' ORDER BY position"
    ).fetchall()[i][0]


def test_an_update_reaches_the_packet_the_analyst_has_and_the_correction_comes_back(lead, tmp_path):
    doc = ana_doc(lead, 1)
    digest = lead.conn.execute("SELECT text_hash FROM documents WHERE id = ?", (doc,)).fetchone()
    lead.spans.add(doc, 11, 30, "claim", origin="curated")
    (claim,) = [s.id for s in lead.spans.in_document(doc) if s.annotator == "ana"]
    out = tmp_path / "ana-update.json"
    send_back_to_packet(lead, [str(doc)], "ana", "Up to 'insisted'.", [claim], out)
    update = json.loads(out.read_text(encoding="utf-8"))
    assert update["analyst"] == "ana" and update["send_backs"][0]["note"] == "Up to 'insisted'."

    packet = tmp_path / "ana.db"
    with Store(packet, "ana") as opened:
        applied = apply_update(opened, out)
        (pdoc,) = opened.conn.execute(
            "SELECT id FROM documents WHERE text_hash = ?", digest
        ).fetchone()
        assert applied.added == [pdoc]
        assert sent_back_documents(opened.conn, "ana") == [pdoc]
        correction = correction_of(opened.conn, pdoc, "ana")
        assert correction is not None and correction.lines() == [
            "moved edges of claim “The mayor” [11, 20) to [11, 30)"
        ]
        assert [opened.spans.get(s).start for s in correction.spans] == [11]
        assert opened.statuses.of(pdoc) == "in_progress"
        assert apply_update(opened, out).already == [pdoc]  # twice: nothing more
        (span,) = opened.spans.in_document(pdoc)
        opened.spans.delete(span.id)
        opened.spans.add(pdoc, 11, 30, "claim")
        opened.statuses.set(pdoc, "done")
    assert progress(lead).sent_back == 1
    merge_projects(lead, [packet])
    assert [(s.start, s.end) for s in lead.spans.in_document(doc) if s.annotator == "ana"] == [
        (11, 30)
    ]
    assert progress(lead).sent_back == 0


def test_an_update_for_one_packet_is_refused_by_another_with_nothing_written(lead, tmp_path, dump):
    out = tmp_path / "u.json"
    send_back_to_packet(lead, [str(ana_doc(lead))], "ana", "Look again.", [], out)
    before = dump(tmp_path / "bo.db")
    with Store(tmp_path / "bo.db", "bo") as other, pytest.raises(UpdateError, match="apply it"):
        apply_update(other, out)
    assert dump(tmp_path / "bo.db") == before


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("not json", "not a send-back update"),
        ('{"kind": "something else"}', "not a send-back update"),
        ('{"kind": "annotator send-back update", "packet": "x", "send_backs": [{}]}', "damaged"),
    ],
)
def test_a_file_that_is_no_update_is_refused(lead, tmp_path, dump, content, says):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    before = dump(tmp_path / "ana.db")
    with Store(tmp_path / "ana.db", "ana") as packet, pytest.raises(UpdateError, match=says):
        apply_update(packet, path)
    assert dump(tmp_path / "ana.db") == before


def test_an_update_is_refused_with_nothing_written_when_no_one_packet_holds_the_work(
    lead, tmp_path, dump
):
    out = tmp_path / "u.json"
    with Store(tmp_path / "ana-own.db", "ana") as own:  # work of ana's made outside a packet
        with own.transaction():
            d = own.documents.insert(text="Another article.", text_hash="x", title="own")
        own.spans.add(d, 0, 7, "quote")
    merge_projects(lead, [tmp_path / "ana-own.db"])
    (other,) = lead.conn.execute("SELECT id FROM documents WHERE title = 'own'").fetchone()
    both = [str(ana_doc(lead)), str(other)]
    before = dump(lead.path)
    with pytest.raises(UpdateError, match="did not come back in a packet of this project"):
        send_back_to_packet(lead, both, "ana", "n", [], out)
    (out.parent / "taken.json").write_text("{}", encoding="utf-8")
    with pytest.raises(UpdateError, match="already there"):
        send_back_to_packet(lead, both[:1], "ana", "n", [], out.parent / "taken.json")
    assert dump(lead.path) == before and not out.exists()


def test_is_sent_back_answers_for_the_document_and_analyst_the_packet_carries(lead, tmp_path):
    """The window's quick test before it reads a send-back: true exactly where
    ``correction_of`` finds one."""
    from annotator.store.document_marks import is_sent_back

    doc = ana_doc(lead, 0)
    out = tmp_path / "ana-update.json"
    send_back_to_packet(lead, [str(doc)], "ana", "Look again.", [], out)
    with Store(tmp_path / "ana.db", "ana") as opened:
        assert not any(is_sent_back(opened.conn, d, "ana") for d in opened.documents.ids())
        apply_update(opened, out)
        seen = {
            (d, who): is_sent_back(opened.conn, d, who)
            for d in opened.documents.ids()
            for who in ("ana", "bo")
        }
        assert seen == {(d, who): correction_of(opened.conn, d, who) is not None for d, who in seen}
        assert sum(seen.values()) == 1
