"""Suggestions in the window: asked for, drawn and listed apart, accepted, corrected and
rejected from the keyboard, each one undoable step. Assertions read the database."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolTip

from annotator.formats.exporting import export
from annotator.store.project import Store

# No one is named as saying these quotes, so the speakers suggester proposes nothing here:
# test_speaker_suggestions.py has the quotes with speakers.
TEXT = (
    "Council backs the tram\n"
    "\u201cWe will build it,\u201d the banner read. Admittedly, costs rose.\n"
    "Photo: The bridge at dawn. (Ana Ruiz / City Courier)\n"
)
QUOTE = "\u201cWe will build it,\u201d"
CONCESSION = "Admittedly, costs rose."
CAPTION = "Photo: The bridge at dawn. (Ana Ruiz / City Courier)"
# Astral characters before the quote: 3 code points, 6 UTF-16 units.
EMOJI_TEXT = "Tram 🚀👍🏽 news\n🚋 \u201cWe will build it,\u201d the banner read.\n"
TWO_QUOTES = (
    "\u201cWe will build it,\u201d the banner read.\n"
    "\u201cNot on our street,\u201d the placard below it read.\n"
)

NO = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def stored(window) -> dict[str, list[tuple]]:
    """The open document's spans and suggestions, read through a fresh connection."""
    with Store(window.store.path) as other:
        spans = other.spans.in_document(window.current_document)
        rejected = other.conn.execute('SELECT start, "end", label FROM rejections').fetchall()
    return {
        "spans": [
            (s.text, s.label, s.origin, s.annotator) for s in spans if s.origin != "suggested"
        ],
        "suggested": [(s.text, s.label) for s in spans if s.origin == "suggested"],
        "rejected": [tuple(r) for r in rejected],
    }


def key(window, k: Qt.Key, modifier: Qt.KeyboardModifier = NO) -> None:
    QTest.keyClick(window.article, k, modifier)


@pytest.fixture
def suggested(open_window, make_project):
    """A window on the sample-like text, with the built-in suggestions made from the window."""
    window = open_window(make_project(("Tram", TEXT)))
    window.action("suggest.document").trigger()
    window.editor.deselect()  # as after Esc: the tests choose with ] and [
    return window


def test_f8_chooses_the_first_suggestion_so_that_enter_decides_it(open_window, make_project):
    window = open_window(make_project(("Tram", TEXT)))
    window.documents.view.setFocus()  # as after opening a document from the list
    QTest.keyClick(window.documents.view, Qt.Key.Key_F8)
    chosen = window.document_model.selected_suggestion
    assert chosen is not None and chosen.text == QUOTE  # the first in the text
    assert window.article.hasFocus()
    assert "Enter accepts the chosen one" in window.statusBar().currentMessage()
    key(window, Qt.Key.Key_Return)
    assert stored(window)["spans"] == [(QUOTE, "quote", "manual", "tester")]


def test_suggesting_from_the_window_shows_them_apart_from_the_spans(suggested) -> None:
    window = suggested
    assert stored(window)["suggested"] == [
        (QUOTE, "quote"),
        (CONCESSION, "concession"),
        (CAPTION, "caption"),
    ]
    assert stored(window)["spans"] == []
    assert len(window.document_model.suggestions) == 3 and not window.document_model.spans
    assert window.span_model.rowCount() == 0  # the span list holds annotations only
    rows = window.suggestions.list_model
    assert [rows.index(r, 0).data() for r in range(rows.rowCount())] == [
        "quote",
        "concession",
        "caption",
    ]
    assert rows.index(0, 2).data() == "quotes 0.90"
    assert not window.article.highlighter.index.placed  # no filled highlight for a suggestion
    assert "] goes to the next one" in window.statusBar().currentMessage()
    assert window.document_model.selected_suggestion is None  # the fixture's Esc


def test_the_counts_shown_are_of_annotations_with_suggestions_apart(suggested) -> None:
    window = suggested
    documents = window.documents.model
    assert window.status.counts.text() == "0 spans · 3 suggested"
    assert documents.index(0, 2).data() == 0
    assert documents.index(0, documents.suggested_column).data() == 3
    assert documents.columnCount() == documents.suggested_column + 1
    assert documents.headerData(documents.suggested_column, Qt.Orientation.Horizontal) == (
        "Suggested"
    )
    key(window, Qt.Key.Key_BracketRight)
    key(window, Qt.Key.Key_Return)
    assert window.status.counts.text() == "1 span · 2 suggested"
    assert documents.index(0, 2).data() == 1
    assert documents.index(0, documents.suggested_column).data() == 2
    with Store(window.store.path) as other:
        assert other.documents.row(window.current_document).span_count == 1


