"""What a merge promises: the team project never holds what it would itself refuse (every
merge here is followed by an export read back in), a rename never makes two people one, an
older copy of a file never silently undoes newer work, a source is only read (nothing is
written beside it, and a folder the user may only read is fine), and a merge is one
transaction that a kill leaves whole."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli.main import cli
from annotator.formats.exporting import export
from annotator.formats.importing import import_paths
from annotator.model import check_attributes, text_hash
from annotator.store.project import Store
from annotator.team.merge import MergeError, merge_projects, parse_renames

TEXTS = [
    "The minister said the bridge opens in 2027. Critics doubt it.",
    "“We are on budget,” said Ana Ruiz. Costs rose anyway.",
    "Photo: Ana Ruiz at dawn. Admittedly, the works are late.",
]
STANCE = [{"name": "stance", "kind": "choice", "values": ["for", "against"]}]


def documents(store: Store) -> list[int]:
    """The three texts in a project (added when it lacks them), by index."""
    with store.transaction():
        return [
            store.documents.id_by_hash(text_hash(t))
            or store.documents.insert(text=t, text_hash=text_hash(t), title=f"t{i}")
            for i, t in enumerate(TEXTS)
        ]


def analyst(path: Path, who: str, spans=(), statuses=None) -> Path:
    """A project of one analyst: ``spans`` as (text index, start, end, label)."""
    with Store(path, who) as store:
        ids = documents(store)
        for index, start, end, label in spans:
            store.spans.add(ids[index], start, end, label)
        for index, status in (statuses or {0: "done"}).items():
            store.statuses.set(ids[index], status)
    return path


def with_stance(path: Path, who: str, declared, value: str) -> Path:
    """An analyst whose claim label declares ``declared`` and whose one claim has ``value``."""
    with Store(path, who) as store:
        store.labels.set_attributes("claim", declared)
        doc = documents(store)[0]
        claim = store.spans.add(doc, 0, 12, "claim")
        store.spans.set_attributes(claim.id, {"stance": value})
        store.statuses.set(doc, "done")
    return path


def assert_accepts_its_export(team: Path, folder: Path) -> None:
    """The team project holds nothing it would refuse: every span's attributes are declared
    by its label, every relation fits its type, and its own exports are read back without a
    refusal (a copy of it reads them, so that the project itself stays as the merge left it)."""
    folder.mkdir(exist_ok=True)
    jsonl = folder / "team.jsonl"
    with Store(team, "check") as store:
        labels = {label.name: label for label in store.labels.all()}
        kinds = {kind.name: kind for kind in store.relation_types.all()}
        for doc, spans in store.documents.stream():
            by_id = {s.id: s for s in spans}
            for span in spans:
                check_attributes(labels[span.label], span.attributes)
            for rel in store.relations.in_document(doc.id):
                assert kinds[rel.label].fits(by_id[rel.head].label, by_id[rel.child].label)
        export(store, "annotator", jsonl)
        export(store, "label-studio", folder / "team.json")
        copy = store.backup(folder / "copy.db")
    with Store(copy, "check") as again:
        report = import_paths(again, [jsonl])
    assert [str(r) for r in report.refused] == []
    shutil.rmtree(folder)


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of the tables a merge writes, to see that a refused merge wrote nothing."""
    conn = sqlite3.connect(path)
    try:
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}"), key=repr)
            for table in (
                "documents", "labels", "spans", "statuses", "relations", "relation_types",
                "changes", "merges", "work_sources", "curations",
            )
        }  # fmt: skip
    finally:
        conn.close()


def merged(team: Path, sources, renames=None, **options):
    with Store(team, "lead") as store:
        report = merge_projects(store, sources, renames, **options)
    assert_accepts_its_export(team, team.parent / "export-check")
    return report


def refused(team: Path, sources, renames=None, **options) -> str:
    """The refusal's message; the team project is left exactly as it was."""
    before = table_rows(team) if team.exists() else None
    with Store(team, "lead") as store, pytest.raises(MergeError) as refusal:
        merge_projects(store, sources, renames, **options)
    if before is not None:
        assert table_rows(team) == before
    message = str(refusal.value)
    assert "\n" not in message and "Nothing was merged" in message
    return message


# -- label attributes -----------------------------------------------------------------------


