"""Spans, labels, text identity and line-ending normalisation: the rules every offset obeys."""

from __future__ import annotations

import hashlib
import re

import pytest

from annotator.model import (
    LabelError,
    LineEndings,
    SpanError,
    check_color,
    check_hotkey,
    check_label_name,
    check_span,
    normalise_newlines,
    text_hash,
    utc_now,
)

# -- check_span ---------------------------------------------------------------------------------


def test_check_span_accepts_a_span_inside_the_text():
    check_span("hello world", 6, 11, "world")
    check_span("hello world", 0, 11)


def test_check_span_counts_code_points_not_utf16_units():
    text = "🚀 go 👍🏽 ok"
    # "🚀" is one code point, so "go" starts at 2; in UTF-16 it would start at 3.
    check_span(text, 2, 4, "go")
    with pytest.raises(SpanError):
        check_span(text, 3, 5, "go")


def test_check_span_accepts_a_span_ending_exactly_at_the_end_of_the_text():
    check_span("abc", 1, 3, "bc")


@pytest.mark.parametrize(
    ("start", "end", "why"),
    [
        (-1, 2, "negative"),
        (0, 4, "ends after the text"),
        (2, 1, "reversed"),
        (1, 1, "empty"),
        (0, 0, "empty"),
        (3, 3, "empty"),
    ],
)
def test_check_span_refuses_offsets_that_do_not_describe_a_stretch_of_text(start, end, why):
    with pytest.raises(SpanError, match=why):
        check_span("abc", start, end)


@pytest.mark.parametrize("bad", [1.0, "1", None, True, False])
def test_check_span_refuses_offsets_that_are_not_integers(bad):
    with pytest.raises(SpanError, match="integer"):
        check_span("abc", bad, 2)
    with pytest.raises(SpanError, match="integer"):
        check_span("abc", 0, bad)


def test_check_span_refuses_span_text_that_differs_from_the_text_at_its_offsets():
    with pytest.raises(SpanError, match="differs"):
        check_span("hello world", 0, 5, "world")


def test_check_span_refuses_span_text_that_is_not_a_string():
    with pytest.raises(SpanError, match="string"):
        check_span("hello", 0, 5, 5)


def test_check_span_compares_span_text_exactly_without_normalising_unicode():
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    check_span(decomposed, 0, 5, decomposed)
    with pytest.raises(SpanError):
        check_span(decomposed, 0, 5, composed + " ")
    with pytest.raises(SpanError):
        check_span(decomposed + "!", 0, 4, composed)


# -- labels -------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["", "   ", " claim", "claim ", "a\tb", "a\nb", None, 3, "x" * 65])
def test_check_label_name_refuses_names_a_person_could_not_type_or_see(bad):
    with pytest.raises(LabelError):
        check_label_name(bad)


@pytest.mark.parametrize(
    "breaker", ["\x0b", "\x0c", "\x1c", "\x1e", "\x85", "\u2028", "\u2029", "\x00", "\x1b"]
)
def test_check_label_name_refuses_every_kind_of_line_break_and_control_character(breaker):
    with pytest.raises(LabelError, match="line break"):
        check_label_name(f"a{breaker}b")


def test_check_label_name_accepts_a_plain_or_unicode_name():
    assert check_label_name("claim") == "claim"
    assert check_label_name("اقتباس") == "اقتباس"
    assert check_label_name("x" * 64) == "x" * 64
    assert check_label_name("new\u00a0label") == "new\u00a0label"


def test_check_color_lowercases_a_hex_colour_and_refuses_anything_else():
    assert check_color("#4A90D9") == "#4a90d9"
    for bad in ("red", "#fff", "#gggggg", "4a90d9", "#4a90d9 ", None):
        with pytest.raises(LabelError):
            check_color(bad)


def test_check_color_refuses_a_colour_followed_by_a_line_break():
    # A "$" anchor lets "#rrggbb\n" through, and the newline would be stored with the colour.
    with pytest.raises(LabelError):
        check_color("#4a90d9\n")


