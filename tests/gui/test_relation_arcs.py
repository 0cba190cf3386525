"""Relation arcs run in the gaps between lines and in the margins, never over a word."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextCursor

from annotator.store.project import Store

# Paragraphs that wrap over several lines, with astral characters before the spans, so that
# the ends are found through the UTF-16 boundary.
SPEECH = (
    "Rally \U0001f4e3 report\n\n"
    "\U0001f30d The minister for transport, Edith Carver, spoke for an hour to a crowd that "
    "filled the square and the streets around it. \u201cWe will build the line,\u201d "
    "Carver said, and the crowd cheered for a long time before she went on to the budget. "
    "\u201cIt will be paid for,\u201d she added.\n\n"
    "Her opponent, Tomas Reyes, said the plan was late. \u201cThe money is not there,\u201d "
    "Reyes told reporters after the rally had ended and the square had emptied."
)

PAIRS = [  # (quote, speaker): one on the same line, the others across lines or paragraphs
    ("\u201cWe will build the line,\u201d", "Carver said"),
    ("\u201cIt will be paid for,\u201d", "Edith Carver"),
    ("\u201cThe money is not there,\u201d", "Tomas Reyes"),
    ("\u201cThe money is not there,\u201d", "Reyes told"),
]


def relate(path, pairs=PAIRS) -> None:
    with Store(path) as store:
        document = store.documents.rows()[0].id
        text = store.documents.text(document)
        made: dict[str, int] = {}
        for quote, speaker in pairs:
            ids = []
            for needle, label in ((quote, "quote"), (speaker.removesuffix(" said"), "speaker")):
                needle = needle.removesuffix(" told")
                if needle not in made:
                    start = text.index(needle)
                    made[needle] = store.spans.add(document, start, start + len(needle), label).id
                ids.append(made[needle])
            store.relations.add(ids[0], ids[1], "said_by")


def line_rects(view) -> list[QRectF]:
    """The inked part of each line on screen, in viewport coordinates."""
    rects = []
    offset = view.contentOffset()
    for block in view._visible_blocks():
        top = view.blockBoundingGeometry(block).translated(offset).topLeft()
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            if line.textLength():
                rects.append(line.naturalTextRect().translated(top))
    return rects


def crosses(a: QPointF, b: QPointF, rect: QRectF) -> bool:
    """Whether the straight stretch a→b passes through the inside of ``rect``."""
    inner = rect.adjusted(0.5, 0.5, -0.5, -0.5)
    steps = max(2, int(abs(b.x() - a.x()) + abs(b.y() - a.y())))
    return any(inner.contains(a + (b - a) * (i / steps)) for i in range(steps + 1))


def routes_of(window):
    window.article.viewport().repaint()
    overlay = window.relation_panel.overlay
    overlay.repaint()
    return overlay.routes()


def test_arcs_never_cross_a_line_of_text(open_window, make_project) -> None:
    path = make_project(("Speech", SPEECH))
    relate(path)
    window = open_window(path)
    window.resize(900, 700)
    view = window.article
    assert view.line_gap() > 0  # the project has relation types: room above every line
    found = routes_of(window)
    assert len(found) == len(PAIRS)
    lines = line_rects(view)
    assert len(lines) > 6  # the paragraphs wrap
    tops = {round(r.top()) for r in lines}
    for relation, way in found:
        points = [QPointF(x, y) for x, y in way.points]
        for a, b in zip(points, points[1:], strict=False):
            hit = [r for r in lines if crosses(a, b, r)]
            assert not hit, (relation.id, a, b, hit)
        # both ends meet their spans at the top of a line of text
        assert round(points[0].y()) in tops and round(points[-1].y()) in tops
    same_line = [w for _, w in found if len({p[1] for p in w.points}) <= 2]
    assert same_line  # "We will build the line," and Carver hop over their own line
    across = [w for _, w in found if w not in same_line]
    margin = view.document().documentMargin()
    width = window.relation_panel.overlay.width()
    for way in across:  # the long way runs down a side margin, outside the text column
        xs = {p[0] for p in way.points}
        assert any(x < margin or x > width - margin for x in xs)


def test_arcs_in_one_gap_are_stacked_not_drawn_over_each_other(open_window, make_project) -> None:
    path = make_project(("Speech", SPEECH))
    relate(path)
    window = open_window(path)
    window.resize(900, 700)
    found = routes_of(window)
    # the two relations of "The money is not there," leave from the same line: their
    # stretches along that gap are at different heights
    heights = []
    for relation, way in found:
        quote = window.document_model.spans[relation.head]
        if quote.text.startswith("\u201cThe money"):
            heights.append(way.points[1][1])
    assert len(heights) == 2 and heights[0] != heights[1]


def test_lines_touch_without_relation_types_and_the_caret_still_lands(
    open_window, make_project
) -> None:
    path = make_project(("Speech", SPEECH))
    with Store(path) as store:
        for kind in store.relation_types.all():
            store.relation_types.delete(kind.name)
    window = open_window(path)
    window.resize(900, 700)
    view = window.article
    assert view.line_gap() == 0
    window.store.relation_types.add("said_by", heads=["quote"], children=["speaker"])
    window.relation_panel.follow_types(_added(window))
    assert view.line_gap() > 0
    # clicking a word on a spaced line still finds that word, past the astral characters
    start = SPEECH.index("Reyes told")
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(start) + 2)
    point = view.cursorRect(cursor).center()
    assert view.offsets.from_utf16(view.cursorForPosition(point).position()) == start + 2


def _added(window):
    from annotator.changes import Change, Changes

    kind = window.store.relation_types.get("said_by")
    return Changes(relation_types={kind.id: Change(None, kind)})


def test_many_arcs_in_one_gap_stay_inside_it() -> None:
    from annotator.gui.article.arc_routes import End, Margins, levels_in, route

    gap, top = 10.0, 100.0
    edges = Margins(width=600, height=400, text_left=16, text_right=584)
    arcs = [(n, End(20 + n * 5, top), End(300 + n * 5, top), True) for n in range(8)]
    found = route(arcs, gap, edges)
    heights = sorted({way.points[1][1] for way in found})
    assert len(heights) == levels_in(gap) > 1  # stacked as far as the gap allows
    assert all(top - gap < y < top for y in heights)  # and never into the line above
    nested = route(
        [(0, End(20, top), End(500, top), True), (1, End(100, top), End(200, top), True)],
        gap,
        edges,
    )
    assert nested[1].points[1][1] > nested[0].points[1][1]  # the short arc sits under the long
