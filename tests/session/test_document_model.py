"""The open document's model on its own: no QApplication, plain callbacks."""

from __future__ import annotations

import sys

from annotator.changes import Change, Changes, span_changes
from annotator.model import Label, Span
from annotator.session.document_model import SPAN, DocumentModel, Selection

TEXT = "The 🚀 rocket rose at dawn."


def span(span_id: int, start: int, end: int, label: str = "claim", doc: int = 1) -> Span:
    return Span(doc, start, end, label, TEXT[start:end], id=span_id)


def recorded(model: DocumentModel) -> list[tuple]:
    seen: list[tuple] = []
    model.events.loaded.connect(lambda: seen.append(("loaded", model.document_id)))
    model.events.changed.connect(lambda found: seen.append(("changed", found)))
    model.events.selected.connect(lambda now, before: seen.append(("selected", now, before)))
    return seen


def test_the_model_needs_no_qt() -> None:
    assert not any(name.startswith("PySide6") for name in sys.modules if "document_model" in name)
    import annotator.session.document_model as module

    assert "PySide6" not in module.__dict__


def test_load_apply_and_select_emit_what_changed() -> None:
    model = DocumentModel()
    seen = recorded(model)
    rocket, dawn = span(1, 6, 12), span(2, 21, 25, "quote")
    model.load(1, TEXT, [rocket])
    assert seen == [("loaded", 1)] and model.spans == {1: rocket}
    model.select(1)
    assert model.selected_span == rocket and seen[-1] == ("selected", Selection(SPAN, 1), None)
    found = model.apply(span_changes(None, dawn))
    assert found.added == [dawn] and seen[-1] == ("changed", found)
    moved = span(1, 4, 12)
    found = model.apply(span_changes(rocket, moved))
    assert found.updated == [(rocket, moved)]
    assert seen[-1] == ("selected", Selection(SPAN, 1), Selection(SPAN, 1))  # redraw it
    found = model.apply(span_changes(moved, None))
    assert found.removed == [moved] and model.selection is None
    # deselected first, so no view picks a neighbour as its row goes
    assert seen[-2:] == [("selected", None, Selection(SPAN, 1)), ("changed", found)]


def test_applying_twice_or_for_another_document_changes_nothing() -> None:
    model = DocumentModel()
    rocket = span(1, 6, 12)
    model.load(1, TEXT, [rocket])
    seen = recorded(model)
    assert not model.apply(span_changes(None, rocket))  # shown already
    assert not model.apply(span_changes(span(9, 0, 3), None))  # never here
    assert not model.apply(span_changes(None, span(5, 0, 3, doc=2)))  # another document
    assert seen == []


def test_a_label_renamed_renames_the_spans_shown() -> None:
    model = DocumentModel()
    model.load(1, TEXT, [span(1, 6, 12), span(2, 21, 25, "quote")])
    claim, fact = Label("claim", id=1), Label("fact", id=1)
    found = model.apply(Changes(labels={1: Change(claim, fact)}))
    assert [after.label for _, after in found.updated] == ["fact"]
    assert {s.label for s in model.spans.values()} == {"fact", "quote"}


def test_selecting_something_not_here_selects_nothing() -> None:
    model = DocumentModel()
    model.load(1, TEXT, [span(1, 6, 12)])
    assert model.select(7) is None and model.selection is None
    model.select(1)
    model.load(2, TEXT, [])
    assert model.selection is None and model.selected_span is None


def test_suggestions_are_items_of_their_own_kind() -> None:
    from dataclasses import replace

    from annotator.session.document_model import SUGGESTION

    model = DocumentModel()
    rocket = span(1, 6, 12)
    proposed = replace(span(2, 21, 25, "quote"), origin="suggested", suggester="quotes")
    model.load(1, TEXT, [rocket, proposed])
    assert model.spans == {1: rocket} and model.suggestions == {2: proposed}
    seen = recorded(model)
    assert model.select(2) == Selection(SUGGESTION, 2)
    assert model.selected_span is None and model.selected_suggestion == proposed
    accepted = span(3, 21, 25, "quote")
    found = model.apply(span_changes(proposed, None) | span_changes(None, accepted))
    assert found.added == [accepted] and model.suggestions == {}
    kinds = [(e[1].kind, e[1].added, e[1].removed) for e in seen if e[0] == "changed"]
    assert kinds == [("span", [accepted], []), (SUGGESTION, [], [proposed])]
    assert ("selected", None, Selection(SUGGESTION, 2)) in seen  # it went, so deselected
    assert model.all_spans() == {1: rocket, 3: accepted}


def test_a_layer_lists_the_spans_it_shows_and_the_model_sorts_them_by_kind() -> None:
    """The loops written out for a long article keep :meth:`Layer.shows` and ``kind_of``."""
    from itertools import product

    from annotator.session.document_model import SUGGESTION, kind_of
    from annotator.session.layers import CURATED, EVERYONE, MINE, Layer

    spans = [
        Span(1, 0, 3, "claim", "The", annotator=who, origin=origin, id=i)
        for i, (who, origin) in enumerate(
            product(["ana", "bo"], ["manual", "imported", "suggested", "curated"])
        )
    ]
    for kind, who in product([MINE, EVERYONE, CURATED], ["ana", "bo", "cy"]):
        layer = Layer(kind, who)
        assert layer.spans(spans) == [s for s in spans if layer.shows(s)]
    model = DocumentModel()
    model.load(1, TEXT, spans)
    assert model.spans == {s.id: s for s in spans if kind_of(s) == SPAN}
    assert model.suggestions == {s.id: s for s in spans if kind_of(s) == SUGGESTION}
    assert list(model.spans) == [s.id for s in spans if kind_of(s) == SPAN]