def test_check_hotkey_takes_one_printable_character_or_none():
    assert check_hotkey("5") == "5"
    assert check_hotkey(None) is None
    assert check_hotkey("") is None
    for bad in ("12", " ", "\t", "\x07", 1):
        with pytest.raises(LabelError):
            check_hotkey(bad)


# -- identity and time --------------------------------------------------------------------------


def test_text_hash_is_the_sha256_of_the_utf8_text():
    text = "Café 🚀\u00a0\u2028"
    assert text_hash(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_text_hash_tells_texts_apart_that_differ_only_invisibly():
    assert text_hash("a b") != text_hash("a\u00a0b")
    assert text_hash("caf\u00e9") != text_hash("cafe\u0301")
    assert text_hash("a\nb") != text_hash("a\r\nb")


def test_utc_now_is_iso_utc_with_milliseconds_and_sorts_as_text():
    first = utc_now()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first)
    assert utc_now() >= first


# -- line endings -------------------------------------------------------------------------------


def test_line_endings_turn_crlf_and_lone_cr_into_lf():
    endings = LineEndings("a\r\nb\rc\nd\r\n\r\r\n")
    assert endings.text == "a\nb\nc\nd\n\n\n"
    assert endings.changed


def test_line_endings_leave_every_other_character_alone():
    text = "a\u00a0b\tc 🚀 👨\u200d👩\u200d👧 e\u0301 \u2028 \u2029 \x0c \x85 \x0b مرحبا שלום"
    endings = LineEndings(text)
    assert endings.text == text
    assert not endings.changed
    assert normalise_newlines(text) == text


def test_line_endings_keep_offsets_when_nothing_changes():
    endings = LineEndings("no breaks here")
    assert [endings.start(i) for i in range(15)] == list(range(15))
    assert [endings.end(i) for i in range(15)] == list(range(15))


def test_line_endings_move_offsets_after_a_crlf_back_by_one():
    raw = "a\r\nb claim"
    endings = LineEndings(raw)
    start, end = raw.index("claim"), raw.index("claim") + 5
    assert (endings.start(start), endings.end(end)) == (start - 1, end - 1)
    assert endings.text[endings.start(start) : endings.end(end)] == "claim"


def test_line_endings_do_not_move_offsets_for_a_lone_cr():
    raw = "a\rb claim"
    endings = LineEndings(raw)
    assert endings.start(4) == 4
    assert endings.end(9) == 9


def test_line_endings_move_offsets_by_the_number_of_crlf_pairs_before_them():
    raw = "x\r\ny\r\nz\r\nclaim"
    endings = LineEndings(raw)
    start = raw.index("claim")
    assert endings.start(start) == start - 3
    assert endings.end(start + 5) == start + 2


def test_line_endings_extend_an_end_between_cr_and_lf_over_the_whole_break():
    raw = "one\r\ntwo"
    endings = LineEndings(raw)
    # [0, 4) is "one\r": it covered part of the line break, so it keeps the whole "\n".
    assert endings.end(4) == 4
    assert endings.text[0 : endings.end(4)] == "one\n"


def test_line_endings_start_a_span_that_starts_on_the_lf_of_a_crlf_at_that_lf():
    raw = "one\r\ntwo"
    endings = LineEndings(raw)
    assert endings.start(4) == 3
    assert endings.start(3) == 3
    assert endings.text[endings.start(4) : endings.end(8)] == "\ntwo"


def test_attributes_written_one_a_line_read_back_and_keep_definitions():
    from annotator.store.labels import attributes_as_lines, attributes_from_lines

    declared = [
        {"name": "speaker", "kind": "text", "definition": "who said it"},
        {"name": "stance", "kind": "choice", "values": ["for", "against"]},
    ]
    lines = attributes_as_lines(declared)
    assert lines == "speaker\nstance: for | against"
    assert attributes_from_lines(lines + "\n\n", declared) == declared
    assert attributes_from_lines("speaker: a | b", declared)[0] == {
        "name": "speaker",
        "kind": "choice",
        "values": ["a", "b"],
        "definition": "who said it",
    }
    with pytest.raises(LabelError, match="given twice"):
        attributes_from_lines("speaker\nspeaker")
