"""The built-in suggesters on the texts that trip rules up."""

from __future__ import annotations

import pytest

from annotator.suggest.builtin import captions, concessions, quotes
from annotator.suggest.builtin.patterns import PatternError, default_path, load

PATTERNS = load(default_path())


def quoted(text):
    return [(text[s.start : s.end], s.score) for s in quotes.suggest(text, PATTERNS)]


def test_curly_straight_guillemet_and_low_nine_quotes_are_found_with_their_marks():
    text = (
        'He said “we will build it.” She said "not here." '
        "Il a dit « pas question ». Er sagte „niemals“ dazu."
    )
    assert [q for q, _ in quoted(text)] == [
        "“we will build it.”",
        '"not here."',
        "« pas question »",
        "„niemals“",
    ]


def test_an_apostrophe_is_never_a_quotation_mark():
    text = "The nurses’ union said it didn’t agree. ‘We won’t stop,’ a nurse said."
    assert [q for q, _ in quoted(text)] == ["‘We won’t stop,’"]


def test_a_quote_over_several_paragraphs_is_one_span_per_paragraph():
    text = "She said: “The first part goes on.\n\n“The second part ends here,” she added."
    assert [q for q, _ in quoted(text)] == [
        "“The first part goes on.",
        "“The second part ends here,”",
    ]


def test_doubled_marks_of_scraped_text_count_once():
    assert [q for q, _ in quoted("““We will win,” he said.")] == ["““We will win,”"]


def test_a_stray_mark_does_not_swallow_the_rest():
    text = "A stray “ mark here. Then “a real quote,” he said."
    assert [q for q, _ in quoted(text)] == ["“a real quote,”"]


def test_scare_quotes_score_low_and_short_attributed_quotes_do_not():
    text = "The so-called “reform” passed. Asked about it, Bo said: “Never.”"
    scores = dict(quoted(text))
    assert scores["“reform”"] == quotes.SCARE_SCORE
    assert scores["“Never.”"] > quotes.SCARE_SCORE


def test_captions_are_whole_credit_lines_and_agency_names_inside_words_are_not():
    text = (
        "Headline\n"
        "Photo: The bridge at dawn. (Ana Ruiz / City Courier)\n"
        "The chapter on APs and Reuters reporting was long.\n"
        "  Crowds gathered on Monday. AP Photo/Jane Doe  \n"
        "Flooded streets in the old town (Image: Getty)\n"
    )
    found = [text[s.start : s.end] for s in captions.suggest(text, PATTERNS)]
    assert found == [
        "Photo: The bridge at dawn. (Ana Ruiz / City Courier)",
        "Crowds gathered on Monday. AP Photo/Jane Doe",
        "Flooded streets in the old town (Image: Getty)",
    ]


def test_captions_marked_by_a_web_page_are_suggested():
    text = "Body text.\nA caption the page marked.\nMore body."
    found = captions.suggest(text, PATTERNS, {"captions": [[11, 37]]})
    assert [(s.start, s.end) for s in found] == [(11, 37)]


def test_concessions_take_the_sentence_or_the_clause_after_a_comma():
    text = "Admittedly, costs rose. Prices fell, although wages did not. Rain fell."
    found = {text[s.start : s.end] for s in concessions.suggest(text, PATTERNS)}
    assert found == {"Admittedly, costs rose.", "although wages did not"}


def test_a_bad_patterns_line_is_refused_with_its_file_and_line(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"suggester": "quotes", "pair": ["“", "”"]}\n{"suggester": "x", "regex": "("}\n'
    )
    with pytest.raises(PatternError, match=r"p.jsonl:2: "):
        load(path)


def test_sentences_end_at_a_full_stop_but_not_after_an_abbreviation():
    from annotator.suggest.builtin.sentences import sentences

    text = (
        "Talks resumed on Monday. Dr. Ana Ruiz of the U.S. team spoke first, e.g. on tariffs. "
        "The mayor (Jr.) left at 5 p.m. Others stayed.\nA second paragraph_x. Ends here."
    )
    got = [text[s:e] for s, e in sentences(text)]
    assert got == [
        "Talks resumed on Monday.",
        "Dr. Ana Ruiz of the U.S. team spoke first, e.g. on tariffs.",
        "The mayor (Jr.) left at 5 p.m.",
        "Others stayed.",
        "A second paragraph_x.",
        "Ends here.",
    ]
