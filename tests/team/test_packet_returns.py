"""A returned packet is merged only into the project that made it, under the analyst it was
made for, from the one copy annotated, and never after a newer packet for the same documents
came back; each refusal says why, names the files, and leaves the team project as it was."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from packet_project import lead_project, uneven_texts

from annotator.cli.main import cli
from annotator.store.project import Store
from annotator.team.assign import assign
from annotator.team.merge import MergeError, merge_projects
from annotator.team.packets import write_packet


@pytest.fixture
def lead(tmp_path):
    """A lead's project of 12 documents, assigned to ana and bo."""
    store = lead_project(tmp_path / "lead.db", uneven_texts(12))
    assign(store, ["ana", "bo"], seed=5)
    yield store
    store.close()


def annotate(path, user: str, documents: slice) -> None:
    """Work in a packet as ``user``: a claim on each of those documents, marked done."""
    with Store(path, user) as packet:
        for doc in packet.documents.ids()[documents]:
            packet.spans.add(doc, 0, 7, "claim")
            packet.statuses.set(doc, "done")


def refused(team: Store, sources, dump, **options) -> str:
    """The message a merge is refused with; every table of the team project as it was."""
    before = dump(team.path)
    with pytest.raises(MergeError) as refusal:
        merge_projects(team, sources, **options)
    assert dump(team.path) == before
    return str(refusal.value)


# -- from another project ---------------------------------------------------------------------


def test_a_packet_of_another_project_is_refused_naming_both_files(lead, tmp_path, dump):
    other = lead_project(tmp_path / "other.db", uneven_texts(12))
    assign(other, ["ana"], seed=1)
    write_packet(other, "ana", tmp_path / "ana.db")
    other.close()
    annotate(tmp_path / "ana.db", "ana", slice(0, 2))
    message = refused(lead, [tmp_path / "ana.db"], dump)
    assert message == (
        f"{tmp_path / 'ana.db'} is a packet of another project: it says it belongs to the "
        f"project at other.db, and {lead.path} is not that project. Merge it into the project "
        "that made it. Nothing was merged."
    )


