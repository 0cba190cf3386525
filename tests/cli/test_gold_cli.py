"""`annotator gold`, `packet --gold`, `assign --gold` and `agreement --against gold` on the
command line: what they print, and every bad input refused in one line with nothing written."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from gold_project import curated_by_hash, gold_lead, relate, work_packet
from packet_project import lead_project, uneven_texts

from annotator.cli.main import cli
from annotator.store.project import Store
from annotator.team.assign import assign
from annotator.team.curation import settle
from annotator.team.gold_scores import score
from annotator.team.merge import merge_projects
from annotator.team.packets import assign_with_packets


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


def refused(result, says: str) -> None:
    assert result.exit_code != 0, result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output
    assert says in result.output, result.output


@pytest.fixture
def lead(tmp_path):
    """A lead's project of 12 documents: the first three curated, none gold yet."""
    with lead_project(tmp_path / "lead.db", uneven_texts(12)) as store:
        for doc in (1, 2, 3):
            store.spans.add(doc, 0, 7, "claim", origin="curated")
            settle(store, doc)
    return ["--db", str(tmp_path / "lead.db"), "--user", "lead"]


def test_gold_add_lists_and_removes_documents_by_number_or_id(lead):
    assert "No document is gold yet" in run(*lead, "gold").output
    added = run(*lead, "gold", "add", "1", "doc-1")
    assert added.exit_code == 0 and added.output == "Documents 1, 2 marked gold.\n"
    listed = run(*lead, "gold")
    assert listed.exit_code == 0
    assert listed.output.splitlines()[0].split() == [
        "1", "t0", "[doc-0]", "1", "curated", "span,", "settled;", "given", "to", "no", "one",
        "yet",
    ]  # fmt: skip
    data = json.loads(run(*lead, "gold", "--json").output)
    assert [(d["number"], d["id"], d["settled"], d["given_to"]) for d in data] == [
        (1, "doc-0", True, []),
        (2, "doc-1", True, []),
    ]
    assert run(*lead, "gold", "add", "2").output == "Document 2 was gold already.\n"
    removed = run(*lead, "gold", "remove", "2", "3")
    assert removed.output == "Document 2 no longer gold.\nDocument 3 was not gold.\n"
    assert [d["number"] for d in json.loads(run(*lead, "gold", "--json").output)] == [1]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["gold", "add", "1", "5"], "document 5 ('t4') has no curated layer to score against"),
        (["gold", "add", "99"], "no document 99 in"),
        (["gold", "remove", "1", "x"], "no document x in"),
        (["assign", "ana", "--gold", "1"], "--gold mixes gold documents into packets"),
        (["agreement", "--by", "day"], "--by follows scores against gold"),
        (["agreement", "--against", "gold", "--label", "nope"], "unknown label 'nope'"),
    ],
)
def test_bad_gold_input_is_refused_in_one_line_with_nothing_written(lead, dump, args, says):
    run(*lead, "gold", "add", "1")
    before = dump(lead[1])
    refused(run(*lead, *args), says)
    assert dump(lead[1]) == before


def test_a_packet_with_gold_on_the_command_line(lead, tmp_path, dump):
    run(*lead, "gold", "add", "1", "2", "3")
    assert run(*lead, "assign", "ana", "bo", "--seed", "1").exit_code == 0
    out = tmp_path / "ana.db"
    made = run(*lead, "packet", "ana", "-o", str(out), "--gold", "2", "--seed", "3", "--json")
    assert made.exit_code == 0, made.output
    data = json.loads(made.output)
    assert (data["gold"], data["seed"]) == (2, 3)
    with Store(out, "ana") as packet:
        assert packet.documents.count() == data["documents"]
    listed = json.loads(run(*lead, "gold", "--json").output)
    assert sum(d["given_to"] == ["ana"] for d in listed) == 2
    before = dump(lead[1])
    too_many = run(*lead, "packet", "bo", "-o", str(tmp_path / "bo.db"), "--gold", "4")
    refused(too_many, "--gold 4 asks for 4 gold documents 'bo' has never had, but 3 of the 3")
    assert dump(lead[1]) == before and not (tmp_path / "bo.db").exists()
    summary = run(*lead, "packet", "bo", "-o", str(tmp_path / "bo.db"), "--gold", "1")
    assert "1 of them gold (placed by seed" in summary.output
    progress = run(*lead, "progress")
    assert "gold done" in progress.output and "3 of the 12 documents are gold" in progress.output