def test_a_labels_attribute_declarations_come_with_the_values(tmp_path):
    ana = with_stance(tmp_path / "ana.db", "ana", STANCE, "for")
    team = tmp_path / "team.db"
    report = merged(team, [ana])
    assert report.sources[0].attributes_added == ["claim.stance"]
    assert "label attributes added from it: claim.stance" in report.summary()
    assert report.to_json()["sources"][0]["attributes_added"] == ["claim.stance"]
    with Store(team, "lead") as store:
        assert store.labels.get("claim").attributes == STANCE
        assert [s.attributes for s in store.spans.in_document(1)] == [{"stance": "for"}]
    again = merged(team, [ana])
    assert not again.sources[0].added_anything


def test_a_label_new_to_the_team_comes_with_its_attributes(tmp_path):
    path = tmp_path / "ana.db"
    with Store(path, "ana") as store:
        store.labels.add("rumour", "#112233")
        store.labels.set_attributes("rumour", [{"name": "source", "kind": "text"}])
        rumour = store.spans.add(documents(store)[0], 0, 12, "rumour")
        store.spans.set_attributes(rumour.id, {"source": "a neighbour"})
    team = tmp_path / "team.db"
    report = merged(team, [path])
    assert report.sources[0].labels_added == ["rumour"]
    with Store(team, "lead") as store:
        assert store.labels.get("rumour").attributes == [{"name": "source", "kind": "text"}]


def test_two_choices_of_one_attribute_take_both_lists_of_values(tmp_path):
    ana = with_stance(tmp_path / "ana.db", "ana", STANCE, "for")
    wider = [{"name": "stance", "kind": "choice", "values": ["for", "against", "neutral"]}]
    bo = with_stance(tmp_path / "bo.db", "bo", wider, "neutral")
    team = tmp_path / "team.db"
    report = merged(team, [ana, bo])
    assert report.sources[1].attribute_values_added == {"claim.stance": ["neutral"]}
    assert "attribute values added from it: claim.stance (neutral)" in report.summary()
    with Store(team, "lead") as store:
        assert store.labels.get("claim").attributes[0]["values"] == ["for", "against", "neutral"]


