"""A label renamed is renamed everywhere the project names it: its spans, the relation types
that allow it, the suggestions rejected with it, and what suggesters and patterns files call it;
exports name it anew and can be imported again; renaming back restores every place."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli.main import cli
from annotator.suggest.running import reject_suggestion, run_command, run_suggesters, suggestions

MODEL = Path(__file__).parent.parent / "workers" / "model.py"
TEXT = (
    "Council backs the tram\n"
    "“We will build it,” said Mayor Ana Ruiz. Admittedly, costs rose.\n"
    "Photo: The bridge at dawn. (Ana Ruiz / City Courier)\n"
)


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def related(store, add_doc):
    """A document with a quote said by a speaker."""
    doc = add_doc(TEXT, title="Tram")
    quote = store.spans.add(doc, TEXT.index("“"), TEXT.index("”") + 1, "quote")
    speaker = store.spans.add(doc, TEXT.index("Mayor"), TEXT.index(". Adm"), "speaker")
    store.relations.add(quote.id, speaker.id, "said_by")
    return doc


def scheme(store) -> dict[str, tuple[list[str], list[str]]]:
    return {k.name: (k.heads, k.children) for k in store.relation_types.all()}


def test_the_relation_types_that_allow_a_label_follow_its_rename(store, related):
    renamed = store.labels.rename("quote", "statement")
    assert scheme(store)["said_by"] == (["statement"], ["speaker"])
    (change,) = renamed.changes.relation_types.values()
    assert change.before.heads == ["quote"] and change.after.heads == ["statement"]
    store.labels.rename("statement", "quote")
    assert scheme(store)["said_by"] == (["quote"], ["speaker"])


def test_a_relation_can_still_be_made_and_its_type_changed_after_the_rename(store, related):
    store.labels.rename("quote", "statement")
    doc = related
    quote = store.spans.add(doc, TEXT.index("Admittedly"), TEXT.index("rose.") + 5, "statement")
    speaker = next(s for s in store.spans.in_document(doc) if s.label == "speaker")
    store.relations.add(quote.id, speaker.id, "said_by")
    store.relation_types.update("said_by", color="#123456")  # the ends it names all exist
    assert len(store.relations.in_document(doc)) == 2


def test_a_rename_then_every_export_that_names_labels_names_it_anew(store, related, tmp_path):
    db = store.path
    run(db, "labels", "rename", "quote", "statement")
    assert re.search(r"said_by\s+\S+\s+statement -> speaker\s+1 relation", run(db, "relations"))

    run(db, "export", "--format", "annotator", "-o", str(tmp_path / "all.jsonl"))
    (record,) = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text().splitlines()]
    assert {s["label"] for s in record["spans"]} == {"statement", "speaker"}
    assert [r["label"] for r in record["relations"]] == ["said_by"]

    run(db, "export", "--format", "brat", "-o", str(tmp_path / "brat"))
    conf = (tmp_path / "brat" / "annotation.conf").read_text()
    assert "said_by\tArg1:statement, Arg2:speaker" in conf
    assert not re.search(r"\bquote\b", conf)

    run(db, "export", "--format", "label-studio", "-o", str(tmp_path / "ls.json"))
    config = (tmp_path / "ls.xml").read_text()
    assert 'value="statement"' in config and 'value="quote"' not in config


def test_the_export_of_a_renamed_label_goes_into_a_fresh_project_with_its_relations(
    store, related, tmp_path
):
    run(store.path, "labels", "rename", "quote", "statement")
    run(store.path, "export", "-o", str(tmp_path / "all.jsonl"))
    fresh = tmp_path / "fresh.db"
    run(fresh, "labels", "rename", "quote", "statement")
    out = run(fresh, "import", str(tmp_path / "all.jsonl"))
    assert "1 document added" in out and "2 spans added" in out
    run(fresh, "export", "-o", str(tmp_path / "again.jsonl"))
    (again,) = [json.loads(line) for line in (tmp_path / "again.jsonl").read_text().splitlines()]
    by_id = {s["id"]: s["label"] for s in again["spans"]}
    assert [(by_id[r["head"]], by_id[r["child"]], r["label"]) for r in again["relations"]] == [
        ("statement", "speaker", "said_by")
    ]


def test_a_rejected_suggestion_stays_rejected_after_its_label_is_renamed(store, add_doc):
    text = TEXT + "Photo: The depot. (City Courier)\n"
    doc = add_doc(text, title="Tram")
    run_suggesters(store, documents=[doc])
    bridge = next(s for s in suggestions(store, doc) if "bridge" in text[s.start : s.end])
    reject_suggestion(store, bridge.id)
    for old, new in (("caption", "credit"), ("credit", "caption")):
        store.labels.rename(old, new)
        run_suggesters(store, documents=[doc])
        assert [text[s.start : s.end] for s in suggestions(store, doc) if s.label == new] == [
            "Photo: The depot. (City Courier)"
        ]


def test_suggesters_and_patterns_still_reach_a_renamed_label(store, add_doc, tmp_path):
    doc = add_doc(TEXT, title="Tram")
    store.labels.rename("quote", "statement")
    store.labels.rename("statement", "remark")  # followed through every rename
    store.labels.rename("caption", "credit")  # the patterns file says "caption"
    patterns = Path(str(store.path) + ".patterns.jsonl")
    patterns.write_text(
        '{"suggester": "quotes", "pair": ["“", "”"]}\n{"suggester": "quotes", "word": "said"}\n'
        '{"suggester": "captions", "label": "caption", "regex": "^Photo:", "score": 0.9}\n'
    )
    report = run_suggesters(store, documents=[doc])
    found = {(TEXT[s.start : s.end], s.label) for s in suggestions(store, doc)}
    assert ("“We will build it,”", "remark") in found
    assert ("Photo: The bridge at dawn. (Ana Ruiz / City Courier)", "credit") in found
    assert report.proposed["quotes"] == {"remark": 1}


def test_a_label_named_as_a_former_one_is_its_own(store, add_doc):
    doc = add_doc(TEXT, title="Tram")
    store.labels.rename("quote", "statement")
    store.labels.add("quote")  # a new label takes the old name: suggestions go to it
    run_suggesters(store, documents=[doc], names=["quotes"])
    assert {s.label for s in suggestions(store, doc)} == {"quote"}
    assert store.labels.former_names() == {}


def test_former_names_follow_the_history_and_a_deleted_label_has_none(store):
    store.labels.rename("quote", "statement")
    assert store.labels.former_names() == {"quote": "statement"}
    store.labels.rename("statement", "quote")
    assert store.labels.former_names() == {"statement": "quote"}  # harmless: no label has it
    store.labels.delete("quote", delete_spans=True)
    assert store.labels.former_names() == {}


def test_a_users_own_model_may_name_a_label_by_its_former_name(store, add_doc):
    doc = add_doc(TEXT, title="Tram")
    store.labels.rename("claim", "assertion")
    run_command(store, f"{sys.executable} {MODEL} good", documents=[doc], name="mine")
    assert [s.label for s in suggestions(store, doc)] == ["assertion"]


def test_renaming_back_restores_every_place_the_name_stands(store, related, dump):
    doc = related
    run_suggesters(store, documents=[doc])
    caption = next(s for s in suggestions(store, doc) if s.label == "caption")
    reject_suggestion(store, caption.id)
    store.labels.rename("caption", "credit")
    store.labels.rename("quote", "statement")
    store.labels.rename("credit", "caption")
    store.labels.rename("statement", "quote")
    before = dump(store.path)
    store.labels.rename("quote", "statement")
    store.labels.rename("caption", "credit")
    assert dump(store.path)["rejections"] != before["rejections"]
    store.labels.rename("credit", "caption")
    store.labels.rename("statement", "quote")
    after = dump(store.path)
    for table in before:
        if table not in ("changes", "sqlite_master", "sqlite_sequence"):
            assert after[table] == before[table], table