def test_assign_with_packets_and_gold_on_the_command_line(lead, tmp_path):
    run(*lead, "gold", "add", "1", "2", "3")
    result = run(*lead, "assign", "ana", "bo", "--seed", "5", "--packets",
                 str(tmp_path / "out"), "--gold", "2", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["gold"] == 3 and data["assigned"] == 9
    assert [p["gold"] for p in data["packets"]] == [2, 2]


def test_agreement_against_gold_prints_the_figures_and_the_same_json(tmp_path):
    lead = gold_lead(tmp_path / "lead.db", documents=16, gold=6, seed=2)
    _, packets = assign_with_packets(lead, ["ana", "bo"], tmp_path / "out", seed=3, gold=4)
    reference = curated_by_hash(lead)
    for packet in packets:
        work_packet(packet.path, packet.analyst, reference, seed=1, every=4)
    merge_projects(lead, [p.path for p in packets])
    expected = score(lead, by="month").to_json()
    lead.close()
    db = ["--db", str(tmp_path / "lead.db")]
    as_json = run(*db, "agreement", "--against", "gold", "--by", "month", "--json")
    assert as_json.exit_code == 0 and json.loads(as_json.output) == expected
    text = run(*db, "agreement", "--against", "gold").output.splitlines()
    assert text[0].startswith("Against gold: 6 gold documents")
    assert "ana: 4 gold documents done (4 given as gold in packets)" in text
    heading = next(line for line in text if "exact P" in line)
    assert heading.split()[:2] == ["label", "ana/gold"] and "overlap F1" in heading
    assert any(line.strip().startswith("per week") for line in text)
    all_labels = next(line for line in text if line.strip().startswith("all labels"))
    f1 = expected["analysts"][0]["all"]["exact_f1"]
    assert f"{f1:.3f}" in all_labels


def test_agreement_against_gold_with_nothing_gold_says_so(tmp_path):
    with lead_project(tmp_path / "lead.db", uneven_texts(3)) as store:
        assign(store, ["ana"], seed=1)
    result = run("--db", str(tmp_path / "lead.db"), "agreement", "--against", "gold")
    assert result.exit_code == 0 and "No document is gold yet" in result.output


def test_curate_agreed_leaves_the_gold_documents_as_they_are(lead, dump):
    """Two analysts agreeing on a span of a gold document do not make it gold: the reference
    they are scored against changes only by hand."""
    run(*lead, "gold", "add", "1")
    for who in ("ana", "bo"):
        with Store(lead[1], who) as mine:
            for doc in (1, 4):
                mine.spans.add(doc, 2, 9, "quote")
                mine.statuses.set(doc, "done")
    gold_before = [r for r in dump(lead[1])["spans"] if r[1] == 1]
    result = run(*lead, "curate", "--agreed")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "1 agreed span put into the curated layer, over 1 document; 0 documents left out "
        "(fewer than two analysts marked them done).",
        "1 gold document left as it was: the curated layer analysts are scored against changes "
        "only by hand.",
    ]
    assert [r for r in dump(lead[1])["spans"] if r[1] == 1] == gold_before
    with Store(lead[1], "lead") as store:
        curated = store.conn.execute(
            "SELECT document_id, start, \"end\" FROM spans WHERE origin = 'curated'"
            " AND document_id = 4"
        ).fetchall()
    assert curated == [(4, 2, 9)]


def test_agreement_against_gold_prints_each_relation_type_beside_the_labels(tmp_path):
    text = "“We will build it,” said Mayor Ana Ruiz, who conceded costs may rise."
    with lead_project(tmp_path / "lead.db", [text]) as store:
        relate(store, 1, (0, 19, "quote"), (25, 39, "speaker"), "said_by", origin="curated")
        settle(store, 1)
    db = ["--db", str(tmp_path / "lead.db")]
    assert run(*db, "gold", "add", "1").exit_code == 0
    with Store(tmp_path / "lead.db", "ana") as ana:
        relate(ana, 1, (0, 19, "quote"), (25, 39, "speaker"), "said_by")
        relate(ana, 1, (1, 18, "quote"), (41, 44, "speaker"), "said_by")
        ana.statuses.set(1, "done")
    lines = run(*db, "agreement", "--against", "gold").output.splitlines()
    said_by = next(line for line in lines if line.strip().startswith("said_by"))
    assert said_by.split()[1:5] == ["2/1", "0.500", "1.000", "0.667"]
    assert next(line for line in lines if "all relations" in line).split()[2] == "2/1"
    assert "relations exact F1" in next(line for line in lines if "per week" in line)
    data = json.loads(run(*db, "agreement", "--against", "gold", "--json").output)
    assert data["analysts"][0]["relations"]["all"]["exact_matches"] == 1
