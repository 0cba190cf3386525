"""The span index places a document's spans as they are asked for; every answer must be what
placing them all at once gives. No Qt here."""

from __future__ import annotations

import random

from annotator.gui.article.span_index import SpanIndex, block_starts, place_all
from annotator.model import Span
from annotator.offsets import OffsetMap

TEXT = "\n".join(
    f"Paragraph {i} 🚀 says the plan\u2029costs {i} euros 👍🏽."
    if i % 5 == 0
    else f"Line {i} is plain."
    for i in range(60)
)


def _spans(seed: int) -> list[Span]:
    rng = random.Random(seed)
    spans = []
    for i in range(1, 120):
        start = rng.randrange(0, len(TEXT) - 1)
        end = min(start + rng.choice([3, 20, 80, 400]), len(TEXT))
        spans.append(Span(1, start, end, rng.choice(["claim", "quote"]), "", "t", id=i))
    return sorted(spans, key=lambda s: (s.start, s.end, s.id))


def _every_answer(index: SpanIndex, order: list[int]) -> list[object]:
    answers: list[object] = []
    for n in order:
        answers.append(sorted(p.span_id for p in index.in_block(n)))
        answers.append([p.span_id for p in index.at(index.starts[n])])
    answers.append(sorted(index.blocks_with({"quote"})))
    answers.append(len(index))
    return answers


def _eager(offsets: OffsetMap, spans: list[Span]) -> SpanIndex:
    index = SpanIndex(block_starts(TEXT, offsets))
    for s in spans:
        assert s.id is not None
        index.add(s.id, s.label, offsets.to_utf16(s.start), offsets.to_utf16(s.end))
    return index


def test_spans_placed_as_asked_for_answer_as_if_placed_at_once() -> None:
    offsets = OffsetMap(TEXT)
    for seed in range(5):
        spans = _spans(seed)
        eager = _eager(offsets, spans)
        blocks = list(range(len(eager.starts)))
        order = random.Random(seed).sample(blocks, len(blocks))  # any order: the end first
        lazy = SpanIndex(block_starts(TEXT, offsets))
        place_all(lazy, spans, offsets)
        assert _every_answer(lazy, order) == _every_answer(eager, order)
        assert lazy.placed == eager.placed and lazy.complete


def test_a_change_to_a_span_not_yet_placed_is_made_once() -> None:
    offsets = OffsetMap(TEXT)
    spans = _spans(9)
    last = spans[-1]
    assert last.id is not None
    index = SpanIndex(block_starts(TEXT, offsets))
    place_all(index, spans, offsets)
    index.in_block(0)
    assert not index.complete and last.id in index
    index.remove(last.id)
    assert last.id not in index and len(index) == len(spans) - 1
    index.add(last.id, "quote", offsets.to_utf16(last.start), offsets.to_utf16(last.end))
    assert [p.span_id for p in index.in_block(index.placed[last.id].first_block)].count(
        last.id
    ) == 1
    assert len(index) == len(spans)
