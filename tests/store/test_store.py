"""The project database: settings, labels, documents, spans, history and transactions."""

from __future__ import annotations

import json
import sqlite3

import pytest

from annotator.model import LabelError, SpanError
from annotator.resources import default_labels
from annotator.store.project import BUSY_TIMEOUT_MS, LabelInUse, Store


def span_rows(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute(
        'SELECT s.document_id, s.start, s."end", l.name, s.text, s.annotator, s.note'
        " FROM spans s JOIN labels l ON l.id = s.label_id ORDER BY s.id"
    ).fetchall()


def status_of(conn: sqlite3.Connection, document_id: int) -> str:
    return conn.execute("SELECT status FROM documents WHERE id = ?", (document_id,)).fetchone()[0]


# -- connection settings ------------------------------------------------------------------------


def test_store_uses_write_ahead_logging(store, raw):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # WAL is a property of the file, so another program sees it too.
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_enforces_foreign_keys(store):
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            'INSERT INTO spans (document_id, start, "end", label_id, text, annotator,'
            " created_at, updated_at) VALUES (999, 0, 1, 1, 'x', 't', 'now', 'now')"
        )


def test_store_waits_for_a_busy_project_instead_of_failing_at_once(store):
    assert BUSY_TIMEOUT_MS >= 5000
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS


def test_store_syncs_every_commit_to_disk(store):
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_store_autocommits_outside_its_transactions(store):
    assert store.conn.isolation_level is None
    assert not store.conn.in_transaction


# -- default labels -----------------------------------------------------------------------------


def test_new_project_has_the_default_label_scheme(store):
    labels = store.labels.all()
    assert [lab.name for lab in labels] == ["claim", "quote", "caption", "concession", "speaker"]
    assert [lab.hotkey for lab in labels] == ["1", "2", "3", "4", "5"]
    spec = {d["name"]: d for d in default_labels()}
    for lab in labels:
        assert lab.color == spec[lab.name]["color"].lower()
        assert lab.definition == spec[lab.name]["definition"]
        assert len(lab.definition) > 40


def test_default_label_file_has_distinct_names_hotkeys_and_colours():
    spec = default_labels()
    assert len({d["name"] for d in spec}) == len(spec) == 5
    assert len({d["hotkey"] for d in spec}) == 5
    assert len({d["color"].lower() for d in spec}) == 5
    assert all(d["definition"].strip() for d in spec)


def test_new_project_records_when_and_by_what_it_was_made(store):
    assert store.get_setting("created_by").startswith("annotator ")
    assert store.get_setting("created_at")


def test_reopening_a_project_does_not_add_the_default_labels_again(tmp_path):
    Store(tmp_path / "p.db").close()
    with Store(tmp_path / "p.db") as again:
        assert len(again.labels.all()) == 5


# -- every change is committed on return -------------------------------------------------------


def test_add_label_is_visible_to_another_connection_at_once(store, raw):
    store.labels.add("source")
    assert raw.execute("SELECT count(*) FROM labels WHERE name = 'source'").fetchone()[0] == 1


def test_update_label_is_visible_to_another_connection_at_once(store, raw):
    store.labels.update("claim", color="#123456")
    assert raw.execute("SELECT color FROM labels WHERE name = 'claim'").fetchone()[0] == "#123456"


def test_delete_label_is_visible_to_another_connection_at_once(store, raw):
    store.labels.delete("caption")
    assert raw.execute("SELECT count(*) FROM labels WHERE name = 'caption'").fetchone()[0] == 0


def test_add_span_is_visible_to_another_connection_at_once(store, raw, add_doc):
    doc = add_doc("The council approved the budget.")
    store.spans.add(doc, 4, 11, "claim")
    assert span_rows(raw) == [(doc, 4, 11, "claim", "council", "tester", None)]
    assert status_of(raw, doc) == "in_progress"


def test_move_span_is_visible_to_another_connection_at_once(store, raw, add_doc):
    doc = add_doc("The council approved the budget.")
    span = store.spans.add(doc, 4, 11, "claim")
    store.spans.move(span.id, 12, 20)
    assert span_rows(raw)[0][1:5] == (12, 20, "claim", "approved")