def test_next_suggestion_then_enter_accepts_it_as_the_analysts_own_span(
    suggested, tmp_path
) -> None:
    window = suggested
    key(window, Qt.Key.Key_BracketRight)
    chosen = window.document_model.selected_suggestion
    assert chosen is not None and chosen.text == QUOTE
    key(window, Qt.Key.Key_Return)
    assert stored(window)["spans"] == [(QUOTE, "quote", "manual", "tester")]
    assert (QUOTE, "quote") not in stored(window)["suggested"]
    # the accepted span is an annotation like any other: filled, in the span list, exported
    assert len(window.article.highlighter.index.placed) == 1
    assert window.span_model.rowCount() == 1
    out = tmp_path / "out.jsonl"
    export(window.store, "annotator", out)
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(s["label"], record["text"][s["start"] : s["end"]]) for s in record["spans"]] == [
        ("quote", QUOTE)
    ]


def test_previous_and_next_go_round_in_text_order(suggested) -> None:
    window = suggested
    texts = []
    for _ in range(4):
        key(window, Qt.Key.Key_BracketRight)
        texts.append(window.document_model.selected_suggestion.text)
    assert texts == [QUOTE, CONCESSION, CAPTION, QUOTE]
    key(window, Qt.Key.Key_BracketLeft)
    assert window.document_model.selected_suggestion.text == CAPTION
    assert "last suggestion" in window.statusBar().currentMessage()


def test_a_labels_hotkey_accepts_the_suggestion_with_that_label(suggested) -> None:
    window = suggested
    key(window, Qt.Key.Key_BracketRight)
    key(window, Qt.Key.Key_1)  # claim
    assert stored(window)["spans"] == [(QUOTE, "claim", "manual", "tester")]
    # on to the next suggestion; the span just made is one key back
    assert window.document_model.selected_suggestion.text == CONCESSION
    key(window, Qt.Key.Key_Up, CTRL)
    assert window.document_model.selected_span.label == "claim"


def test_moving_a_suggestions_edges_then_accepting_gives_the_moved_span(suggested) -> None:
    window = suggested
    for _ in range(3):  # the concession
        key(window, Qt.Key.Key_BracketRight)
    key(window, Qt.Key.Key_BracketLeft)
    assert window.document_model.selected_suggestion.text == CONCESSION
    for _ in range(len("Admittedly, ")):
        key(window, Qt.Key.Key_BracketRight, CTRL)
    key(window, Qt.Key.Key_Comma, CTRL)  # the full stop
    assert (
        "costs rose",
        "concession",
    ) in stored(window)["suggested"]  # the suggestion itself moved, saved at once
    key(window, Qt.Key.Key_Return)
    assert stored(window)["spans"] == [("costs rose", "concession", "manual", "tester")]
    # undo: the accept, then the end, then the start (each key's presses are one step)
    window.action("edit.undo").trigger()
    assert (
        stored(window)["spans"] == []
        and ("costs rose", "concession") in stored(window)["suggested"]
    )
    window.action("edit.undo").trigger()
    assert ("costs rose.", "concession") in stored(window)["suggested"]
    window.action("edit.undo").trigger()
    assert (CONCESSION, "concession") in stored(window)["suggested"]


def test_delete_rejects_and_suggesting_again_does_not_bring_it_back(suggested) -> None:
    window = suggested
    for _ in range(3):
        key(window, Qt.Key.Key_BracketRight)
    assert window.document_model.selected_suggestion.text == CAPTION
    key(window, Qt.Key.Key_Delete)
    after = stored(window)
    assert (CAPTION, "caption") not in after["suggested"] and after["spans"] == []
    assert len(after["rejected"]) == 1
    window.action("suggest.document").trigger()
    assert (CAPTION, "caption") not in stored(window)["suggested"]
    assert len(window.document_model.suggestions) == 2
    assert "left out" not in window.statusBar().currentMessage()  # two are still there


def test_accept_all_suggested_of_a_label_is_one_step(open_window, make_project) -> None:
    window = open_window(make_project(("Two quotes", TWO_QUOTES)))
    window.action("suggest.document").trigger()
    quotes = [t for t, label in stored(window)["suggested"] if label == "quote"]
    assert len(quotes) == 2
    # from the Tag menu: one item per label, with how many wait here
    menu = window.findChild(type(window.tag_menu), "acceptAllSuggested")
    window.suggestions.fill_accept_menu(menu)
    item = next(a for a in menu.actions() if a.text().startswith("quote"))
    assert item.text() == "quote (2)" and item.isEnabled()
    item.trigger()
    assert sorted(s[0] for s in stored(window)["spans"]) == sorted(quotes)
    assert not [s for s in stored(window)["suggested"] if s[1] == "quote"]
    window.action("edit.undo").trigger()
    assert stored(window)["spans"] == []
    assert sorted(t for t, label in stored(window)["suggested"] if label == "quote") == sorted(
        quotes
    )
    window.action("edit.redo").trigger()
    assert len(stored(window)["spans"]) == 2


