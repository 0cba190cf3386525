"""Relations between spans and attributes on spans, in the store and the command line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from annotator.changes import changes_of
from annotator.cli.main import cli
from annotator.model import RelationError, SpanError
from annotator.store.project import Store

TEXT = "“We will build it,” said Mayor Ana Ruiz. Admittedly, costs rose. The line opens in 2027."


@pytest.fixture
def spans(store, add_doc):
    doc = add_doc(TEXT)
    quote = store.spans.add(doc, 0, 19, "quote")
    speaker = store.spans.add(doc, 25, 39, "speaker")
    concession = store.spans.add(doc, 41, 64, "concession")
    claim = store.spans.add(doc, 65, 88, "claim")
    return doc, quote, speaker, concession, claim


def test_new_projects_have_the_default_relation_types_and_the_speaker_label(store):
    kinds = {k.name: (k.heads, k.children) for k in store.relation_types.all()}
    assert kinds == {"said_by": (["quote"], ["speaker"]), "concedes": (["concession"], ["claim"])}
    assert store.labels.get("speaker").hotkey == "5"
    assert store.labels.get("quote").attributes[0]["name"] == "speaker"
    assert all(len(k.definition) > 40 for k in store.relation_types.all())


def test_a_relation_joins_two_spans_of_fitting_labels(store, spans):
    doc, quote, speaker, concession, claim = spans
    said = store.relations.add(quote.id, speaker.id, "said_by")
    store.relations.add(concession.id, claim.id, "concedes")
    assert [(r.head, r.child, r.label) for r in store.relations.in_document(doc)] == [
        (quote.id, speaker.id, "said_by"),
        (concession.id, claim.id, "concedes"),
    ]
    assert said.annotator == "tester"
    assert [c["action"] for c in store.history(doc)][-2:] == ["add_relation", "add_relation"]


@pytest.mark.parametrize(
    ("ends", "label", "says"),
    [
        (
            "speaker quote",
            "said_by",
            "said_by goes from quote to speaker, not from speaker to quote",
        ),
        ("quote claim", "said_by", "not from quote to claim"),
        ("quote quote", "said_by", "cannot be related to itself"),
        ("quote missing", "said_by", "needs both its spans"),
        ("quote speaker", "cites", "no relation type 'cites'"),
    ],
)
def test_a_relation_that_does_not_fit_is_refused(store, spans, ends, label, says):
    doc, quote, speaker, concession, claim = spans
    named = {"quote": quote.id, "speaker": speaker.id, "claim": claim.id, "missing": 999}
    head, child = (named[e] for e in ends.split())
    with pytest.raises(RelationError, match=says):
        store.relations.add(head, child, label)
    assert store.relations.in_document(doc) == []


def test_a_relation_across_documents_is_refused(store, spans, add_doc):
    doc, quote, *_ = spans
    other = add_doc("Another text, Ana Ruiz.")
    elsewhere = store.spans.add(other, 14, 22, "speaker")
    with pytest.raises(RelationError, match="same document"):
        store.relations.add(quote.id, elsewhere.id, "said_by")


def test_deleting_a_span_takes_its_relations_and_says_so(store, spans):
    doc, quote, speaker, *_ = spans
    relation = store.relations.add(quote.id, speaker.id, "said_by")
    gone = store.spans.delete(quote.id)
    assert store.relations.in_document(doc) == []
    taken = changes_of(gone).relations
    assert list(taken) == [relation.id] and taken[relation.id].before == relation
    store.spans.restore(gone)  # undo: the span first, then its relations
    for change in taken.values():
        store.relations.restore(change.before)
    assert store.relations.in_document(doc) == [relation]


def test_attributes_follow_what_the_label_declares(store, spans):
    _, quote, speaker, *_ = spans
    updated = store.spans.set_attributes(quote.id, {"speaker": "a council spokesperson"})
    assert store.spans.get(quote.id).attributes == {"speaker": "a council spokesperson"}
    assert changes_of(updated).spans[quote.id].after.attributes == updated.attributes
    with pytest.raises(SpanError, match="has no attribute 'tone'"):
        store.spans.set_attributes(quote.id, {"tone": "angry"})
    store.labels.set_attributes(
        "speaker", [{"name": "kind", "kind": "choice", "values": ["person", "body"]}]
    )
    store.spans.set_attributes(speaker.id, {"kind": "person"})
    with pytest.raises(SpanError, match="must be one of person, body"):
        store.spans.set_attributes(speaker.id, {"kind": "crowd"})


def test_relation_types_are_managed_from_the_command_line(tmp_path):
    db = str(tmp_path / "p.db")
    Store(db).close()
    runner = CliRunner()
    listed = runner.invoke(cli, ["--db", db, "relations"]).output
    assert "said_by" in listed and "quote -> speaker" in listed
    result = runner.invoke(
        cli, ["--db", db, "relations", "add", "cites", "--head", "claim", "--child", "quote"]
    )
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["--db", db, "relations", "rename", "cites", "refers"]).exit_code == 0
    with Store(db, "t") as store:
        doc = store.conn.execute(
            "INSERT INTO documents (title, text, text_hash, created_at, updated_at)"
            " VALUES ('t', 'A claim and a quote.', 'h', 'x', 'x')"
        ).lastrowid
        claim = store.spans.add(doc, 0, 7, "claim")
        quote = store.spans.add(doc, 14, 19, "quote")
        store.relations.add(claim.id, quote.id, "refers")
    refused = runner.invoke(cli, ["--db", db, "relations", "delete", "refers"])
    assert refused.exit_code == 1 and "used by 1 relation; add --force" in refused.output
    forced = runner.invoke(cli, ["--db", db, "relations", "delete", "refers", "--force"])
    assert "and its 1 relation" in forced.output


def test_a_type_changes_its_ends_only_where_every_relation_still_fits(store, spans):
    doc, quote, speaker, _concession, _claim = spans
    said = store.relations.add(quote.id, speaker.id, "said_by")
    with pytest.raises(RelationError, match="1 said_by relation joins labels these ends"):
        store.relation_types.update("said_by", heads=["claim"])
    before, after = store.relation_types.update(
        "said_by", heads=["quote", "claim"], color="#112233"
    )
    assert (before.heads, after.heads, after.color) == (["quote"], ["quote", "claim"], "#112233")
    with pytest.raises(Exception, match="no label 'nothing'"):
        store.relation_types.update("said_by", children=["nothing"])
    pair = store.relation_types.update("said_by", new_name="attributed_to")
    changes = changes_of(pair)
    assert [c.after.label for c in changes.relations.values()] == ["attributed_to"]
    assert [r.label for r in store.relations.in_document(doc)] == ["attributed_to"]
    assert store.relations.get(said.id).label == "attributed_to"


def test_a_deleted_type_comes_back_with_its_relations_under_their_ids(store, spans):
    doc, quote, speaker, _concession, _claim = spans
    said = store.relations.add(quote.id, speaker.id, "said_by")
    kind = store.relation_types.get("said_by")
    used = store.relations.of_type(kind)
    assert store.relation_types.delete("said_by", delete_relations=True) == 1
    back = store.relation_types.restore(kind, used)
    assert (back.id, back.position, back.heads) == (kind.id, kind.position, kind.heads)
    assert [(r.id, r.head, r.child) for r in store.relations.in_document(doc)] == [
        (said.id, quote.id, speaker.id)
    ]
    assert set(changes_of(back).relations) == {said.id}
    with pytest.raises(RelationError, match="already a relation type 'said_by'"):
        store.relation_types.restore(kind)