def test_a_packet_returned_to_a_team_project_of_its_own_is_refused(lead, tmp_path, dump):
    write_packet(lead, "ana", tmp_path / "ana.db")
    annotate(tmp_path / "ana.db", "ana", slice(0, 2))
    with Store(tmp_path / "team.db", "lead") as team:
        message = refused(team, [tmp_path / "ana.db"], dump)
    assert "is a packet of another project" in message and "lead.db" in message
    result = CliRunner().invoke(
        cli, ["merge", str(tmp_path / "ana.db"), "--into", str(tmp_path / "team.db")]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "is a packet of another project" in result.output


def test_a_packet_made_from_a_copy_of_the_lead_project_is_refused(lead, tmp_path, dump):
    copy = lead.backup(tmp_path / "lead-copy.db")
    with Store(copy, "lead") as copied:
        write_packet(copied, "ana", tmp_path / "ana.db")
    annotate(tmp_path / "ana.db", "ana", slice(0, 2))
    message = refused(lead, [tmp_path / "ana.db"], dump)
    assert message == (
        f"{tmp_path / 'ana.db'} says it is a packet of this project, but {lead.path} never made "
        "it: it was made from a copy of this project (the copy at lead-copy.db, or one copied "
        "before it). Merge it into the copy that made it. Nothing was merged."
    )


def test_a_packet_merges_into_the_project_that_made_it(lead, tmp_path):
    write_packet(lead, "ana", tmp_path / "ana.db")
    annotate(tmp_path / "ana.db", "ana", slice(0, 2))
    report = merge_projects(lead, [tmp_path / "ana.db"])
    assert report.sources[0].spans_added == 2


# -- opened twice -----------------------------------------------------------------------------


@pytest.fixture
def two_copies(lead, tmp_path):
    """ana's packet copied before she began; the first copy annotated and merged back."""
    first = tmp_path / "ana.db"
    write_packet(lead, "ana", first)
    second = shutil.copy(first, tmp_path / "ana-laptop.db")
    annotate(first, "ana", slice(0, 2))
    merge_projects(lead, [first])
    return first, second


def test_a_packet_annotated_in_two_copies_is_refused_naming_both(lead, two_copies, dump):
    first, second = two_copies
    annotate(second, "ana", slice(2, 6))  # a longer history, forked from the first's
    message = refused(lead, [second], dump, allow_older=True)
    assert message == (
        f"{second} and {first} are two copies of ana's packet, opened and annotated apart: "
        "their histories part within the first 6 entries, and the work of "
        f"{first} was merged already. Merging this copy would mix the two or replace that "
        "work. Nothing was merged. Keep one copy (carry into it what the other holds) and "
        "merge that one."
    )


def test_two_copies_of_a_packet_in_one_merge_are_refused(lead, tmp_path, dump):
    first = tmp_path / "ana.db"
    write_packet(lead, "ana", first)
    second = shutil.copy(first, tmp_path / "ana-laptop.db")
    annotate(first, "ana", slice(0, 2))
    annotate(second, "ana", slice(3, 6))
    message = refused(lead, [first, second], dump)
    assert message.startswith(f"{second} and {first} are two copies of ana's packet")


def test_the_same_copy_going_on_merges_and_an_older_copy_is_refused_as_before(
    lead, two_copies, tmp_path, dump
):
    first, _ = two_copies
    with Store(first, "ana") as store:
        backup = store.backup(tmp_path / "ana-backup.db")
    annotate(first, "ana", slice(2, 4))  # the same copy, further on
    assert merge_projects(lead, [first]).sources[0].spans_added == 2
    message = refused(lead, [backup], dump)
    assert message.startswith(
        f"{backup} is older than the work merged from it before (its history has 6 entries; "
        f"12 were merged from {first}): merging it would undo newer work (ana: 2 spans removed"
    )


# -- stale ------------------------------------------------------------------------------------


def test_an_older_packet_after_a_newer_one_came_back_is_refused_naming_it(lead, tmp_path, dump):
    old = tmp_path / "ana-1.db"
    write_packet(lead, "ana", old)
    annotate(old, "ana", slice(0, 1))
    newer = write_packet(lead, "ana", tmp_path / "ana-2.db", everything=True)  # sent again
    annotate(newer.path, "ana", slice(1, 3))
    merge_projects(lead, [newer.path])
    message = refused(lead, [old], dump)
    made_at, merged_at = lead.conn.execute(
        "SELECT p.made_at, m.merged_at FROM packets p JOIN merges m ON m.source_project = p.id"
        " WHERE p.id = ?",
        (newer.packet_id,),
    ).fetchone()
    count = len(lead.conn.execute("SELECT 1 FROM assignments WHERE analyst = 'ana'").fetchall())
    assert message == (
        f"{old} is a stale packet: {count} of its documents went to ana again in a newer "
        f"packet, {newer.packet_id} ({newer.path}, made {made_at}), whose work came back on "
        f"{merged_at}. Merging this older one would take that work back in time. Nothing was "
        "merged."
    )


def test_an_older_packet_merged_before_and_unchanged_merges_as_nothing_again(lead, tmp_path):
    old = tmp_path / "ana-1.db"
    write_packet(lead, "ana", old)
    annotate(old, "ana", slice(0, 1))
    merge_projects(lead, [old])
    newer = write_packet(lead, "ana", tmp_path / "ana-2.db", everything=True)
    annotate(newer.path, "ana", slice(1, 3))
    report = merge_projects(lead, [old, newer.path])
    assert not report.sources[0].added_anything and report.sources[1].spans_added == 2


def test_a_packet_for_other_documents_is_no_newer_packet_of_these(lead, tmp_path):
    write_packet(lead, "ana", tmp_path / "ana.db")
    bo = write_packet(lead, "bo", tmp_path / "bo.db")
    annotate(bo.path, "bo", slice(0, 2))
    annotate(tmp_path / "ana.db", "ana", slice(0, 2))
    merge_projects(lead, [bo.path])
    assert merge_projects(lead, [tmp_path / "ana.db"]).sources[0].spans_added == 2


# -- under another analyst's name ---------------------------------------------------------------


def test_work_under_another_name_inside_a_packet_is_refused_unless_renamed_onto_its_analyst(
    lead, tmp_path, dump
):
    write_packet(lead, "ana", tmp_path / "ana.db")
    annotate(tmp_path / "ana.db", "anna", slice(0, 2))  # opened with --user anna
    message = refused(lead, [tmp_path / "ana.db"], dump)
    assert message == (
        f"{tmp_path / 'ana.db'} is ana's packet, but holds work by 'anna', which would be "
        "merged as theirs, not ana's. If they are ana, merge it with --rename anna=ana. "
        "Nothing was merged."
    )
    report = merge_projects(lead, [tmp_path / "ana.db"], {"anna": "ana"})
    assert report.sources[0].analysts == ["ana"]


def test_a_rename_of_a_packets_analyst_is_refused_unless_asked_for(lead, tmp_path, dump):
    write_packet(lead, "ana", tmp_path / "ana.db")
    annotate(tmp_path / "ana.db", "ana", slice(0, 2))
    message = refused(lead, [tmp_path / "ana.db"], dump, renames={"ana": "cy"})
    assert message == (
        f"{tmp_path / 'ana.db'} is ana's packet: --rename ana=cy would merge its work as cy's. "
        "Nothing was merged. To merge a packet under another name than the analyst it was "
        "made for, add --allow-other-analyst."
    )
    result = CliRunner().invoke(
        cli,
        ["merge", str(tmp_path / "ana.db"), "--into", str(lead.path), "--rename", "ana=cy"],
    )
    assert result.exit_code == 1 and "--allow-other-analyst" in result.output
    result = CliRunner().invoke(
        cli,
        ["merge", str(tmp_path / "ana.db"), "--into", str(lead.path), "--rename", "ana=cy",
         "--allow-other-analyst", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '"cy"' in result.output


# -- which packet the work came from --------------------------------------------------------------


def test_packets_lists_each_packet_and_what_came_back_of_it(lead, tmp_path):
    ana = write_packet(lead, "ana", tmp_path / "ana.db")
    bo = write_packet(lead, "bo", tmp_path / "bo.db")
    annotate(ana.path, "ana", slice(0, 3))
    with Store(ana.path, "ana") as packet:  # begun, not done: no document back done
        packet.spans.add(packet.documents.ids()[3], 0, 5, "claim")
    merge_projects(lead, [ana.path])
    result = CliRunner().invoke(cli, ["--db", str(lead.path), "packets", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    merged_at = lead.conn.execute(
        "SELECT merged_at FROM merges WHERE source_project = ?", (ana.packet_id,)
    ).fetchone()[0]
    made = dict(lead.conn.execute("SELECT id, made_at FROM packets"))
    assert listed == [
        {"id": ana.packet_id, "analyst": "ana", "made_at": made[ana.packet_id], "made_by": "lead",
         "documents": ana.documents, "path": str(ana.path), "returned_at": merged_at, "done": 3},
        {"id": bo.packet_id, "analyst": "bo", "made_at": made[bo.packet_id], "made_by": "lead",
         "documents": bo.documents, "path": str(bo.path), "returned_at": None, "done": 0},
    ]  # fmt: skip
    table = CliRunner().invoke(cli, ["--db", str(lead.path), "packets"]).output.splitlines()
    assert table[0].split() == [
        "packet",
        "analyst",
        "made",
        "documents",
        "returned",
        "done",
        "file",
    ]
    assert table[1].split() == [
        ana.packet_id,
        "ana",
        made[ana.packet_id],
        str(ana.documents),
        merged_at,
        "3",
        str(ana.path),
    ]
    assert table[2].split()[-4:] == ["not", "yet", "0", str(bo.path)]
    assert table[-1] == "2 packets, 1 of them returned."


def test_packets_in_a_project_that_made_none_says_so(tmp_path):
    Store(tmp_path / "p.db", "ana").close()
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "p.db"), "packets"])
    assert result.exit_code == 0 and result.output.startswith("No packet has been made yet")