def test_relabel_span_is_visible_to_another_connection_at_once(store, raw, add_doc):
    doc = add_doc("The council approved the budget.")
    span = store.spans.add(doc, 4, 11, "claim")
    store.spans.relabel(span.id, "quote")
    assert span_rows(raw)[0][3] == "quote"


def test_set_note_is_visible_to_another_connection_at_once(store, raw, add_doc):
    doc = add_doc("The council approved the budget.")
    span = store.spans.add(doc, 4, 11, "claim")
    store.spans.set_note(span.id, "check the minutes")
    assert span_rows(raw)[0][6] == "check the minutes"


def test_delete_span_is_visible_to_another_connection_at_once(store, raw, add_doc):
    doc = add_doc("The council approved the budget.")
    span = store.spans.add(doc, 4, 11, "claim")
    store.spans.delete(span.id)
    assert span_rows(raw) == []


def test_set_status_is_visible_to_another_connection_at_once(store, raw, add_doc):
    doc = add_doc("The council approved the budget.")
    store.statuses.set(doc, "done")
    assert status_of(raw, doc) == "done"


def test_set_setting_is_visible_to_another_connection_at_once(store, raw):
    store.set_setting("guideline", {"version": 2})
    row = raw.execute("SELECT value FROM project WHERE key = 'guideline'").fetchone()
    assert json.loads(row[0]) == {"version": 2}


def test_a_failed_transaction_leaves_nothing_behind(store, raw, add_doc, dump):
    before = dump(store.path)
    with pytest.raises(RuntimeError), store.transaction():
        add_doc("half-written")
        store.labels.add("half")
        raise RuntimeError("power cut")
    assert not store.conn.in_transaction
    assert dump(store.path) == before


# -- documents ----------------------------------------------------------------------------------


def test_insert_document_refuses_a_second_copy_of_the_same_text(store, add_doc):
    first = add_doc("Same words.")
    assert first is not None
    assert add_doc("Same words.", title="another title") is None
    assert store.documents.count() == 1
    assert store.documents.get(first).title == "Same words."


def test_stored_text_is_read_back_exactly(store, add_doc):
    text = "Tab\there, NBSP\u00a0here, 🚀👍🏽👨\u200d👩\u200d👧, e\u0301, \u2028 \u2029 مرحبا שלום"
    doc = add_doc(text)
    assert store.documents.get(doc).text == text
    assert store.documents.text(doc) == text


def test_set_status_accepts_each_of_the_four_statuses(store, add_doc):
    doc = add_doc("Words.")
    for status in ("in_progress", "done", "skipped", "new"):
        store.statuses.set(doc, status)
        assert store.documents.row(doc).status == status


def test_set_status_refuses_an_unknown_status_and_changes_nothing(store, raw, add_doc):
    doc = add_doc("Words.")
    with pytest.raises(ValueError, match="status must be one of"):
        store.statuses.set(doc, "finished")
    assert status_of(raw, doc) == "new"


def test_set_status_returns_the_old_status_and_records_the_change(store, add_doc):
    doc = add_doc("Words.")
    assert store.statuses.set(doc, "done") == "new"
    change = store.history(doc)[-1]
    assert (change["action"], change["details"]) == (
        "set_status",
        {"before": "new", "after": "done"},
    )


def test_next_open_document_skips_done_and_skipped_and_wraps(store, add_doc):
    a, b, c = add_doc("A."), add_doc("B."), add_doc("C.")
    store.statuses.set(b, "done")
    store.statuses.set(c, "skipped")
    assert store.documents.next_open(a) == a  # wrapped around
    assert store.documents.next_open(a, wrap=False) is None


def test_neighbour_document_steps_through_project_order(store, add_doc):
    a, b = add_doc("A."), add_doc("B.")
    assert store.documents.neighbour(a, +1) == b
    assert store.documents.neighbour(b, -1) == a
    assert store.documents.neighbour(a, -1) is None
    assert store.documents.neighbour(b, +1) is None


def test_document_rows_filter_by_status_and_search(store, add_doc):
    add_doc("Tram vote passes.")
    b = add_doc("Nurse shortfall grows.")
    store.statuses.set(b, "done")
    assert [r.id for r in store.documents.rows(status="done")] == [b]
    assert [r.id for r in store.documents.rows(search="NURSE")] == [b]
    assert store.documents.count("new") == 1