def test_shift_enter_accepts_every_suggestion_of_the_selected_ones_label(
    open_window, make_project
) -> None:
    window = open_window(make_project(("Two quotes", TWO_QUOTES)))
    window.action("suggest.document").trigger()
    key(window, Qt.Key.Key_BracketRight)
    key(window, Qt.Key.Key_Return, SHIFT)
    assert [label for _, label, *_ in stored(window)["spans"]] == ["quote", "quote"]


def test_after_shift_enter_the_next_suggestion_is_chosen(suggested) -> None:
    window = suggested
    key(window, Qt.Key.Key_BracketRight)  # the quote
    key(window, Qt.Key.Key_Return, SHIFT)  # every suggested quote
    chosen = window.document_model.selected_suggestion
    assert chosen is not None and chosen.label == "concession"  # the next one in the text
    key(window, Qt.Key.Key_Return)  # so one key decides it
    assert [label for _, label, *_ in stored(window)["spans"]] == ["quote", "concession"]


def test_undo_takes_back_each_step_one_at_a_time(suggested) -> None:
    window = suggested
    ids = {s.text: s.id for s in window.document_model.suggestions.values()}
    key(window, Qt.Key.Key_BracketRight)
    key(window, Qt.Key.Key_Return)  # accept the quote; each decision moves on to the next
    key(window, Qt.Key.Key_2)  # accept the concession as a quote
    key(window, Qt.Key.Key_Backspace)  # reject the caption
    assert "last suggestion here" in window.statusBar().currentMessage()
    assert stored(window) == {
        "spans": [
            (QUOTE, "quote", "manual", "tester"),
            (CONCESSION, "quote", "manual", "tester"),
        ],
        "suggested": [],
        "rejected": [(TEXT.index("Photo"), TEXT.index("Photo") + len(CAPTION), "caption")],
    }
    window.action("edit.undo").trigger()  # the rejection: the caption is back, the rejection lifted
    assert stored(window)["suggested"] == [(CAPTION, "caption")]
    assert stored(window)["rejected"] == []
    assert window.document_model.selected_suggestion.id == ids[CAPTION]  # its own id
    window.action("edit.undo").trigger()  # the concession accepted as a quote
    assert stored(window)["spans"] == [(QUOTE, "quote", "manual", "tester")]
    assert stored(window)["suggested"] == [(CONCESSION, "concession"), (CAPTION, "caption")]
    window.action("edit.undo").trigger()  # the quote
    assert stored(window)["spans"] == []
    assert {s.text: s.id for s in window.document_model.suggestions.values()} == ids
    assert window.status.counts.text() == "0 spans · 3 suggested"
    # and redo does it all again, the spans under the same ids as before
    for _ in range(3):
        window.action("edit.redo").trigger()
    assert [s[0] for s in stored(window)["spans"]] == [QUOTE, CONCESSION]
    assert stored(window)["suggested"] == []


def _article_image(window):
    window.article.viewport().repaint()
    return window.article.grab().toImage()


def test_a_suggestion_is_an_outline_without_fill_and_an_annotation_is_filled(suggested) -> None:
    window = suggested
    quote = next(s for s in window.document_model.suggestions.values() if s.text == QUOTE)
    (rect,) = window.suggestions.overlay.outline_rects(quote.id)
    at = window.article.viewport().geometry().topLeft()
    base = window.article.palette().color(QPalette.ColorRole.Base).rgb()

    def inside_and_edge():
        image = _article_image(window)
        inner = rect.adjusted(4, 4, -4, -4).toRect().translated(at)
        inside = [
            image.pixelColor(x, y).rgb()
            for x in range(inner.left(), inner.right())
            for y in range(inner.top(), inner.bottom())
        ]
        y = int(rect.top() + 1) + at.y()
        edge = [
            image.pixelColor(x, y).rgb()
            for x in range(int(rect.left()) + 4 + at.x(), int(rect.right()) - 4 + at.x())
        ]
        return inside, edge

    inside, edge = inside_and_edge()
    # between the letters: the article's own background; on the outline: the label's colour
    assert inside.count(base) > len(inside) // 3
    assert any(c != base for c in edge)
    colour = QColor(window.labels[1].color)
    assert any(QColor(c).hue() == pytest.approx(colour.hue(), abs=20) for c in edge if c != base)
    # once accepted it is a filled highlight: no background left inside
    window.suggestions.show(quote)
    key(window, Qt.Key.Key_Return)
    inside, _ = inside_and_edge()
    assert inside.count(base) == 0


