"""Word snapping on Python strings and code-point offsets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.gui.article.snapping import inside_word, snap_to_words, tidy_selection


def snap(text: str, fragment: str, occurrence: int = 0) -> str | None:
    """Select ``fragment`` (its n-th occurrence) and return what snapping makes of it."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(fragment, start + 1)
    edges = snap_to_words(text, start, start + len(fragment))
    return None if edges is None else text[edges[0] : edges[1]]


@pytest.mark.parametrize(
    ("text", "fragment", "expected"),
    [
        ("the council approved it", "ouncil appr", "council approved"),
        ("the council approved it", " council ", "council"),
        ("the council approved it", "council", "council"),  # on edges: kept exactly
        ("\u201cWe waited,\u201d she said", "\u201cWe waited,\u201d", "\u201cWe waited,\u201d"),
        ("the minister's aide", "minis", "minister's"),
        ("the minister\u2019s aide", "ter\u2019", "minister\u2019s"),
        ("rose 3.5 percent", "3.", "3.5"),
        ("to 12,000 euros", "2,0", "12,000"),
        ("caf\u0065\u0301 noir", "caf", "cafe\u0301"),
        ("مرحبا بالعالم today", "رحب", "مرحبا"),
        ("שלום עולם now", "לו", "שלום"),
        ("a 👍🏽 b", "👍", "👍🏽"),
        ("a 👨\u200d👩\u200d👧 b", "👨", "👨\u200d👩\u200d👧"),
        ("well-known fact", "ll-kn", "well-known"),
        ("东京都 fine", "京", "京"),  # each Han character is a word
        ("tab\there", "ab\the", "tab\there"),
        ("non\u00a0breaking", "on\u00a0br", "non\u00a0breaking"),
    ],
)
def test_snap_grows_to_words_and_trims_space(text: str, fragment: str, expected: str) -> None:
    assert snap(text, fragment) == expected


@pytest.mark.parametrize(
    ("text", "fragment", "expected"),
    [
        ("\u201cWe waited,\u201d she said", "We waited", "\u201cWe waited,\u201d"),
        ("\u201cWe waited,\u201d she said", "e waited,", "\u201cWe waited,\u201d"),
        ("\u201cWe waited,\u201d she said", "\u201cWe wait", "\u201cWe waited,\u201d"),
        ('he said "no way" twice', "no way", '"no way"'),
        ("he said 'no way' twice", "o wa", "'no way'"),
        ("\u2018Quite\u2019 so", "Quite", "\u2018Quite\u2019"),
        (
            "il dit \u00ab\u00a0Bonjour\u00a0\u00bb puis",
            "Bonjour",
            "\u00ab\u00a0Bonjour\u00a0\u00bb",
        ),
        ("er sagte \u201eNein\u201c laut", "Nein", "\u201eNein\u201c"),
        ("er sagte \u201eNein, danke\u201c laut", "Nein", "Nein"),  # not all the quoted words
        ("\u201cWe waited twenty years,\u201d", "waited twenty", "waited twenty"),
        ("the minister\u2019s \u2018aide\u2019", "minister", "minister\u2019s"),
        ("\u201cunclosed quote", "unclosed", "unclosed"),
        ("\u201c🚀 launch\u201d", "🚀 launch", "\u201c🚀 launch\u201d"),
    ],
)
def test_quotation_marks_around_the_quoted_words_join_the_span(
    text: str, fragment: str, expected: str
) -> None:
    assert snap(text, fragment) == expected


def test_exact_characters_leave_the_quotation_marks_out() -> None:
    text = "\u201cWe waited,\u201d she said"
    assert tidy_selection(text, 1, 10, snap=False) == (1, 10)
    assert tidy_selection(text, 1, 10, snap=True) == (0, 12)


def test_only_white_space_snaps_to_nothing() -> None:
    assert snap_to_words("a   b", 1, 4) is None


def test_exact_mode_keeps_every_character() -> None:
    text = "the council approved"
    assert tidy_selection(text, 3, 9, snap=False) == (3, 9)
    assert tidy_selection(text, 3, 9, snap=True) == (4, 11)
    assert tidy_selection(text, 5, 5, snap=False) is None


@given(st.text(st.sampled_from("ab 1.,'’\u00a0\t\né🚀\u0301ש\"“”«»„"), min_size=1), st.data())
def test_snapped_span_covers_the_trimmed_selection_and_is_stable(text: str, data) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    result = snap_to_words(text, start, end)
    stripped = text[start:end].strip()
    if not stripped:
        assert result is None
        return
    assert result is not None
    s, e = result
    assert 0 <= s < e <= len(text)
    assert stripped in text[s:e]
    assert not inside_word(text, s) and not inside_word(text, e)
    assert snap_to_words(text, s, e) == (s, e)  # snapping again changes nothing
