"""Every write says what it changed: spans, documents and labels, before and after."""

from __future__ import annotations

import pytest

from annotator.changes import Change, Changes, DocumentState, changes_of
from annotator.model import Span, text_hash
from annotator.store.project import Store


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "p.db", "ana") as s:
        yield s


@pytest.fixture
def doc(store) -> int:
    text = "The 🚀 rocket rose at dawn."
    with store.transaction():
        return store.documents.insert(text=text, text_hash=text_hash(text), title="Launch")


def test_adding_a_span_names_it_and_its_documents_new_state(store, doc) -> None:
    span = store.spans.add(doc, 6, 12, "claim")
    changes = changes_of(span)
    assert changes.spans == {span.id: Change(None, span)}
    assert changes.documents == {
        doc: Change(DocumentState(doc, "new", 0), DocumentState(doc, "in_progress", 1))
    }
    assert span == store.spans.get(span.id)  # still the span, as before


def test_deleting_moving_relabelling_and_noting_say_before_and_after(store, doc) -> None:
    span = store.spans.add(doc, 6, 12, "claim")
    moved = store.spans.move(span.id, 4, 12)
    assert changes_of(moved).spans == {span.id: Change(span, moved)}
    assert changes_of(moved).documents == {}
    relabelled = store.spans.relabel(span.id, "quote")
    assert changes_of(relabelled).spans[span.id].after.label == "quote"
    noted = store.spans.set_note(span.id, "check")
    assert changes_of(noted).spans[span.id].before == relabelled
    gone = store.spans.delete(span.id)
    changes = changes_of(gone)
    assert changes.spans == {span.id: Change(noted, None)} and changes.spans[span.id].removed
    assert changes.documents[doc].after == DocumentState(doc, "in_progress", 0)
    back = store.spans.restore(gone)
    assert back.id == span.id and changes_of(back).spans[span.id].added


def test_status_changes_say_the_old_status_and_the_new(store, doc) -> None:
    old = store.statuses.set(doc, "done")
    assert old == "new"
    assert changes_of(old).documents[doc] == Change(
        DocumentState(doc, "new", 0), DocumentState(doc, "done", 0)
    )
    assert not changes_of(store.statuses.set(doc, "done"))  # no change: nothing named


def test_label_writes_name_the_label_and_a_delete_every_span_it_took(store, doc) -> None:
    added = store.labels.add("rumour", hotkey="6")
    assert changes_of(added).labels == {added.id: Change(None, added)}
    before, after = pair = store.labels.update("rumour", new_name="gossip", color="#123456")
    assert changes_of(pair).renamed_labels() == {"rumour": "gossip"}
    renamed = store.labels.rename("gossip", "hearsay")
    assert changes_of(renamed).labels[added.id].after.name == "hearsay"
    a = store.spans.add(doc, 0, 3, "hearsay")
    b = store.spans.add(doc, 6, 12, "hearsay")
    count = store.labels.delete("hearsay", delete_spans=True)
    assert count == 2
    changes = changes_of(count)
    assert set(changes.spans) == {a.id, b.id} and all(c.removed for c in changes.spans.values())
    assert changes.labels[added.id].removed
    assert changes.documents[doc].after.span_count == 0
    label = changes.labels[added.id].before
    spans = [c.before for c in changes.spans.values()]
    restored = store.labels.restore(label, spans)
    assert restored.id == added.id
    assert sorted(s.id for s in store.spans.in_document(doc)) == sorted([a.id, b.id])
    assert set(changes_of(restored).spans) == {a.id, b.id}


def _span(span_id: int, label: str = "claim") -> Span:
    return Span(1, 0, 3, label, "The", id=span_id)


def test_merging_keeps_the_first_before_and_the_last_after() -> None:
    one, two = _span(1), _span(1, "quote")
    added = Changes(spans={1: Change(None, one)})
    changed = Changes(spans={1: Change(one, two)})
    removed = Changes(spans={1: Change(two, None)})
    assert (added | changed).spans == {1: Change(None, two)}
    assert (changed | removed).spans == {1: Change(one, None)}
    assert not (added | changed | removed)  # added and gone again: nothing changed
    assert (removed | Changes(spans={1: Change(None, two)})).spans == {1: Change(two, two)}
    assert (Changes(document_list=True) | Changes()).document_list
    assert Changes(spans={1: Change(None, one)}).spans_in(2) == {}


def test_comparing_finds_renames_by_id_and_span_differences() -> None:
    from annotator.changes import apply_to_labels, compare_labels, compare_spans
    from annotator.model import Label

    claim, quote = Label("claim", id=1, position=0), Label("quote", id=2, position=1)
    fact = Label("fact", id=1, position=0)
    rumour = Label("rumour", id=3, position=2)
    changes = compare_labels([claim, quote], [fact, rumour])
    assert changes.renamed_labels() == {"claim": "fact"}
    assert changes.labels[2].removed and changes.labels[3].added
    assert apply_to_labels([claim, quote], changes) == [fact, rumour]
    one, two = _span(1), _span(2)
    moved = Span(1, 1, 3, "claim", "he", id=1)
    found = compare_spans({1: one, 2: two}, [moved, _span(3)])
    assert found.spans == {1: Change(one, moved), 2: Change(two, None), 3: Change(None, _span(3))}
