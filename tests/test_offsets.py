"""The code-point ⇄ UTF-16 map, checked against Python's own UTF-16 encoder."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.offsets import OffsetMap

# Plenty of astral characters, block breaks, NBSP, tabs and line separators.
CHARS = st.one_of(
    st.sampled_from(["a", "é", " ", "\t", "\u00a0", "\u2028", "\u2029", "\n", "ש", "م"]),
    st.sampled_from(["🚀", "👍", "\U0001f3fd", "\u200d", "𝔸", "\U0010fffd"]),
    st.characters(codec="utf-8"),
)


def u16_len(s: str) -> int:
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


@given(st.text(CHARS, max_size=60))
def test_every_code_point_offset_round_trips(text: str) -> None:
    m = OffsetMap(text)
    assert m.u16_length == u16_len(text)
    for cp in range(len(text) + 1):
        u = m.to_utf16(cp)
        assert u == u16_len(text[:cp])
        assert m.from_utf16(u) == cp
        assert m.from_utf16(u, round_up=True) == cp


@given(st.text(CHARS, max_size=60))
def test_a_position_inside_a_surrogate_pair_rounds_to_the_character_edges(text: str) -> None:
    m = OffsetMap(text)
    for cp, ch in enumerate(text):
        if ord(ch) > 0xFFFF:
            inside = m.to_utf16(cp) + 1
            assert m.from_utf16(inside) == cp
            assert m.from_utf16(inside, round_up=True) == cp + 1


def test_known_positions() -> None:
    text = "a🚀b👍🏽c"
    m = OffsetMap(text)
    assert [m.to_utf16(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 8, 9]
    assert m.span_from_utf16(2, 5) == (1, 4)  # both edges fell inside pairs: widened
    assert m.from_utf16(-3) == 0 and m.from_utf16(99) == len(text)


def test_text_without_astral_characters_maps_to_itself() -> None:
    m = OffsetMap("tab\there\u00a0nbsp\u2028ls\u2029ps")
    assert m.is_identity
    assert all(m.to_utf16(i) == i == m.from_utf16(i) for i in range(m.length + 1))