# -- spans --------------------------------------------------------------------------------------


def test_add_span_cuts_its_text_from_the_stored_text(store, add_doc):
    doc = add_doc("🚀 Launch: the rocket flew.")
    span = store.spans.add(doc, 2, 8, "claim", note="first")
    assert span.text == "Launch"
    stored = store.spans.get(span.id)
    assert (stored.start, stored.end, stored.text, stored.label) == (2, 8, "Launch", "claim")
    assert (stored.annotator, stored.note, stored.origin) == ("tester", "first", "manual")


def test_add_span_to_a_new_document_makes_it_in_progress(store, add_doc):
    doc = add_doc("Words and more words.")
    store.spans.add(doc, 0, 5, "claim")
    assert store.documents.row(doc).status == "in_progress"
    assert [c["action"] for c in store.history(doc)] == ["add_span", "set_status"]


def test_add_span_leaves_a_done_document_done(store, add_doc):
    doc = add_doc("Words and more words.")
    store.statuses.set(doc, "done")
    store.spans.add(doc, 0, 5, "claim")
    assert store.documents.row(doc).status == "done"


@pytest.mark.parametrize(
    ("start", "end", "label", "why"),
    [
        (0, 100, "claim", "ends after the text"),
        (-1, 3, "claim", "negative"),
        (5, 5, "claim", "empty"),
        (6, 2, "claim", "reversed"),
        (0, 5, "opinion", "unknown label"),
    ],
    ids=["out-of-range", "negative", "empty", "reversed", "unknown-label"],
)
def test_add_span_refuses_a_bad_span_and_changes_nothing(
    store, raw, add_doc, dump, start, end, label, why
):
    doc = add_doc("Words and more words.")
    before = dump(store.path)
    with pytest.raises(SpanError, match=why):
        store.spans.add(doc, start, end, label)
    assert span_rows(raw) == []
    assert status_of(raw, doc) == "new"
    assert dump(store.path) == before


def test_add_span_refuses_a_document_that_does_not_exist(store, raw):
    with pytest.raises(SpanError, match="no document"):
        store.spans.add(42, 0, 1, "claim")
    assert span_rows(raw) == []


def test_restore_span_refuses_span_text_that_differs_from_the_text(store, raw, add_doc):
    doc = add_doc("Words and more words.")
    span = store.spans.delete(store.spans.add(doc, 0, 5, "claim").id)
    span.text = "Wordz"
    with pytest.raises(SpanError, match="differs"):
        store.spans.restore(span)
    assert span_rows(raw) == []


def test_restore_span_puts_a_deleted_span_back_with_its_id_author_and_times(store, add_doc):
    doc = add_doc("Words and more words.")
    original = store.spans.add(doc, 0, 5, "claim", note="n")
    deleted = store.spans.delete(original.id)
    assert store.spans.in_document(doc) == []
    restored = store.spans.restore(deleted)
    assert store.spans.get(original.id) == restored == original


def test_move_span_recuts_its_text(store, add_doc):
    doc = add_doc("Words and more words.")
    span = store.spans.add(doc, 0, 5, "claim")
    moved = store.spans.move(span.id, 10, 14)
    assert moved.text == store.spans.get(span.id).text == "more"


def test_move_span_refuses_offsets_outside_the_text_and_keeps_the_span(store, add_doc):
    doc = add_doc("Words and more words.")
    span = store.spans.add(doc, 0, 5, "claim")
    with pytest.raises(SpanError):
        store.spans.move(span.id, 10, 99)
    with pytest.raises(SpanError):
        store.spans.move(span.id, 10, 10)
    assert store.spans.get(span.id) == span


def test_relabel_span_refuses_an_unknown_label_and_keeps_the_span(store, add_doc):
    doc = add_doc("Words and more words.")
    span = store.spans.add(doc, 0, 5, "claim")
    with pytest.raises(SpanError, match="unknown label"):
        store.spans.relabel(span.id, "opinion")
    assert store.spans.get(span.id).label == "claim"