def test_an_attribute_free_text_in_one_file_and_a_choice_in_another_is_refused(tmp_path):
    ana = with_stance(tmp_path / "ana.db", "ana", STANCE, "for")
    bo = with_stance(tmp_path / "bo.db", "bo", [{"name": "stance", "kind": "text"}], "unsure")
    team = tmp_path / "team.db"
    merged(team, [analyst(tmp_path / "cy.db", "cy", [(1, 0, 20, "quote")])])
    message = refused(team, [ana, bo])
    assert message == (
        f"{bo}: label 'claim' declares attribute 'stance' as free text, but {ana} declares it "
        "as a choice of for | against; make the two declarations agree, then merge again. "
        "Nothing was merged."
    )
    merged(team, [ana])  # the team project now declares the choice: the file is refused
    assert f"but the team project {team} declares it as a choice of for | against" in refused(
        team, [bo]
    )
    result = CliRunner().invoke(cli, ["merge", str(bo), "--into", str(team)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_a_value_its_label_no_longer_declares_is_refused_naming_the_span(tmp_path):
    ana = with_stance(tmp_path / "ana.db", "ana", STANCE, "for")
    with Store(ana, "ana") as store:  # the choices changed after the value was given
        store.labels.set_attributes(
            "claim", [{"name": "stance", "kind": "choice", "values": ["pro", "con"]}]
        )
    message = refused(tmp_path / "team.db", [ana])
    assert message.startswith(f"{ana}: document 't0': ana's claim span 0-12: attribute 'stance'")
    assert "must be one of pro, con, not 'for'" in message


def test_a_label_the_team_project_has_in_another_case_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "ana.db"
    with Store(path, "ana") as store:
        store.labels.add("rumour")
        store.spans.add(documents(store)[0], 0, 5, "rumour")
    team = tmp_path / "team.db"
    with Store(team, "lead") as store:
        store.labels.add("Rumour")
    assert refused(team, [path]) == (
        f"{path}: its label 'rumour' cannot be added to the team project (there is already a "
        "label 'Rumour'); rename one of the two, then merge again. Nothing was merged."
    )


# -- relation types -----------------------------------------------------------------------


def caption_said_by(path: Path, who: str, heads=("quote", "caption")) -> Path:
    """An analyst whose said_by type also allows a caption as its head, and who used it."""
    with Store(path, who) as store:
        store.relation_types.update("said_by", heads=list(heads))
        doc = documents(store)[2]
        caption = store.spans.add(doc, 0, 24, "caption")
        speaker = store.spans.add(doc, 7, 15, "speaker")
        store.relations.add(caption.id, speaker.id, "said_by")
        store.statuses.set(doc, "done")
    return path


def test_a_relation_type_of_the_same_name_is_widened_to_allow_the_files_ends(tmp_path):
    bo = caption_said_by(tmp_path / "bo.db", "bo")
    team = tmp_path / "team.db"
    report = merged(team, [bo])
    widened = {"name": "said_by", "heads": ["quote", "caption"], "children": ["speaker"]}
    assert report.sources[0].relation_types_widened == [widened]
    assert report.to_json()["sources"][0]["relation_types_widened"] == [widened]
    assert (
        "relation types widened to allow its ends too: said_by "
        "(now from quote or caption to speaker)" in report.summary()
    )
    with Store(team, "lead") as store:
        assert store.relation_types.get("said_by").heads == ["quote", "caption"]
        assert len(store.relations.in_document(3)) == 1
    assert not merged(team, [bo]).sources[0].added_anything


def test_a_file_whose_type_allows_any_label_widens_the_team_type_to_any(tmp_path):
    bo = caption_said_by(tmp_path / "bo.db", "bo", heads=())
    team = tmp_path / "team.db"
    merged(team, [bo])
    with Store(team, "lead") as store:
        assert store.relation_types.get("said_by").heads == []


def test_a_relation_its_own_type_does_not_allow_is_refused(tmp_path):
    bo = caption_said_by(tmp_path / "bo.db", "bo")
    conn = sqlite3.connect(bo)  # as another program might leave it
    with conn:
        conn.execute("UPDATE relation_types SET heads = '[\"quote\"]' WHERE name = 'said_by'")
    conn.close()
    message = refused(tmp_path / "team.db", [bo])
    assert message.startswith(
        f"{bo}: a said_by relation by bo on document 't2' goes from caption to speaker"
    )


# -- renames ------------------------------------------------------------------------------


@pytest.fixture
def ana_bo(tmp_path):
    ana = analyst(tmp_path / "ana.db", "ana", [(0, 0, 12, "claim")], {0: "done"})
    bo = analyst(tmp_path / "bo.db", "bo", [(1, 0, 20, "quote")], {1: "in_progress"})
    return ana, bo


def test_a_rename_onto_an_analyst_the_team_project_has_is_refused(ana_bo, tmp_path):
    ana, bo = ana_bo
    team = tmp_path / "team.db"
    merged(team, [bo])
    message = refused(team, [ana], {"ana": "bo"})
    assert message == (
        f"--rename ana=bo: the team project {team} already has work by an analyst 'bo' (from "
        f"{bo}), and the work of 'ana' would become theirs; choose a name no one has. "
        "Nothing was merged."
    )
    result = CliRunner().invoke(cli, ["merge", str(ana), "--into", str(team), "--rename", "ana=bo"])
    assert result.exit_code == 1 and "already has work by an analyst 'bo'" in result.output


def test_a_rename_onto_an_analyst_of_another_file_of_the_merge_is_refused(ana_bo, tmp_path):
    ana, bo = ana_bo
    message = refused(tmp_path / "team.db", [ana, bo], {"ana": "bo"})
    assert message.startswith(f"--rename ana=bo: {bo} already has an analyst 'bo'")


def test_a_rename_onto_another_analyst_of_the_same_file_is_refused(ana_bo, tmp_path):
    ana, bo = ana_bo
    both = tmp_path / "both.db"
    merged(both, [ana, bo])  # a file holding two analysts' work
    message = refused(tmp_path / "team.db", [both], {"ana": "bo"})
    assert message.startswith(f"--rename ana=bo: {both} already has an analyst 'bo'")


def test_a_rename_onto_a_curator_of_the_team_project_is_refused(ana_bo, tmp_path):
    ana, bo = ana_bo
    team = tmp_path / "team.db"
    merged(team, [bo])
    with Store(team, "cur") as store:
        store.spans.add(2, 0, 20, "quote", origin="curated")
    message = refused(team, [ana], {"ana": "cur"})
    assert "already has work by an analyst 'cur' (made in the team project itself)" in message


def test_the_same_rename_again_and_a_swap_are_merged(ana_bo, tmp_path):
    ana, bo = ana_bo
    team = tmp_path / "team.db"
    merged(team, [ana], {"ana": "ana-b"})
    assert not merged(team, [ana], {"ana": "ana-b"}).sources[0].added_anything
    both = tmp_path / "both.db"
    merged(both, [ana, bo])
    swapped = tmp_path / "swapped.db"
    merged(swapped, [both], {"ana": "bo", "bo": "ana"})
    with Store(swapped, "lead") as store:
        assert [(s.annotator, s.label) for s in store.spans.in_document(1)] == [("bo", "claim")]
        assert [(s.annotator, s.label) for s in store.spans.in_document(2)] == [("ana", "quote")]


def test_two_names_renamed_to_one_are_refused():
    with pytest.raises(MergeError, match="gives 'ana' and 'bo' the same new name 'x'"):
        parse_renames(["ana=x", "bo=x"])


# -- an older copy of a file merged before ------------------------------------------------


@pytest.fixture
def went_on(tmp_path):
    """ana's file merged, a backup of it as it was, then more work in the file: a span
    added, one removed, a relation added, a status changed; merged again."""
    ana = analyst(tmp_path / "ana.db", "ana", [(0, 0, 12, "claim"), (1, 0, 20, "quote")])
    team = tmp_path / "team.db"
    merged(team, [ana])
    with Store(ana, "ana") as store:
        backup = store.backup(tmp_path / "ana-backup.db")
        quote = store.spans.in_document(2)[0]
        speaker = store.spans.add(2, 25, 33, "speaker")
        store.relations.add(quote.id, speaker.id, "said_by")
        store.spans.delete(store.spans.in_document(1)[0].id)
        store.statuses.set(1, "in_progress")
    merged(team, [ana])
    return ana, backup, team


def _work(team: Path) -> list[tuple]:
    with Store(team, "lead") as store:
        return [
            (s.document_id, s.start, s.end, s.label, s.annotator)
            for _, spans in store.documents.stream()
            for s in spans
        ] + [(r.document_id, r.label) for d in (1, 2, 3) for r in store.relations.in_document(d)]


def test_an_older_copy_of_a_merged_file_is_refused_saying_what_it_would_undo(went_on):
    ana, backup, team = went_on
    message = refused(team, [backup])
    assert message == (
        f"{backup} is older than the work merged from it before (its history has 12 entries; "
        f"16 were merged from {ana}): merging it would undo newer work (ana: 1 span removed, "
        "1 span added, 1 relation removed, 1 status changed). Nothing was merged; to take the "
        "team project back to this file's work, merge it with --allow-older."
    )
    result = CliRunner().invoke(cli, ["merge", str(backup), "--into", str(team)])
    assert result.exit_code == 1 and "--allow-older" in result.output


def test_allow_older_takes_the_team_project_back_and_the_newer_file_forward(went_on, tmp_path):
    ana, backup, team = went_on
    newest = _work(team)
    result = CliRunner().invoke(
        cli, ["merge", str(backup), "--into", str(team), "--allow-older", "--json"]
    )
    assert result.exit_code == 0, result.output
    (source,) = json.loads(result.output)["sources"]
    assert source["older_copy"] is True and source["spans_removed"] == 1
    assert_accepts_its_export(team, tmp_path / "check")
    alone = tmp_path / "alone.db"
    merged(alone, [backup])
    assert _work(team) == _work(alone)  # the backup's work, exactly
    again = merged(team, [ana])  # the newest file again: forward, not refused
    assert again.sources[0].older is None and again.sources[0].spans_added == 1
    assert _work(team) == newest


def test_the_older_copy_is_said_in_the_report_when_allowed(went_on):
    ana, backup, team = went_on
    report = merged(team, [backup], allow_older=True)
    assert (
        "  older than the work merged from it before (its history has 12 entries; 16 were "
        f"merged from {ana}); as --allow-older asked, its work replaced the newer (ana: 1 span "
        "removed, 1 span added, 1 relation removed, 1 status changed)"
    ) in report.summary()


def test_a_copy_whose_history_parted_from_the_merged_file_is_refused(went_on):
    ana, backup, team = went_on
    with Store(backup, "ana") as store:  # worked on in the backup too, another way
        for start in range(13, 43, 3):
            store.spans.add(1, start, start + 2, "claim")
    message = refused(team, [backup])
    assert message.startswith(
        f"{backup} is older than the work merged from it before (its history parts from the "
        f"one merged from {ana} before entry 16): merging it would undo newer work (ana: "
    )


def test_an_older_copy_that_would_change_nothing_is_merged(tmp_path):
    ana = analyst(tmp_path / "ana.db", "ana", [(0, 0, 12, "claim")])
    with Store(ana, "ana") as store:
        backup = store.backup(tmp_path / "ana-backup.db")
        span = store.spans.add(1, 0, 20, "quote")  # made and taken back: only history
        store.spans.delete(span.id)
    team = tmp_path / "team.db"
    merged(team, [ana])
    assert not merged(team, [backup]).sources[0].added_anything


# -- reading a source ---------------------------------------------------------------------


def _beside(path: Path) -> dict[str, bytes | None]:
    """The files in a source's folder, with what they hold: all but the -shm, SQLite's index
    of the -wal, which every program reading the file keeps up to date."""
    return {
        p.name: None if p.name.endswith("-shm") else p.read_bytes()
        for p in sorted(path.parent.iterdir())
    }


def _in_a_folder(path: Path, folder: Path, name: str | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy(path, folder / (name or path.name)))


@pytest.mark.parametrize("name", ["ana.db", "ana #1?%.db"])  # the second, URIs would misread
def test_a_merge_writes_nothing_beside_its_sources(ana_bo, tmp_path, name):
    ana = _in_a_folder(ana_bo[0], tmp_path / "sources", name)
    before = _beside(ana)
    report = merged(tmp_path / "team.db", [ana])
    assert report.sources[0].spans_added == 1
    assert _beside(ana) == before


WRITER = """
import sys, time
from annotator.store.project import Store
store = Store(sys.argv[1], "ana")
store.spans.add(3, 0, 24, "caption")
store.statuses.set(3, "done")
print("saved", flush=True)
time.sleep(60)
"""


def _writer(path: Path) -> subprocess.Popen:
    """Another program (an analyst's window) that saved a span and keeps the file open."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline() == "saved\n"
    return proc


def _left_by_killed_writer(path: Path, keep_shm: bool) -> None:
    """The file as a killed window leaves it: its last save still in the -wal."""
    proc = _writer(path)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert Path(f"{path}-wal").stat().st_size > 0
    if not keep_shm:
        Path(f"{path}-shm").unlink()


def _caption_merged(team: Path) -> bool:
    with Store(team, "lead") as store:
        return any(
            s.label == "caption" and s.annotator == "ana" for s in store.spans.in_document(3)
        )


def test_a_source_open_in_a_window_is_read_with_its_latest_save(ana_bo, tmp_path):
    ana = _in_a_folder(ana_bo[0], tmp_path / "sources")
    proc = _writer(ana)
    try:
        before = _beside(ana)
        merged(tmp_path / "team.db", [ana])
        assert _beside(ana) == before
    finally:
        proc.kill()
        proc.wait()
    assert _caption_merged(tmp_path / "team.db")


@pytest.mark.parametrize("keep_shm", [True, False], ids=["wal-and-shm", "wal-alone"])
def test_a_source_a_killed_window_left_is_read_with_its_last_save(ana_bo, tmp_path, keep_shm):
    ana = _in_a_folder(ana_bo[0], tmp_path / "sources")
    _left_by_killed_writer(ana, keep_shm)
    before = _beside(ana)
    merged(tmp_path / "team.db", [ana])
    assert _caption_merged(tmp_path / "team.db")
    assert _beside(ana) == before


BUSY_WRITER = """
import random, sys, time
from annotator.store.project import Store
start = 0
while True:
    with Store(sys.argv[1], "ana") as store, store.transaction():
        for _ in range(2):  # two at a time: a reader sees both or neither
            store.spans.add(3, start % 50, start % 50 + 4, "caption")
            start += 1
    print("saved", flush=True)
    time.sleep(random.random() / 50)
"""


@pytest.mark.slow
def test_a_source_a_program_keeps_opening_and_saving_is_read_whole(ana_bo, tmp_path):
    ana = _in_a_folder(ana_bo[0], tmp_path / "sources")
    proc = subprocess.Popen(
        [sys.executable, "-c", BUSY_WRITER, str(ana)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "saved\n"
        for round_ in range(6):
            team = tmp_path / f"team-{round_}.db"
            merged(team, [ana])
            with Store(team, "lead") as store:
                captions = [s for s in store.spans.in_document(3) if s.label == "caption"]
            assert captions and len(captions) % 2 == 0
    finally:
        proc.kill()
        proc.wait()


READ_ONLY_VIEW = """
folder=$1; shift
mount --bind "$folder" "$folder" && mount -o remount,bind,ro "$folder" || exit 97
touch "$folder/.probe" 2>/dev/null && exit 98
exec "$@"
"""


def _merge_from_read_only_folder(folder: Path, source: Path, team: Path) -> str:
    """`annotator merge` run where ``folder`` may only be read: chmod'ed for a user, and for
    root (whom chmod does not stop) a read-only view of it in a mount namespace of its own."""
    command = [sys.executable, "-m", "annotator", "merge", str(source), "--into", str(team)]
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            done = subprocess.run(command, capture_output=True, text=True)
        finally:
            folder.chmod(0o755)
    else:
        if shutil.which("unshare") is None:
            pytest.skip("root, and no unshare to make a read-only folder with")
        done = subprocess.run(
            ["unshare", "-m", "sh", "-c", READ_ONLY_VIEW, "sh", str(folder), *command],
            capture_output=True,
            text=True,
        )
        if done.returncode in (97, 98):
            pytest.skip("root, and no read-only view of a folder can be made here")
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("state", ["closed", "wal-and-shm", "wal-alone"])
def test_a_source_in_a_folder_the_user_may_only_read_is_merged(ana_bo, tmp_path, state):
    folder = tmp_path / "shared"
    ana = _in_a_folder(ana_bo[0], folder)
    if state != "closed":
        _left_by_killed_writer(ana, keep_shm=state == "wal-and-shm")
    before = _beside(ana)
    team = tmp_path / "team.db"
    out = _merge_from_read_only_folder(folder, ana, team)
    assert f"{ana} (ana): 3 documents added" in out
    assert _caption_merged(team) is (state != "closed")
    assert _beside(ana) == before
    assert_accepts_its_export(team, tmp_path / "check")


# -- one transaction ----------------------------------------------------------------------


def test_a_merge_refused_at_its_last_file_leaves_the_first_files_out_too(ana_bo, tmp_path):
    ana, bo = ana_bo
    text_bo = with_stance(tmp_path / "text.db", "cy", [{"name": "stance", "kind": "text"}], "?")
    claim = with_stance(tmp_path / "choice.db", "dee", STANCE, "for")
    team = tmp_path / "team.db"
    merged(team, [bo])
    refused(team, [ana, claim, text_bo])
    with Store(team, "lead") as store:
        assert {s.annotator for s in store.spans.in_document(1)} == set()


def _big_source(path: Path, documents: int) -> Path:
    with Store(path, "ana") as store, store.transaction():
        for i in range(documents):
            text = f"Article {i}: the council said the tram would run by 2027. Critics doubt it."
            doc = store.documents.insert(text=text, text_hash=text_hash(text), title=f"a{i}")
            for start in range(0, 60, 6):
                store.spans.add(doc, start, start + 5, "claim")
            store.statuses.set(doc, "done")
    return path


def _state(team: Path) -> tuple:
    conn = sqlite3.connect(team)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "spans", "statuses", "changes", "merges", "work_sources")
        )
    finally:
        conn.close()


@pytest.mark.slow
def test_a_killed_merge_leaves_the_team_project_as_it_was_or_merged(ana_bo, tmp_path):
    big = _big_source(tmp_path / "big.db", 600)
    start = tmp_path / "start.db"
    merged(start, [ana_bo[1]])
    before = _state(start)
    command = [sys.executable, "-m", "annotator", "merge", str(big), "--into"]
    finished = tmp_path / "finished.db"
    shutil.copy(start, finished)
    began = time.monotonic()
    subprocess.run([*command, str(finished)], check=True, capture_output=True)
    took = time.monotonic() - began
    after = _state(finished)
    assert after != before
    seen = set()
    for fraction in (0.4, 0.6, 0.75, 0.9):
        team = tmp_path / f"team-{fraction}.db"
        shutil.copy(start, team)
        proc = subprocess.Popen([*command, str(team)], stdout=subprocess.PIPE)
        time.sleep(took * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        state = _state(team)
        assert state in (before, after)
        if state not in seen:
            assert_accepts_its_export(team, tmp_path / "check")
        seen.add(state)
    assert before in seen  # the kills did land mid-merge