def test_the_selected_suggestion_is_drawn_apart(suggested) -> None:
    window = suggested
    overlay = window.suggestions.overlay
    quote = next(s for s in window.document_model.suggestions.values() if s.text == QUOTE)
    (rect,) = overlay.outline_rects(quote.id)
    at = window.article.viewport().geometry().topLeft()
    y = int(rect.center().y()) + at.y()
    x = int(rect.left()) + 1 + at.x()

    def left_edge() -> set[int]:
        image = _article_image(window)
        return {image.pixelColor(x + dx, y).rgb() for dx in (-1, 0, 1, 2)}

    plain = left_edge()
    window.suggestions.show(quote)
    assert left_edge() != plain  # the solid, thicker outline


def test_hovering_a_suggestion_says_who_proposed_it(suggested) -> None:
    window = suggested
    quote = next(s for s in window.document_model.suggestions.values() if s.text == QUOTE)
    (rect,) = window.suggestions.overlay.outline_rects(quote.id)
    point = rect.center().toPoint()
    viewport = window.article.viewport()
    event = QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    assert window.suggestions.show_tooltip(event)
    assert "quote, suggested by quotes (0.90)" in QToolTip.text()
    nowhere = QPoint(int(rect.right()) + 200, int(rect.center().y()) + 300)
    assert not window.suggestions.show_tooltip(
        QHelpEvent(QEvent.Type.ToolTip, nowhere, viewport.mapToGlobal(nowhere))
    )


def test_clicking_a_suggestion_selects_it(suggested) -> None:
    window = suggested
    caption = next(s for s in window.document_model.suggestions.values() if s.text == CAPTION)
    (rect,) = window.suggestions.overlay.outline_rects(caption.id)
    QTest.mouseClick(
        window.article.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint()
    )
    assert window.document_model.selected_suggestion == caption
    assert window.suggestions.panel.table.currentIndex().row() == 2


def test_astral_characters_before_a_suggestion_keep_it_on_its_characters(
    open_window, make_project
) -> None:
    window = open_window(make_project(("Emoji", EMOJI_TEXT)))
    window.action("suggest.document").trigger()
    (quote,) = window.document_model.suggestions.values()
    assert quote.text == QUOTE and quote.start == EMOJI_TEXT.index(QUOTE)
    placed = window.suggestions.overlay.placement.placed[quote.id]
    assert placed.qs == len(EMOJI_TEXT[: quote.start].encode("utf-16-le")) // 2
    assert placed.qs == quote.start + 4  # 🚀, 👍, 🏽 and 🚋 are two units each
    # the outline is drawn around the quote's own characters
    (rect,) = window.suggestions.overlay.outline_rects(quote.id)
    view = window.article
    hit = view.cursorForPosition(QPoint(int(rect.left()) + 3, int(rect.center().y())))
    assert hit.position() == placed.qs
    key(window, Qt.Key.Key_BracketRight)
    key(window, Qt.Key.Key_Comma, CTRL)  # the closing mark out
    key(window, Qt.Key.Key_Return)
    assert stored(window)["spans"] == [(QUOTE[:-1], "quote", "manual", "tester")]


def test_suggest_for_all_documents_not_done_skips_the_done_ones(open_window, make_project) -> None:
    path = make_project(("Tram", TEXT), ("Two quotes", TWO_QUOTES), ("Done", EMOJI_TEXT))
    with Store(path, "tester") as store:
        store.statuses.set(3, "done")
    window = open_window(path)
    reports = []
    window.show_report = lambda title, summary, details, **kw: reports.append(summary) or False
    report = window.suggestions.suggest_all()
    assert report is not None and report.documents == 2
    assert "Suggested on 2 documents" in reports[0]
    with Store(path) as other:
        by_document = {
            doc: len([s for s in other.spans.in_document(doc) if s.origin == "suggested"])
            for doc in (1, 2, 3)
        }
    assert by_document == {1: 3, 2: 2, 3: 0}
    assert len(window.document_model.suggestions) == by_document[window.current_document]
    documents = window.documents.model
    assert [documents.suggested.get(doc, 0) for doc in (1, 2, 3)] == [3, 2, 0]


def test_the_tag_menu_offers_suggestions_to_a_new_user(window) -> None:
    texts = [a.text().replace("&", "") for a in window.tag_menu.actions()]
    assert "Suggest for this document" in texts
    assert "Suggest for all documents not done…" in texts
    assert "Accept all suggested" in texts
    panel = window.suggestions.panel
    assert "Suggest for this document" in panel.heading.text()
    assert panel.suggest.text() == "Suggest"