def test_spans_are_listed_in_text_order(store, add_doc):
    doc = add_doc("Words and more words.")
    store.spans.add(doc, 10, 14, "claim")
    store.spans.add(doc, 0, 5, "quote")
    store.spans.add(doc, 0, 3, "claim")
    assert [(s.start, s.end) for s in store.spans.in_document(doc)] == [(0, 3), (0, 5), (10, 14)]


def test_span_count_follows_adds_and_deletes(store, add_doc):
    doc = add_doc("Words and more words.")
    a = store.spans.add(doc, 0, 5, "claim")
    store.spans.add(doc, 6, 9, "claim")
    assert store.documents.row(doc).span_count == 2
    store.spans.delete(a.id)
    assert store.documents.row(doc).span_count == 1


def test_document_text_is_unchanged_by_span_edits(store, add_doc, raw):
    text = "Words and more words."
    doc = add_doc(text)
    span = store.spans.add(doc, 0, 5, "claim")
    store.spans.move(span.id, 6, 9)
    store.spans.delete(span.id)
    assert raw.execute("SELECT text FROM documents WHERE id = ?", (doc,)).fetchone()[0] == text


# -- labels -------------------------------------------------------------------------------------


def test_add_label_appends_it_with_a_free_colour(store, raw):
    label = store.labels.add("source", hotkey="6", definition="Who said it.")
    assert store.labels.all()[-1] == label
    assert label.color not in {lab.color for lab in store.labels.all()[:-1]}
    row = raw.execute("SELECT color, hotkey, definition FROM labels WHERE name = 'source'")
    assert row.fetchone() == (label.color, "6", "Who said it.")


def test_add_label_refuses_a_name_that_differs_only_in_case(store, raw):
    with pytest.raises(LabelError, match="already"):
        store.labels.add("Claim")
    assert raw.execute("SELECT count(*) FROM labels").fetchone()[0] == 5


def test_add_label_refuses_a_hotkey_already_taken(store, raw):
    with pytest.raises(LabelError, match="hotkey '1' already belongs to label 'claim'"):
        store.labels.add("source", hotkey="1")
    assert raw.execute("SELECT count(*) FROM labels").fetchone()[0] == 5


def test_rename_label_takes_its_spans_along(store, raw, add_doc):
    doc = add_doc("Words and more words.")
    span = store.spans.add(doc, 0, 5, "claim")
    store.labels.rename("claim", "assertion")
    assert store.spans.get(span.id).label == "assertion"
    assert span_rows(raw)[0][3] == "assertion"
    assert "claim" not in {lab.name for lab in store.labels.all()}
    assert store.labels.get("assertion").hotkey == "1"


def test_rename_label_refuses_a_name_in_use(store):
    with pytest.raises(LabelError, match="already"):
        store.labels.rename("claim", "QUOTE")
    assert store.labels.get("claim").name == "claim"


def test_recolour_label_stores_the_colour_in_lower_case(store, raw):
    store.labels.update("quote", color="#ABCDEF")
    assert raw.execute("SELECT color FROM labels WHERE name = 'quote'").fetchone()[0] == "#abcdef"


def test_recolour_label_refuses_a_colour_that_is_not_hex(store):
    with pytest.raises(LabelError, match="#rrggbb"):
        store.labels.update("quote", color="orange")
    assert store.labels.get("quote").color == "#e8923a"


def test_hotkey_already_used_by_another_label_is_refused(store):
    with pytest.raises(LabelError, match="already belongs"):
        store.labels.update("quote", hotkey="1")
    assert store.labels.get("quote").hotkey == "2"


def test_hotkey_can_be_removed_and_given_to_another_label(store, raw):
    store.labels.update("quote", hotkey=None)
    assert store.labels.get("quote").hotkey is None
    store.labels.update("claim", hotkey="2")
    rows = raw.execute("SELECT name, hotkey FROM labels WHERE name IN ('claim', 'quote')")
    assert dict(rows) == {"claim": "2", "quote": None}


def test_delete_label_refuses_while_spans_use_it_and_says_how_many(store, raw, add_doc):
    doc = add_doc("Words and more words.")
    store.spans.add(doc, 0, 5, "claim")
    store.spans.add(doc, 6, 9, "claim")
    with pytest.raises(LabelInUse, match="used by 2 spans") as info:
        store.labels.delete("claim")
    assert info.value.count == 2
    assert len(span_rows(raw)) == 2
    assert raw.execute("SELECT count(*) FROM labels WHERE name = 'claim'").fetchone()[0] == 1


