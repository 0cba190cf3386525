"""The speakers suggester's rules: who said each quote, style by style, from the text alone."""

from __future__ import annotations

import pytest

from annotator.suggest.builtin.patterns import default_path, load
from annotator.suggest.builtin.people import find_people
from annotator.suggest.builtin.speakers import attribute, rule_quotes, suggest

PATTERNS = load(default_path())


def who_said(text: str) -> dict[str, str | None]:
    """Each quote the quotes rules find (by its text) and the text of its suggested speaker."""
    quotes = rule_quotes(text, PATTERNS)
    found = {a.quote: a for a in attribute(text, PATTERNS, quotes)}
    return {
        text[s:e]: (text[found[(s, e)].speaker[0] : found[(s, e)].speaker[1]])
        if (s, e) in found
        else None
        for s, e in quotes
    }


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        # said X, X said
        ("“We will build it,” said Edith Carver.", "“We will build it,”", "Edith Carver"),
        ("“We will build it,” Carver said.", "“We will build it,”", "Carver"),
        ("“We will build it,” says Mayor Ana Ruiz.", "“We will build it,”", "Mayor Ana Ruiz"),
        ('"We will build it," said chief executive Owen Marsh.', '"We will build it,"',
         "chief executive Owen Marsh"),
        ("“Why should we pay for it?” asked Rosa Kettering.", "“Why should we pay for it?”",
         "Rosa Kettering"),
        # told, colon
        ("Witkoff told CNN: “The talks are over.”", "“The talks are over.”", "Witkoff"),
        ("In an interview on Monday, Witkoff told CNN: “The talks are over.”",
         "“The talks are over.”", "Witkoff"),
        ("The ministry said in a statement: “The line will open in May.”",
         "“The line will open in May.”", "The ministry"),
        ("Witkoff: “The talks are over”", "“The talks are over”", "Witkoff"),
        ("“The talks are over.” — Steve Witkoff", "“The talks are over.”", "Steve Witkoff"),
        ("“We will not resign,” said John F. Kennedy, the senator.", "“We will not resign,”",
         "John F. Kennedy"),
        ("“We have the votes,” Mr. Smith told reporters Tuesday.", "“We have the votes,”",
         "Mr. Smith"),
        # according to
        ("“The line will open in May,” according to the ministry.",
         "“The line will open in May,”", "the ministry"),
        ("According to Abena Osei, “the money has run out.”", "“the money has run out.”",
         "Abena Osei"),
        # a name set off by a clause; a description
        ("“It is a mess,” Rosa Kettering, who runs the bakery near the stop, said.",
         "“It is a mess,”", "Rosa Kettering"),
        ("Ms Osei, who has led the union since 2019, said: “We are ready to talk.”",
         "“We are ready to talk.”", "Ms Osei"),
        ("Its operations director, Colin Mayhew, told reporters: “We take it seriously.”",
         "“We take it seriously.”", "Colin Mayhew"),
        ("“It is a mess,” a spokesperson for the regional health board said.",
         "“It is a mess,”", "a spokesperson for the regional health board"),
        # a partial quote in reported speech
        ("Board chair Graham Petrie said the figures were “sobering but not surprising.”",
         "“sobering but not surprising.”", "Board chair Graham Petrie"),
        ("General manager Tina Okonkwo announced the decision, saying the club had "
         "“run out of patience.”", "“run out of patience.”", "General manager Tina Okonkwo"),
    ],
)  # fmt: skip
def test_a_speech_verb_or_a_colon_binds_the_speaker(text, quote, speaker):
    assert who_said(text)[quote] == speaker


def test_she_said_is_the_last_person_named_and_the_span_is_the_nearest_mention():
    text = (
        "Abena Osei, the union's general secretary, met the board on Monday.\n\n"
        "Ms Osei was not impressed. “It is a mess,” she said.\n"
    )
    assert who_said(text)["“It is a mess,”"] == "Ms Osei"  # not the earlier full name


def test_he_and_she_skip_a_person_a_title_says_is_of_the_other_sex():
    text = (
        "Ms Osei told councillors that the figures had been checked twice. Mr Carver was not "
        "at the meeting. “Nobody wanted it,” she said.\n"
    )
    assert who_said(text)["“Nobody wanted it,”"] == "Ms Osei"


def test_a_pronoun_after_reported_speech_is_that_speaker_even_a_described_one():
    text = (
        "Dr Kofi Annan-Brew presented a petition.\n\n"
        "A spokeswoman for the airport said night flights would be capped. “We have "
        "listened,” she said.\n"
    )
    assert who_said(text)["“We have listened,”"] == "A spokeswoman for the airport"


def test_a_continuation_paragraph_has_the_same_speaker():
    text = (
        "Dr Annan-Brew said: “My patients cannot sleep.\n\n"
        "“We are not against the airport.\n\n"
        "“Nobody has ever come to ask us.”\n\n"
        "“It is a good plan,” said Sunita Rao.\n"
    )
    found = who_said(text)
    assert found["“My patients cannot sleep."] == "Dr Annan-Brew"
    assert found["“We are not against the airport."] == "Dr Annan-Brew"
    assert found["“Nobody has ever come to ask us.”"] == "Dr Annan-Brew"
    assert found["“It is a good plan,”"] == "Sunita Rao"  # closed before: a new speaker


def test_a_second_quote_in_the_paragraph_and_a_split_quote_keep_the_speaker():
    text = (
        "“Sixty flats will help sixty people,” said Aisha Rahman. “There are two hundred "
        "empty posts.”\n\n“We will talk,” Carver said, “but not today.”\n"
    )
    found = who_said(text)
    assert found["“There are two hundred empty posts.”"] == "Aisha Rahman"
    assert found["“but not today.”"] == "Carver"


def test_a_later_mention_is_a_name_where_the_text_named_the_person_in_full():
    text = (
        "Abena Osei leads the nurses' union.\n\n"
        "Osei spoke after the vote. “We have no choice,” she told the BBC.\n\n"
        "Meanwhile the board met again. “It is done,” she said.\n"
    )
    people = find_people(text)
    names = {text[m.start : m.end]: m.person for m in people.mentions}
    assert names["Osei"] == names["Abena Osei"] >= 0  # the surname alone: the same person
    assert "Meanwhile" not in names  # a lone capitalised word named by no one before
    assert who_said(text)["“We have no choice,”"] == "Osei"
    assert who_said(text)["“It is done,”"] == "Osei"  # "Meanwhile" is not a person


def test_names_inside_quotes_and_bodies_are_never_speakers():
    text = (
        "The Lyston Chamber of Commerce backed the plan.\n\n"
        "“Edith Carver promised us a roof,” he said.\n"
    )
    assert who_said(text)["“Edith Carver promised us a roof,”"] is None


def test_quotes_no_one_is_said_to_have_said_get_no_speaker():
    text = (
        "The report, titled “Counting the Cost of Care”, runs to 140 pages.\n\n"
        "A banner outside the town hall read “A city that works for everyone”.\n\n"
        "Update: “The road will reopen on Friday”\n"
    )
    assert set(who_said(text).values()) == {None}


def test_suggest_gives_speaker_spans_for_the_quotes_the_quotes_rules_find():
    text = "“We will build it,” said Edith Carver."
    (found,) = suggest(text, PATTERNS)
    assert (text[found.start : found.end], found.label) == ("Edith Carver", "speaker")
    assert 0.5 <= found.score <= 1
