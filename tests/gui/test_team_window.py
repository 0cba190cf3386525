"""The window on a team project: each analyst's own spans, everyone's statuses, the agreement
table, and review mode building the curated layer one undoable step at a time."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.formats.exporting import export
from annotator.gui.dialogs.agreement import figure
from annotator.model import text_hash
from annotator.store.project import Store
from annotator.team.layers import CURATED
from annotator.team.merge import merge_projects
from annotator.team.project_agreement import agreement

from .helpers import select_cp

TEXTS = [
    "The minister said the bridge opens in 2027. Critics doubt it.",
    "\u201cWe are on budget,\u201d said Ana Ruiz. Costs rose anyway.",
    "Photo: the river at dawn. Admittedly, the works are late.",
]
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def analyst_project(path, who, work, statuses):
    with Store(path, who) as store:
        with store.transaction():
            ids = [
                store.documents.insert(text=t, text_hash=text_hash(t), title=f"Text {i}")
                for i, t in enumerate(TEXTS)
            ]
        for index, spans in work.items():
            for start, end, label in spans:
                store.spans.add(ids[index], start, end, label)
        for index, status in statuses.items():
            store.statuses.set(ids[index], status)
    return path


@pytest.fixture
def team(tmp_path):
    """Three analysts merged: on text 0 all made (0, 12) claim, ana (44, 61) and bo (44, 60);
    on text 1 ana and bo (both done) made (0, 20) quote and cy is still at it; text 2 only cy
    did."""
    done = {0: "done", 1: "done"}
    sources = [
        analyst_project(
            tmp_path / "ana.db",
            "ana",
            {0: [(0, 12, "claim"), (44, 61, "claim")], 1: [(0, 20, "quote")]},
            done,
        ),
        analyst_project(
            tmp_path / "bo.db",
            "bo",
            {0: [(0, 12, "claim"), (44, 60, "claim")], 1: [(0, 20, "quote")]},
            done,
        ),
        analyst_project(
            tmp_path / "cy.db",
            "cy",
            {0: [(0, 12, "claim")], 2: [(0, 24, "caption")]},
            {0: "done", 1: "in_progress", 2: "done"},
        ),
    ]
    path = tmp_path / "team.db"
    with Store(path, "lead") as store:
        merge_projects(store, sources)
    return path


@pytest.fixture
def as_analyst(monkeypatch, open_window, team):
    def make(name: str):
        monkeypatch.setenv("ANNOTATOR_USER", name)
        window = open_window(team)
        window.open_document(1)
        return window

    return make


def shown(window) -> list[tuple[int, int, str, str]]:
    return sorted(
        (s.start, s.end, s.label, s.annotator) for s in window.document_model.spans.values()
    )


def curated(window) -> list[tuple[int, int, str]]:
    """The curated spans of the open document, read through a connection of its own."""
    with Store(window.store.path) as other:
        return sorted(
            (s.start, s.end, s.label)
            for s in other.spans.in_document(window.current_document)
            if s.origin == "curated"
        )


def test_an_analyst_sees_only_their_own_spans_until_everyones_are_asked_for(as_analyst) -> None:
    window = as_analyst("ana")
    assert shown(window) == [(0, 12, "claim", "ana"), (44, 61, "claim", "ana")]
    assert window.span_model.rowCount() == 2 and window.span_model.columnCount() == 4
    window.action("view.everyone_spans").trigger()
    assert sorted(who for *_, who in shown(window)) == ["ana", "ana", "bo", "bo", "cy"]
    model = window.span_model
    assert model.columnCount() == 5 and model.headerData(4, Qt.Orientation.Horizontal) == "By"
    assert {model.data(model.index(r, 4)) for r in range(model.rowCount())} == {"ana", "bo", "cy"}
    window.action("view.everyone_spans").trigger()
    assert len(shown(window)) == 2 and model.columnCount() == 4


def test_with_everyones_spans_shown_another_analysts_span_is_not_changed(as_analyst) -> None:
    window = as_analyst("ana")
    window.action("view.everyone_spans").trigger()
    theirs = next(s for s in window.document_model.spans.values() if s.annotator == "bo")
    window.editor.select(theirs.id)
    QTest.keyClick(window.article, Qt.Key.Key_Delete)
    QTest.keyClick(window.article, Qt.Key.Key_2)  # relabel
    assert "bo's" in window.statusBar().currentMessage()
    with Store(window.store.path) as other:
        assert other.spans.get(theirs.id).label == "claim"


def test_a_span_made_in_a_team_project_is_the_analysts_own(as_analyst) -> None:
    window = as_analyst("bo")
    select_cp(window, 13, 17)
    QTest.keyClick(window.article, Qt.Key.Key_2)
    assert (13, 17, "quote", "bo") in shown(window)
    with Store(window.store.path) as other:
        made = [s for s in other.spans.in_document(1) if (s.start, s.end) == (13, 17)]
    assert [(s.annotator, s.origin) for s in made] == [("bo", "manual")]


def test_the_document_list_shows_everyones_status(as_analyst) -> None:
    window = as_analyst("ana")
    model = window.documents.model
    assert window.action("view.everyone_statuses").isChecked()
    team = [model.data(model.index(r, model.TEAM)) for r in range(model.rowCount())]
    assert team == ["ana ✓ · bo ✓ · cy ✓", "ana ✓ · bo ✓ · cy …", "ana – · bo – · cy ✓"]
    assert model.data(model.index(0, 1)) == "done"  # the analyst's own status, as before
    window.moving_on.reopen()  # ana's own status goes back to in progress
    assert model.data(model.index(0, model.TEAM)) == "ana … · bo ✓ · cy ✓"
    window.action("view.everyone_statuses").trigger()
    assert model.columnCount() == 3


def test_a_single_analysts_project_shows_every_span_and_no_team_column(
    open_window, tmp_path
) -> None:
    path = analyst_project(tmp_path / "solo.db", "someone", {0: [(0, 12, "claim")]}, {})
    window = open_window(path)  # as "tester", who has done nothing here yet
    window.open_document(1)
    assert shown(window) == [(0, 12, "claim", "someone")]
    assert window.span_model.columnCount() == 4 and window.documents.model.columnCount() == 3


def agreement_dialog(window):
    window.action("view.agreement").trigger()
    return next(w for w in window.side_windows if w.objectName() == "agreementDialog")


def expected_pairs(report: dict) -> list[dict]:
    keys = ("a_spans", "b_spans", "exact_f1", "overlap_f1", "kappa")
    out = []
    for pair in report["pairs"]:
        count = pair["documents"]
        out.append(
            {
                "title": f"{pair['a']} and {pair['b']}, {count} document{'' if count == 1 else 's'}",
                "all": [
                    f"{pair['a']}: {figure(pair['all']['a_spans'])}",
                    f"{pair['b']}: {figure(pair['all']['b_spans'])}",
                    *(figure(pair["all"][k]) for k in keys[2:]),
                ],
                "labels": {
                    **{name: [figure(f[k]) for k in keys] for name, f in pair["labels"].items()},
                    **{
                        f"{name} (relations)": [
                            figure(f["a_relations"]),
                            figure(f["b_relations"]),
                            figure(f["exact_f1"]),
                            "",
                            "",
                        ]
                        for name, f in pair.get("relations", {}).items()
                    },
                },
            }
        )
    return out


def test_the_agreement_dialog_shows_the_figures_of_the_agreement_command(as_analyst) -> None:
    window = as_analyst("lead")
    dialog = agreement_dialog(window)
    with Store(window.store.path) as other:
        every = agreement(other).to_json()
        claims = agreement(other, ["claim"]).to_json()
    assert len(every["pairs"]) == 3
    assert dialog.shown_pairs() == expected_pairs(every)
    assert dialog.shown_documents() == [
        [str(d["number"]), d["title"], str(d["unmatched_spans"]), figure(d["exact_f1"])]
        for d in every["documents"]
    ]
    assert "–" in dialog.shown_pairs()[0]["labels"]["concession"]  # F1 null: neither has one
    dialog.label.setCurrentIndex(dialog.label.findData("claim"))
    assert dialog.shown_pairs() == expected_pairs(claims)
    window.store.conn.execute(
        "INSERT INTO curations (document_id, curator, curated_at) VALUES (1, 'lead', 't')"
    )
    dialog.label.setCurrentIndex(0)
    dialog.against.setChecked(True)
    with Store(window.store.path) as other:
        gold = agreement(other, against=CURATED).to_json()
    assert [p["b"] for p in gold["pairs"]] == ["curated"] * 3
    assert dialog.shown_pairs() == expected_pairs(gold)


def test_a_document_opened_from_the_agreement_dialog_opens_in_review_mode(as_analyst) -> None:
    window = as_analyst("lead")
    dialog = agreement_dialog(window)
    dialog.against.setChecked(False)
    first = dialog.report["documents"][0]["number"]
    dialog.documents.setCurrentCell(0, 1)
    dialog.documents.setFocus()
    QTest.keyClick(dialog.documents, Qt.Key.Key_Return)
    assert window.current_document == first and window.review.active


def review_rows(window) -> list[tuple[tuple[int, int, str], str, str]]:
    model = window.review.panel.model
    return [
        (s.key, model.data(model.index(r, 4)), model.data(model.index(r, 0)))
        for r, s in enumerate(model.rows)
    ]


def test_review_mode_accepts_spans_one_undoable_step_at_a_time(as_analyst, tmp_path) -> None:
    window = as_analyst("lead")
    QTest.keyClick(window.article, Qt.Key.Key_F6)
    assert window.review.active and window.review_dock.isVisible()
    assert shown(window) == []  # the curated layer, empty so far
    assert review_rows(window) == [
        ((0, 12, "claim"), "3 analysts (ana, bo, cy) · agreed", ""),
        ((44, 60, "claim"), "bo", ""),
        ((44, 61, "claim"), "ana", ""),
    ]
    table = window.review.panel.table

    # one span, chosen in the panel (shown selected in the article) and accepted with Enter
    window.review.panel.select_row(2)
    assert window.article.selection_cp() == (44, 61)
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert curated(window) == [(44, 61, "claim")]
    assert review_rows(window)[2][2] == "✓ accepted"

    # everything the analysts who marked it done made identically
    QTest.keyClick(window.article, Qt.Key.Key_G, CTRL | SHIFT)
    assert curated(window) == [(0, 12, "claim"), (44, 61, "claim")]

    # every claim of bo's
    panel = window.review.panel
    panel.analyst.setCurrentIndex(panel.analyst.findData("bo"))
    panel.label.setCurrentIndex(panel.label.findData("claim"))
    assert [key for key, *_ in review_rows(window)] == [(0, 12, "claim"), (44, 60, "claim")]
    QTest.keyClick(window.article, Qt.Key.Key_L, CTRL | SHIFT)
    assert curated(window) == [(0, 12, "claim"), (44, 60, "claim"), (44, 61, "claim")]
    assert {s.annotator for s in window.document_model.spans.values()} == {"lead"}

    # each undone on its own, newest first; and redone
    undo, redo = window.action("edit.undo"), window.action("edit.redo")
    undo.trigger()
    assert curated(window) == [(0, 12, "claim"), (44, 61, "claim")]
    undo.trigger()
    assert curated(window) == [(44, 61, "claim")]
    undo.trigger()
    assert curated(window) == [] and shown(window) == []
    for _ in range(3):
        redo.trigger()
    assert curated(window) == [(0, 12, "claim"), (44, 60, "claim"), (44, 61, "claim")]

    # the curator corrects the curated layer like any spans: a delete is a step too
    window.editor.select(next(s.id for s in window.document_model.spans.values() if s.end == 60))
    QTest.keyClick(window.article, Qt.Key.Key_Delete)
    assert curated(window) == [(0, 12, "claim"), (44, 61, "claim")]

    # done in review mode settles the document (and goes to the next one not settled)
    QTest.keyClick(window.article, Qt.Key.Key_Return, CTRL)
    with Store(window.store.path) as other:
        assert other.conn.execute("SELECT document_id, curator FROM curations").fetchall() == [
            (1, "lead")
        ]
        assert other.statuses.of(1, "lead") == "new"  # the curator is not one of the analysts
    assert window.current_document == 2
    undo.trigger()
    assert window.current_document == 1
    with Store(window.store.path) as other:
        assert other.conn.execute("SELECT count(*) FROM curations").fetchone()[0] == 0
    redo.trigger()

    out = tmp_path / "gold.jsonl"
    with Store(window.store.path) as other:
        export(other, "annotator", out, curated=True)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [
        (r["text"], [(s["start"], s["end"], s["label"]) for s in r["spans"]]) for r in lines
    ] == [(TEXTS[0], [(0, 12, "claim"), (44, 61, "claim")])]


def test_a_span_tagged_in_review_mode_is_curated(as_analyst) -> None:
    window = as_analyst("lead")
    window.action("review.mode").trigger()
    select_cp(window, 13, 17)
    QTest.keyClick(window.article, Qt.Key.Key_1)
    with Store(window.store.path) as other:
        made = [s for s in other.spans.in_document(1) if (s.start, s.end) == (13, 17)]
    assert [(s.annotator, s.origin) for s in made] == [("lead", "curated")]
    assert curated(window) == [(13, 17, "claim")]
    window.action("review.mode").trigger()  # back to the analyst's own spans: the curated one goes
    assert shown(window) == []


def test_accept_all_agreed_needs_two_analysts_done(as_analyst) -> None:
    window = as_analyst("lead")
    window.action("review.mode").trigger()
    window.open_document(3)  # only cy did text 2
    window.action("review.accept_agreed").trigger()
    assert "Fewer than two analysts" in window.statusBar().currentMessage()
    assert curated(window) == []
    window.open_document(2)  # ana and bo did it; cy is still at it
    window.action("review.accept_agreed").trigger()
    assert curated(window) == [(0, 20, "quote")]
    window.action("review.accept_agreed").trigger()
    assert "nothing more" in window.statusBar().currentMessage()
    assert curated(window) == [(0, 20, "quote")]


def test_a_refresh_in_review_mode_reads_the_analysts_spans_again(as_analyst) -> None:
    window = as_analyst("lead")
    window.action("review.mode").trigger()
    with Store(window.store.path, "cy") as other:
        other.spans.add(1, 13, 17, "quote")
    window.action("view.refresh").trigger()
    assert ((13, 17, "quote"), "cy", "") in review_rows(window)


def test_a_team_project_says_so_and_a_curator_comes_back_in_review_mode(
    as_analyst, open_window, team, monkeypatch
) -> None:
    window = as_analyst("lead")
    assert window.statusBar().currentMessage().startswith("Team project (ana, bo, cy): your own")
    window.action("review.mode").trigger()
    window.open_document(2)
    window.close()
    again = open_window(team)
    assert again.review.active and again.current_document == 2
    assert again.review_dock.isVisible()
    monkeypatch.setenv("ANNOTATOR_USER", "ana")
    ana = open_window(team)  # each analyst has a place of their own, out of review mode
    assert not ana.review.active


def test_accepting_a_variant_replaces_the_one_curated_at_that_place(as_analyst) -> None:
    window = as_analyst("lead")
    window.action("review.mode").trigger()
    table = window.review.panel.table
    window.review.panel.select_row(2)  # ana's (44, 61) claim
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert curated(window) == [(44, 61, "claim")]
    window.review.panel.select_row(1)  # bo's (44, 60): another version of the same claim
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert curated(window) == [(44, 60, "claim")]  # never both, as duplicate gold
    assert "in place of" in window.statusBar().currentMessage()
    window.action("edit.undo").trigger()
    assert curated(window) == [(44, 61, "claim")]
    window.action("edit.redo").trigger()
    assert curated(window) == [(44, 60, "claim")]