def test_delete_label_with_delete_spans_removes_the_label_and_its_spans(store, raw, add_doc):
    doc = add_doc("Words and more words.")
    store.spans.add(doc, 0, 5, "claim")
    store.spans.add(doc, 6, 9, "quote")
    assert store.labels.delete("claim", delete_spans=True) == 1
    assert [r[3] for r in span_rows(raw)] == ["quote"]
    assert store.documents.row(doc).span_count == 1
    assert "claim" not in {lab.name for lab in store.labels.all()}


def test_delete_label_refuses_a_label_that_does_not_exist(store):
    with pytest.raises(LabelError, match="no label"):
        store.labels.delete("opinion")


def test_label_usage_counts_spans(store, add_doc):
    doc = add_doc("Words and more words.")
    store.spans.add(doc, 0, 5, "quote")
    assert store.labels.usage("quote") == 1
    assert store.labels.usage("claim") == 0


# -- history ------------------------------------------------------------------------------------


def test_history_records_each_change_with_its_author(store, add_doc):
    doc = add_doc("Words and more words.")
    span = store.spans.add(doc, 0, 5, "claim")
    store.spans.move(span.id, 6, 9)
    store.spans.delete(span.id)
    actions = [(c["action"], c["annotator"], c["span_id"]) for c in store.history(doc)]
    assert actions == [
        ("add_span", "tester", span.id),
        ("set_status", "tester", None),
        ("move_span", "tester", span.id),
        ("delete_span", "tester", span.id),
    ]
    assert store.history(doc)[2]["details"] == {"start": [0, 6], "end": [5, 9]}


