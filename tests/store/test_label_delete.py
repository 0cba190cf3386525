"""A label deleted leaves no place in the project that names it: the relation types that allowed
it lose it (a type left with no label at an end goes too), the relations of its spans go with
them, and the project still exports, imports back, and edits its types."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from annotator.changes import changes_of
from annotator.cli.main import cli
from annotator.formats.exporting import export
from annotator.formats.importing import import_paths
from annotator.store.project import Store

TEXT = "“We will build it,” said Mayor Ana Ruiz. Admittedly, costs rose. The tram is late."


def related(store: Store, add_doc) -> dict[str, int]:
    doc = add_doc(TEXT, title="Tram")
    quote = store.spans.add(doc, 0, TEXT.index("”") + 1, "quote")
    speaker = store.spans.add(doc, TEXT.index("Mayor"), TEXT.index(". Adm"), "speaker")
    claim = store.spans.add(doc, TEXT.index("The tram"), len(TEXT), "claim")
    concession = store.spans.add(
        doc, TEXT.index("Admittedly"), TEXT.index(" The tram"), "concession"
    )
    said = store.relations.add(quote.id, speaker.id, "said_by")
    concedes = store.relations.add(concession.id, claim.id, "concedes")
    return {"doc": doc, "said": said.id, "concedes": concedes.id, "speaker": speaker.id}


def test_a_type_whose_only_label_at_an_end_is_deleted_goes_with_its_relations(store, add_doc):
    ids = related(store, add_doc)
    count = store.labels.delete("speaker", delete_spans=True)
    changes = changes_of(count)
    assert count == 1
    assert [t.name for t in store.relation_types.all()] == ["concedes"]
    assert set(changes.relations) == {ids["said"]}  # the relation went, and the change says so
    assert [c.after for c in changes.relation_types.values()] == [None]
    assert [r.id for r in store.relations.in_document(ids["doc"])] == [ids["concedes"]]


def test_a_type_that_allows_other_labels_at_that_end_keeps_them(store, add_doc):
    related(store, add_doc)
    store.relation_types.update("said_by", children=["speaker", "caption"])
    store.labels.delete("speaker", delete_spans=True)
    kind = store.relation_types.get("said_by")
    assert (kind.heads, kind.children) == (["quote"], ["caption"])
    store.relation_types.update("said_by", color="#112233")  # the type can still be edited


def test_every_type_names_only_labels_the_project_has_after_any_deletion(store, add_doc):
    related(store, add_doc)
    for name in ("speaker", "claim", "quote"):
        store.labels.delete(name, delete_spans=True)
        have = {lab.name for lab in store.labels.all()}
        for kind in store.relation_types.all():
            assert set(kind.heads) | set(kind.children) <= have, kind
            assert kind.heads and kind.children  # never widened to "any label"


def test_the_project_exports_and_imports_back_after_a_label_is_deleted(store, add_doc, tmp_path):
    related(store, add_doc)
    store.labels.delete("speaker", delete_spans=True)
    out = tmp_path / "all.jsonl"
    export(store, "annotator", out)
    brat = tmp_path / "brat"
    export(store, "brat", brat)
    conf = (brat / "annotation.conf").read_text()
    entities = conf.split("[entities]")[1].split("[relations]")[0].split()
    relations = conf.split("[relations]")[1].split("[events]")[0]
    assert "speaker" not in entities and "said_by" not in relations
    with Store(tmp_path / "copy.db", "ana") as copy:
        copy.labels.delete("speaker", delete_spans=True)
        report = import_paths(copy, [out])
        assert report.ok, report.summary()
        assert copy.relations.any()


def test_restore_puts_back_the_label_its_spans_relations_and_types(store, add_doc):
    ids = related(store, add_doc)
    label = store.labels.get("speaker")
    spans = store.labels.spans_with("speaker")
    before_types = {t.name: (t.heads, t.children, t.id) for t in store.relation_types.all()}
    before_relations = store.relations.in_document(ids["doc"])
    changes = changes_of(store.labels.delete("speaker", delete_spans=True))
    relations = [c.before for c in changes.relations.values()]
    types = [c.before for c in changes.relation_types.values()]
    store.labels.restore(label, spans, relations, types)
    assert {t.name: (t.heads, t.children, t.id) for t in store.relation_types.all()} == before_types
    assert store.relations.in_document(ids["doc"]) == before_relations


def test_the_command_line_says_what_happened_to_the_types(tmp_path: Path):
    db = tmp_path / "p.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "labels", "add", "hedge"])
    assert result.exit_code == 0
    result = CliRunner().invoke(cli, ["--db", str(db), "labels", "delete", "speaker"])
    assert result.exit_code == 0, result.output
    assert "Deleted relation type 'said_by'" in result.output
    result = CliRunner().invoke(cli, ["--db", str(db), "relations", "rename", "concedes", "yields"])
    assert result.exit_code == 0, result.output
