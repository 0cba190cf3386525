"""Each analyst's own status for each document, and the overall status that follows them."""

from __future__ import annotations

import json

from annotator.formats.exporting import export
from annotator.formats.importing import import_paths
from annotator.store.project import Store


def test_each_analyst_has_their_own_status(store, add_doc):
    doc = add_doc("One text to read.")
    with Store(store.path, "ana") as ana, Store(store.path, "bo") as bo:
        ana.statuses.set(doc, "done")
        assert ana.documents.row(doc).status == "done"
        assert bo.documents.row(doc).status == "new"  # the window shows its analyst's own
        bo.spans.add(doc, 0, 3, "claim")
        assert bo.statuses.of(doc) == "in_progress"
        assert store.statuses.of_document(doc) == {"ana": "done", "bo": "in_progress"}


def test_the_overall_status_is_done_only_when_everyone_who_worked_on_it_is(store, add_doc):
    doc = add_doc("Another text.")

    def overall() -> str:
        return next(d.status for d, _ in store.documents.stream() if d.id == doc)

    assert overall() == "new"
    store.statuses.set(doc, "done", annotator="ana")
    assert overall() == "done"
    store.statuses.set(doc, "in_progress", annotator="bo")
    assert overall() == "in_progress"
    store.statuses.set(doc, "skipped", annotator="bo")
    assert overall() == "done"  # one did it, the other skipped it
    store.statuses.set(doc, "skipped", annotator="ana")
    assert overall() == "skipped"


def test_next_open_document_and_counts_are_the_current_analysts(store, add_doc):
    first, second = add_doc("First."), add_doc("Second.")
    with Store(store.path, "ana") as ana:
        ana.statuses.set(first, "done")
        assert ana.documents.next_open(None) == second
        assert ana.documents.count("done") == 1 and ana.documents.count("new") == 1
    assert store.documents.next_open(None) == first  # tester has done nothing
    assert store.documents.count("new") == 2


def test_status_changes_are_in_the_history_with_their_analyst(store, add_doc):
    doc = add_doc("Text.")
    with Store(store.path, "ana") as ana:
        ana.statuses.set(doc, "done")
    (entry,) = [c for c in store.history(doc) if c["action"] == "set_status"]
    assert entry["annotator"] == "ana" and entry["details"] == {"before": "new", "after": "done"}


def test_an_imported_status_belongs_to_the_importing_analyst(tmp_path, write):
    path = write("t.jsonl", [{"text": "Imported text.", "status": "done"}])
    with Store(tmp_path / "p.db", "lead") as store:
        import_paths(store, [path])
        assert store.statuses.of_document(1) == {"lead": "done"}


def test_every_analysts_status_goes_out_and_comes_back(store, add_doc, tmp_path):
    doc = add_doc("Shared text for two.")
    store.statuses.set(doc, "done", annotator="ana")
    store.statuses.set(doc, "in_progress", annotator="bo")
    out = tmp_path / "out.jsonl"
    export(store, "annotator", out)
    (line,) = out.read_text().splitlines()
    record = json.loads(line)
    assert record["statuses"] == {"ana": "done", "bo": "in_progress"}
    assert record["status"] == "in_progress"
    with Store(tmp_path / "again.db", "someone") as again:
        report = import_paths(again, [out])
        assert report.ok
        assert again.statuses.of_document(1) == {"ana": "done", "bo": "in_progress"}


def test_export_by_status_of_one_analyst(store, add_doc, tmp_path):
    a, b = add_doc("Alpha."), add_doc("Beta.")
    store.statuses.set(a, "done", annotator="ana")
    store.statuses.set(b, "done", annotator="bo")
    titles = [d.title for d, _ in store.documents.stream(statuses=["done"], annotators=["ana"])]
    assert titles == ["Alpha."]
    assert len(list(store.documents.stream(statuses=["done"]))) == 2


def test_a_bad_statuses_object_is_refused(store, write):
    path = write("bad.jsonl", [{"text": "x", "statuses": {"ana": "finished"}}])
    report = import_paths(store, [path])
    assert "'ana' has 'finished'" in report.refused[0].reason