def test_history_cannot_be_edited_or_deleted(store, add_doc):
    add_doc("Words.")
    store.labels.add("source")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.conn.execute("UPDATE changes SET action = 'forged'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.conn.execute("DELETE FROM changes")
    assert store.history()[-1]["action"] == "add_label"


# -- reading for export and statistics ----------------------------------------------------------


def test_iter_documents_streams_every_document_with_its_spans_in_order(store, add_doc):
    a, b, c = add_doc("Alpha text."), add_doc("Beta text."), add_doc("Gamma text.")
    store.spans.add(c, 0, 5, "claim")
    store.spans.add(a, 6, 10, "quote")
    store.spans.add(a, 0, 5, "claim")
    got = [(doc.id, [(s.start, s.label) for s in spans]) for doc, spans in store.documents.stream()]
    assert got == [(a, [(0, "claim"), (6, "quote")]), (b, []), (c, [(0, "claim")])]


def test_iter_documents_filters_documents_by_status_and_spans_by_label_and_annotator(
    store, add_doc
):
    a, b = add_doc("Alpha text."), add_doc("Beta text.")
    store.spans.add(a, 0, 5, "claim")
    store.spans.add(b, 0, 4, "quote")
    with Store(store.path, "alice") as alice:
        alice.spans.add(b, 5, 9, "claim")
    store.statuses.set(a, "done")
    assert [d.id for d, _ in store.documents.stream(statuses=["in_progress"])] == [b]
    by_label = {d.id: [s.label for s in sp] for d, sp in store.documents.stream(labels=["claim"])}
    assert by_label == {a: ["claim"], b: ["claim"]}
    by_person = {
        d.id: [s.text for s in sp] for d, sp in store.documents.stream(annotators=["alice"])
    }
    assert by_person == {a: [], b: ["text"]}


def test_stats_count_documents_by_status_and_spans_by_label_and_annotator(store, add_doc):
    a, b = add_doc("Alpha text."), add_doc("Beta text.")
    add_doc("Gamma text.", status="skipped")
    store.spans.add(a, 0, 5, "claim")
    store.spans.add(a, 6, 10, "claim")
    with Store(store.path, "alice") as alice:
        alice.spans.add(b, 0, 4, "quote")
    assert store.stats() == {
        "documents": 3,
        "documents_by_status": {"new": 0, "in_progress": 2, "done": 0, "skipped": 1},
        "documents_by_status_by_analyst": {
            "alice": {"new": 2, "in_progress": 1, "done": 0, "skipped": 0},
            "tester": {"new": 1, "in_progress": 1, "done": 0, "skipped": 1},
        },
        "spans": 3,
        "spans_by_label": {"claim": 2, "quote": 1, "caption": 0, "concession": 0, "speaker": 0},
        "spans_by_annotator": {"alice": 1, "tester": 2},
        "suggestions": 0,
        "suggestions_by_suggester": {},
    }


# -- backup -------------------------------------------------------------------------------------


def test_backup_writes_a_complete_project_that_opens(store, add_doc, tmp_path, dump):
    doc = add_doc("Words and more words.")
    store.spans.add(doc, 0, 5, "claim")
    target = store.backup(tmp_path / "copy.db")
    assert target == tmp_path / "copy.db"
    assert not (tmp_path / "copy.db.partial").exists()
    assert dump(target) == dump(store.path)
    with Store(target) as copy:
        assert [s.text for s in copy.spans.in_document(doc)] == ["Words"]


def test_backup_into_a_folder_names_the_file_after_the_project(store, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    target = store.backup(folder)
    assert target.parent == folder
    assert target.name.startswith("project.db.backup.")
    assert target.name.endswith(".bak")


def test_backup_refuses_to_overwrite_the_project_itself(store):
    from annotator.store.project import ProjectError

    before = store.path.read_bytes()
    with pytest.raises(ProjectError, match="cannot replace"):
        store.backup(store.path)
    assert store.path.read_bytes() == before


def test_data_version_moves_when_another_connection_commits(store, add_doc):
    doc = add_doc("Some text to tag.")
    before = store.data_version()
    store.spans.add(doc, 0, 4, "claim")
    assert store.data_version() == before  # our own commits do not count
    with Store(store.path, "someone else") as other:
        other.spans.add(doc, 5, 9, "quote")
    assert store.data_version() != before


def test_stored_text_never_holds_a_carriage_return(store):
    from annotator.model import text_hash

    doc = None
    with store.transaction():
        doc = store.documents.insert(
            text="Title\r\nBody\rend", text_hash=text_hash("Title\r\nBody\rend"), title="t"
        )
    assert store.documents.text(doc) == "Title\nBody\nend"
    assert store.documents.get(doc).text_hash == text_hash("Title\nBody\nend")


def test_search_takes_percent_underscore_and_backslash_literally(store, add_doc):
    plain = add_doc("Turnout rose to 55 per cent.")
    percent = add_doc("Turnout rose 55% on the day.")
    underscore = add_doc("The file was named vote_count.csv by the clerk.")
    slash = add_doc("A path like C:\\reports\\2026 appeared.")
    assert [r.id for r in store.documents.rows(search="55%")] == [percent]
    assert [r.id for r in store.documents.rows(search="vote_count")] == [underscore]
    assert [r.id for r in store.documents.rows(search="r_c")] == []  # not "per cent"
    assert [r.id for r in store.documents.rows(search="C:\\reports")] == [slash]
    assert [r.id for r in store.documents.rows(search="TURNOUT")] == [plain, percent]


def _work_to_first_row(store, documents: int, statuses: list[str]) -> int:
    """SQLite's steps until ``documents.listing`` gives its first row."""
    from annotator.model import text_hash

    with store.transaction():
        for n in range(documents):
            text = f"Article {documents}-{n} of the list."
            doc = store.documents.insert(text=text, text_hash=text_hash(text), title=text)
            store.statuses.set(doc, "done" if n % 3 else "in_progress")
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    store.conn.set_progress_handler(count, 100)
    rows = store.documents.listing(statuses)
    first = next(rows)
    store.conn.set_progress_handler(None, 0)
    rows.close()
    assert first.status in statuses
    return steps[0]


@pytest.mark.parametrize("statuses", [["done"], ["done", "in_progress"], ["new", "done"]])
def test_the_document_listing_gives_its_first_row_without_reading_the_others(tmp_path, statuses):
    few = _work_to_first_row(Store(tmp_path / "few.db", "ana"), 30, statuses)
    many = _work_to_first_row(Store(tmp_path / "many.db", "ana"), 3000, statuses)
    assert many <= few + 2


def test_the_document_listing_gives_the_analysts_own_statuses_in_project_order(store, add_doc):
    ids = [add_doc(f"Text number {n}.") for n in range(6)]
    statuses = ["done", "new", "skipped", "done", "in_progress", "done"]
    for doc, status in zip(ids, statuses, strict=True):
        if status != "new":
            store.statuses.set(doc, status)
    store.statuses.set(ids[1], "done", annotator="bo")  # someone else's: not the listing's
    listed = lambda *s: [(r.id, r.status) for r in store.documents.listing(s)]  # noqa: E731
    assert listed("done") == [(ids[0], "done"), (ids[3], "done"), (ids[5], "done")]
    assert listed("done", "skipped") == [(ids[i], s) for i, s in [(0, "done"), (2, "skipped"),
                                         (3, "done"), (5, "done")]]  # fmt: skip
    assert listed("new") == [(ids[1], "new")]
    assert listed() == [(r.id, r.status) for r in store.documents.rows()]
    assert [r.id for r in store.documents.listing(["done"], search="NUMBER 3")] == [ids[3]]


def test_suggestions_stored_together_have_the_ids_and_history_of_each_stored_alone(store, add_doc):
    first = add_doc("Alpha beta gamma delta.")
    second = add_doc("Epsilon zeta eta theta.")
    # the last ids ever given are gone: new ones come after them, never in their place
    gone = store.spans.add_suggestions(
        first, [(0, 5, "claim", "a", 0.5), (6, 10, "claim", "a", 0.5)]
    )
    for span in gone:
        store.spans.delete(span.id)
    made = store.spans.add_suggestions_in(
        [(first, 0, 5, "claim", "b", 0.9), (second, 8, 12, "quote", "b", 0.7),
         (first, 11, 16, "concession", "b", 0.4)]
    )  # fmt: skip
    assert [s.id for s in made] == [gone[-1].id + 1, gone[-1].id + 2, gone[-1].id + 3]
    for span in made:
        assert store.spans.get(span.id) == span  # what was returned is what is stored
    assert [s.text for s in made] == ["Alpha", "zeta", "gamma"]
    added = [h for h in store.history() if h["action"] == "add_span"][-3:]
    assert [(h["document_id"], h["span_id"], h["details"]) for h in added] == [
        (s.document_id, s.id, {"start": s.start, "end": s.end, "label": s.label}) for s in made
    ]


def test_restamping_many_suggestions_records_each_and_refuses_a_span_of_an_analyst(store, add_doc):
    from annotator.model import SpanError

    doc = add_doc("Alpha beta gamma delta.")
    first, second = store.spans.add_suggestions(
        doc, [(0, 5, "claim", "learned#1", 0.5), (6, 10, "claim", "learned#1", 0.6)]
    )
    mine = store.spans.add(doc, 11, 16, "claim")
    after = store.spans.restamp_many([(first.id, "learned#2", 0.8), (second.id, "learned#2", 0.9)])
    assert [store.spans.get(s.id) for s in after] == after
    assert [(s.suggester, s.score) for s in after] == [("learned#2", 0.8), ("learned#2", 0.9)]
    assert after[0].changes.spans[first.id].before == first
    stamped = [h for h in store.history() if h["action"] == "restamp_suggestion"]
    assert [h["details"] for h in stamped] == [
        {"suggester": ["learned#1", "learned#2"], "score": [0.5, 0.8]},
        {"suggester": ["learned#1", "learned#2"], "score": [0.6, 0.9]},
    ]
    with pytest.raises(SpanError, match="not a suggestion"):
        store.spans.restamp_many([(second.id, "learned#3", 0.1), (mine.id, "learned#3", 0.1)])
    assert store.spans.get(second.id).suggester == "learned#2"  # nothing half-written


def test_a_documents_spans_come_in_text_order_by_start_end_then_id(store, add_doc):
    doc = add_doc("The council voted to raise taxes on Monday.")
    made = [(4, 20), (0, 3), (4, 11), (4, 20), (0, 43), (4, 11), (12, 20)]
    spans = [store.spans.add(doc, start, end, "claim") for start, end in made]
    expected = sorted(spans, key=lambda s: (s.start, s.end, s.id))
    assert store.spans.in_document(doc) == expected
