"""`annotator gold`, `packet --gold`, `assign --gold` and `agreement --against gold` on the
command line: what they print, and every bad input refused in one line with nothing written."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from packet_project import lead_project, uneven_texts

from annotator.cli.main import cli
from annotator.store.project import Store
from annotator.team.curation import settle


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
