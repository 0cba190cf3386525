"""Who said each quote, suggested in the project: the speaker span and the relation, their
names from the project, accepted and rejected together, exported, and from a user's program."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli.main import cli
from annotator.formats.exporting import export
from annotator.model import RelationError
from annotator.suggest.running import (
    SuggestError,
    accept_suggestion,
    reject_suggestion,
    run_command,
    run_suggesters,
    suggestions,
    unreject_suggestion,
)

TEXT = (
    "Union warns of strike\n\n"
    "Abena Osei, the union's general secretary, spoke to members on Monday.\n\n"
    "“We have no choice,” Ms Osei said. “The money has run out.”\n\n"
    "The board's chair, Edith Carver, told reporters: “We are ready to talk.”\n"
)
QUOTE = "“We have no choice,”"


@pytest.fixture
def doc(add_doc):
    return add_doc(TEXT, title="Strike")


def at(text: str, n: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(n + 1):
        start = TEXT.index(text, start + 1)
    return start, start + len(text)


def related(store, doc) -> list[tuple[str, str, str, str]]:
    """(quote text, relation type, speaker text, origin) of every relation of a document."""
    out = []
    for r in store.relations.in_document(doc):
        head, child = store.spans.get(r.head), store.spans.get(r.child)
        out.append((head.text, r.label, child.text, r.origin))
    return sorted(out)


def test_each_quote_gets_its_speaker_span_and_a_suggested_relation(store, doc):
    report = run_suggesters(store, documents=[doc])
    speakers = [
        (s.text, s.label, s.suggester) for s in suggestions(store, doc) if s.label == "speaker"
    ]
    assert speakers == [("Ms Osei", "speaker", "speakers"), ("Edith Carver", "speaker", "speakers")]
    assert related(store, doc) == [
        ("“The money has run out.”", "said_by", "Ms Osei", "suggested"),
        ("“We are ready to talk.”", "said_by", "Edith Carver", "suggested"),
        (QUOTE, "said_by", "Ms Osei", "suggested"),
    ]
    assert report.relations["speakers"]["said_by"] == 3
    assert "speakers: 2 (speaker 2); relations: said_by 3" in report.summary()
    again = run_suggesters(store, documents=[doc])  # nothing new, nothing withdrawn
    assert not again.relations.get("speakers") and again.withdrawn == 0
    assert len(related(store, doc)) == 3


def test_the_analysts_own_quote_gets_a_suggested_speaker_and_relation(store, doc):
    mine = store.spans.add(doc, *at(QUOTE), "quote")
    run_suggesters(store, ["speakers"], documents=[doc])
    assert (QUOTE, "said_by", "Ms Osei", "suggested") in related(store, doc)
    relation = next(r for r in store.relations.in_document(doc) if r.head == mine.id)
    assert store.spans.get(relation.child).origin == "suggested"


def test_a_speaker_already_tagged_is_related_to_not_suggested_again(store, doc):
    speaker = store.spans.add(doc, *at("Edith Carver"), "speaker")
    run_suggesters(store, documents=[doc])
    assert "Edith Carver" not in [s.text for s in suggestions(store, doc)]
    relation = next(r for r in store.relations.in_document(doc) if r.child == speaker.id)
    assert (relation.origin, store.spans.get(relation.head).origin) == ("suggested", "suggested")


def test_a_quote_the_analyst_related_already_gets_no_suggestion(store, doc):
    quote = store.spans.add(doc, *at(QUOTE), "quote")
    speaker = store.spans.add(doc, *at("Abena Osei"), "speaker")
    store.relations.add(quote.id, speaker.id, "said_by")
    run_suggesters(store, ["speakers"], documents=[doc])
    assert [r for r in related(store, doc) if r[0] == QUOTE] == [
        (QUOTE, "said_by", "Abena Osei", "manual")
    ]


def test_speakers_alone_runs_the_quotes_rules_for_its_quotes(store, doc):
    report = run_suggesters(store, ["speakers"], documents=[doc])
    assert list(report.proposed) == ["quotes", "speakers"]
    assert len(related(store, doc)) == 3


def test_the_label_and_type_names_come_from_the_project(store, doc):
    store.labels.rename("quote", "citation")
    store.labels.rename("speaker", "source")
    store.relation_types.rename("said_by", "attributed_to")
    run_suggesters(store, documents=[doc])
    labels = {s.label for s in suggestions(store, doc)}
    assert {"citation", "source"} <= labels and "speaker" not in labels
    assert {r[1] for r in related(store, doc)} == {"attributed_to"}


def test_a_project_of_its_own_naming_the_speaker_end_differently(tmp_path, write):
    """Labels and a type made from scratch: the child end of the type from quote is used."""
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db, "labels", "add", "source"]).exit_code == 0
    runner.invoke(cli, ["--db", db, "relations", "delete", "said_by", "--force"])
    made = runner.invoke(
        cli, ["--db", db, "relations", "add", "voiced_by", "--head", "quote", "--child", "source"]
    )
    assert made.exit_code == 0, made.output
    runner.invoke(cli, ["--db", db, "import", str(write("a.txt", TEXT))])
    result = runner.invoke(cli, ["--db", db, "suggest", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["relations"]["speakers"] == {"voiced_by": 3}
    assert report["suggested"]["speakers"] == {"source": 2}


def test_without_a_type_from_quote_the_suggester_does_nothing_and_says_why(tmp_path, write):
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    runner.invoke(cli, ["--db", db, "import", str(write("a.txt", TEXT))])
    runner.invoke(cli, ["--db", db, "relations", "delete", "said_by", "--force"])
    result = runner.invoke(cli, ["--db", db, "suggest"])
    assert result.exit_code == 0, result.output
    assert "speakers: not run, since no relation type goes from quote to another label" in (
        result.output
    )
    assert "quotes: 3 (quote 3)" in result.output  # the others ran as ever
    as_json = json.loads(runner.invoke(cli, ["--db", db, "suggest", "--json"]).output)
    assert "no relation type goes from quote" in as_json["not_run"]["speakers"]
    stats = runner.invoke(cli, ["--db", db, "stats", "--json"]).output
    assert "speaker" not in json.loads(stats)["suggestions_by_suggester"].get("speakers", {})


# -- accepting and rejecting together ------------------------------------------------------------


def _suggested(store, doc, text: str):
    return next(s for s in suggestions(store, doc) if s.text == text)


def test_accepting_the_quote_takes_its_speaker_and_the_relation(store, doc):
    run_suggesters(store, documents=[doc])
    quote = _suggested(store, doc, QUOTE)
    span = accept_suggestion(store, quote.id)
    assert (span.text, span.origin) == (QUOTE, "manual")
    own = {s.text: s for s in store.spans.in_document(doc) if s.origin != "suggested"}
    assert set(own) == {QUOTE, "Ms Osei"}
    assert (QUOTE, "said_by", "Ms Osei", "manual") in related(store, doc)
    # the other quote Ms Osei said is still a suggestion, now related to the accepted speaker
    assert ("“The money has run out.”", "said_by", "Ms Osei", "suggested") in related(store, doc)
    history = [c["action"] for c in store.history(doc)]
    assert history.count("accept_suggestion") == 2


def test_accepting_the_speaker_takes_every_quote_it_said(store, doc):
    run_suggesters(store, documents=[doc])
    accept_suggestion(store, _suggested(store, doc, "Ms Osei").id)
    assert [r for r in related(store, doc) if r[2] == "Ms Osei"] == [
        ("“The money has run out.”", "said_by", "Ms Osei", "manual"),
        (QUOTE, "said_by", "Ms Osei", "manual"),
    ]


def test_accepted_as_another_label_the_relation_its_type_forbids_is_dropped(store, doc):
    run_suggesters(store, documents=[doc])
    quote = _suggested(store, doc, QUOTE)
    accept_suggestion(store, quote.id, label="claim")
    assert not [r for r in related(store, doc) if r[0] == QUOTE]
    for r in store.relations.in_document(doc):  # every relation fits its type
        kind = store.relation_types.get(r.label)
        assert kind.fits(store.spans.get(r.head).label, store.spans.get(r.child).label)
    assert "Ms Osei" in [s.text for s in suggestions(store, doc)]  # still proposed, alone


def test_rejecting_a_quote_drops_its_speaker_and_relation_and_undo_brings_them_back(store, doc):
    run_suggesters(store, documents=[doc])
    before = {s.id for s in suggestions(store, doc)}
    quote = _suggested(store, doc, "“We are ready to talk.”")
    gone = reject_suggestion(store, quote.id)
    assert "Edith Carver" not in [s.text for s in suggestions(store, doc)]
    assert not [r for r in related(store, doc) if r[2] == "Edith Carver"]
    # Ms Osei said two quotes: rejecting one leaves her with the other
    reject_suggestion(store, _suggested(store, doc, QUOTE).id)
    assert "Ms Osei" in [s.text for s in suggestions(store, doc)]
    run_suggesters(store, documents=[doc])  # neither the quote nor its speaker comes back
    assert "Edith Carver" not in [s.text for s in suggestions(store, doc)]
    changes = gone.changes
    along = [c.before for k, c in changes.spans.items() if c.after is None and k != quote.id]
    relations = [c.before for c in changes.relations.values() if c.after is None]
    unreject_suggestion(store, gone, along=along, relations=relations)
    assert {quote.id, along[0].id} <= {s.id for s in suggestions(store, doc)} <= before | {quote.id}
    assert ("“We are ready to talk.”", "said_by", "Edith Carver", "suggested") in related(
        store, doc
    )


def test_rejecting_the_speaker_keeps_the_quote_and_never_proposes_that_speaker_again(store, doc):
    run_suggesters(store, documents=[doc])
    reject_suggestion(store, _suggested(store, doc, "Edith Carver").id)
    run_suggesters(store, documents=[doc])
    texts = [s.text for s in suggestions(store, doc)]
    assert "“We are ready to talk.”" in texts and "Edith Carver" not in texts
    assert not [r for r in related(store, doc) if r[2] == "Edith Carver"]


def test_a_type_narrowed_while_suggested_relations_use_it_is_refused(store, doc):
    run_suggesters(store, documents=[doc])
    with pytest.raises(RelationError, match="said_by relations join labels"):
        store.relation_types.update("said_by", children=["claim"])


# -- export ------------------------------------------------------------------------------------


def test_export_leaves_suggested_relations_out_unless_asked(store, doc, tmp_path):
    run_suggesters(store, documents=[doc])
    accept_suggestion(store, _suggested(store, doc, "“We are ready to talk.”").id)
    plain, full = tmp_path / "plain.jsonl", tmp_path / "full.jsonl"
    export(store, "annotator", plain)
    export(store, "annotator", full, include_suggestions=True)
    plain_relations = json.loads(plain.read_text())["relations"]
    assert [r["origin"] for r in plain_relations] == ["manual"]
    full_relations = json.loads(full.read_text())["relations"]
    assert sorted(r["origin"] for r in full_relations) == ["manual", "suggested", "suggested"]


@pytest.mark.parametrize("fmt", ["prodigy", "annotator"])
def test_jsonl_formats_say_which_relations_are_suggested(store, doc, tmp_path, fmt):
    run_suggesters(store, documents=[doc])
    out = tmp_path / "o.jsonl"
    export(store, fmt, out, include_suggestions=True)
    record = json.loads(out.read_text())
    assert len(record["relations"]) == 3
    assert {r["origin"] for r in record["relations"]} == {"suggested"}
    export(store, fmt, out)
    assert not json.loads(out.read_text()).get("relations")


def test_brat_notes_a_suggested_relation_and_reads_it_back(store, doc, tmp_path):
    from annotator.formats.importing import import_paths
    from annotator.store.project import Store

    run_suggesters(store, documents=[doc])
    folder = tmp_path / "brat"
    export(store, "brat", folder, include_suggestions=True)
    (ann,) = folder.glob("*.ann")
    lines = ann.read_text().splitlines()
    relation_ids = [line.split("\t")[0] for line in lines if line.startswith("R")]
    notes = [line for line in lines if line.startswith("#")]
    assert len(relation_ids) == 3
    for rid in relation_ids:
        assert any(f"AnnotatorNotes {rid}\torigin: suggested" in n for n in notes)
    with Store(tmp_path / "again.db", "tester") as again:
        import_paths(again, [folder])
        (back,) = again.documents.ids()
        assert {r.origin for r in again.relations.in_document(back)} == {"suggested"}


def test_label_studio_puts_a_suggested_relation_in_one_prediction_with_both_ends(
    store, doc, tmp_path
):
    run_suggesters(store, documents=[doc])
    out = tmp_path / "ls.json"
    report = export(store, "label-studio", out, include_suggestions=True)
    (task,) = json.loads(out.read_text())
    joined = [p for p in task["predictions"] if p["model_version"] == "quotes+speakers"]
    assert len(joined) == 1
    results = joined[0]["result"]
    regions = {r["id"] for r in results if r.get("type") == "labels"}
    links = [r for r in results if r.get("type") == "relation"]
    assert len(links) == 3 and all({r["from_id"], r["to_id"]} <= regions for r in links)
    assert not report.details.get("relations across analysts left out")


def test_the_export_command_with_and_without_include_suggestions(tmp_path, write):
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    runner.invoke(cli, ["--db", db, "import", str(write("a.txt", TEXT))])
    runner.invoke(cli, ["--db", db, "suggest"])
    plain = runner.invoke(cli, ["--db", db, "export", "-o", "-"]).stdout
    assert json.loads(plain)["relations"] == []
    full = runner.invoke(cli, ["--db", db, "export", "--include-suggestions", "-o", "-"]).stdout
    assert [r["origin"] for r in json.loads(full)["relations"]] == ["suggested"] * 3


# -- a program of the user's own ------------------------------------------------------------------

MODEL = Path(__file__).parent.parent / "workers" / "speaker_model.py"


def command(mode: str) -> str:
    return f"{sys.executable} {MODEL} {mode}"


def test_a_users_model_proposes_relations_by_span_index(store, doc):
    report, _ = run_command(store, command("good"), documents=[doc], name="mine")
    assert report.relations["mine"]["said_by"] == 1
    ((head, kind, child, origin),) = related(store, doc)
    assert (head, kind, child, origin) == (QUOTE, "said_by", "Ms Osei", "suggested")
    # run again: the same relation, kept; accepting the quote takes the speaker along
    again, _ = run_command(store, command("good"), documents=[doc], name="mine")
    assert not again.relations["mine"] and len(related(store, doc)) == 1
    accept_suggestion(store, _suggested(store, doc, QUOTE).id)
    assert related(store, doc) == [(QUOTE, "said_by", "Ms Osei", "manual")]


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        ("bad-index", "line 1: relations[0]: child 7 is not the index of one of the line's 2 spans"),
        ("bad-type", "line 1: relations[0]: unknown relation type 'spoken_by'"),
        ("forbidden", "line 1: relations[0]: said_by goes from quote to speaker, not from "
                      "speaker to quote"),
        ("not-a-list", 'line 1: "relations" must be a list'),
        ("bad-score", "line 1: relations[0]: the score must be a number from 0 to 1"),
    ],
)  # fmt: skip
def test_a_bad_relation_line_is_refused_naming_it_and_nothing_is_stored(
    store, doc, dump, mode, says
):
    before = dump(store.path)
    with pytest.raises(SuggestError, match="nothing was stored") as refused:
        run_command(store, command(mode), documents=[doc], name="mine")
    assert says in str(refused.value)
    assert dump(store.path) == before
