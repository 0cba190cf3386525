"""The documents a model learns from, read for learning: each document's candidates and
their facts, one sparse matrix of them all, and which candidates are taught as spans.

An analyst's span is taught as the candidate that covers it best when they share most of
their characters (an edge off by a word, a final stop left out), and as any other candidate
that shares nearly all of it; every other candidate of the document is taught as no span.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.store.models import LearningExample
from annotator.suggest.learned.candidates import Structure, structure
from annotator.suggest.learned.features import BAG, WORDS_COUNT, Facts, candidate_facts
from annotator.suggest.learned.figures import shared
from annotator.suggest.learned.model import STOPS

if TYPE_CHECKING:
    import numpy
    from scipy.sparse import csr_matrix

BEST = 0.6  # a span's best candidate is taught as the span when they share this much
ALSO = 0.9  # ... and any other candidate that shares this much
WORDS_LEFT_OUT = 0.5  # of the candidates fitted on, the share seen without their words
WORDS_SEED = 20


@dataclass
class PreparedDocument:
    """A document read for learning: its candidates, their facts, and their rows."""

    structure: Structure
    facts: list[Facts]
    rows: slice  # its candidates' rows in the matrix


@dataclass
class Prepared:
    """The examples, their documents, and the matrices a model is fitted and scored on."""

    examples: list[LearningExample]
    documents: dict[int, PreparedDocument]
    matrix: csr_matrix  # every fact of every candidate: what a model is scored on
    vocabulary: list[str]
    taught: csr_matrix  # the same, with the words of half the candidates left out: fitted on


def prepare(
    examples: list[LearningExample], texts: dict[int, str], tick: Callable[[str], None]
) -> Prepared:
    """Each document's candidates and facts, and one matrix of them all (a column per fact;
    1 for a fact about places, ``WORDS_COUNT`` for one about words)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    documents: dict[int, PreparedDocument] = {}
    index: dict[str, int] = {}
    known: dict[int, tuple[list[str], list[int]]] = {}  # a shared list's columns, by its id

    def columns(facts: list[str], shared: bool = True) -> list[int]:
        if not shared:
            return [index.setdefault(x, len(index)) for x in facts]
        hit = known.get(id(facts))
        if hit is None:
            hit = known[id(facts)] = (facts, [index.setdefault(x, len(index)) for x in facts])
        return hit[1]

    indices: list[int] = []
    values: list[float] = []
    pointers = [0]
    for doc in sorted(texts):
        st = structure(texts[doc])
        facts = candidate_facts(st)
        first = len(pointers) - 1
        for f in facts:
            places = columns(f.places) + columns(f.line) + columns(f.crossed)
            words = (
                columns(f.words, shared=False)
                + columns([BAG + w for w in f.bag], shared=False)
                + columns(f.line_words)
            )
            indices += places
            indices += words
            values += [1.0] * len(places)
            values += [WORDS_COUNT] * len(words)
            pointers.append(len(indices))
        documents[doc] = PreparedDocument(st, facts, slice(first, len(pointers) - 1))
        tick("reading the documents")
    matrix = csr_matrix(
        (np.asarray(values), np.asarray(indices, dtype=np.int64), np.asarray(pointers)),
        shape=(len(pointers) - 1, len(index)),
    )
    vocabulary = [""] * len(index)
    for name, i in index.items():
        vocabulary[i] = name
    return Prepared(examples, documents, matrix, vocabulary, without_words(matrix, values))


def without_words(matrix: csr_matrix, values: list[float]) -> csr_matrix:
    """The matrix with the facts about words of every other candidate (chosen at random, the
    same each time) left out. Fitted on it, a model must also find the spans from their places
    alone, as it must in documents whose words it never saw: without it, a word common in the
    analysts' spans (a side's name, "for") weighs so much that a span without it is missed."""
    import numpy as np

    words = np.asarray(values) == WORDS_COUNT
    rows = np.random.default_rng(WORDS_SEED).random(matrix.shape[0]) < WORDS_LEFT_OUT
    per_entry = np.repeat(rows, np.diff(matrix.indptr))
    taught = matrix.copy()
    taught.data[words & per_entry] = 0.0
    taught.eliminate_zeros()
    return taught


def targets(st: Structure, spans: Sequence[tuple[int, int]]) -> set[int]:
    """The candidates taught as spans: each span's best candidate when they share enough,
    and any other that shares nearly all."""
    out: set[int] = set()
    for span in spans:
        best, best_i = 0.0, -1
        for i, c in enumerate(st.candidates):
            if c.end <= span[0] or c.start >= span[1]:
                continue
            v = shared((c.start, c.end), span)
            if v > best:
                best, best_i = v, i
            if v >= ALSO:
                out.add(i)
        if best >= BEST:
            out.add(best_i)
    return out


def trims_stop(data: Prepared, label: str) -> bool:
    """Whether the analysts' spans of ``label`` leave out the final stop of the sentence or
    line they cover (more often than they keep it)."""
    left_out = kept = 0
    for example in data.examples:
        text = data.documents[example.document].structure.text
        for start, end, name in example.spans:
            if name != label:
                continue
            if end < len(text) and text[end] in STOPS and end - start > 1:
                left_out += 1
            elif text[end - 1] in STOPS:
                kept += 1
    return left_out > kept


def rows_of(data: Prepared, examples: Sequence[LearningExample]) -> numpy.ndarray:
    """The matrix rows of the examples' candidates, in order."""
    import numpy as np

    parts = [
        np.arange(d.rows.start, d.rows.stop) for d in (data.documents[e.document] for e in examples)
    ]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def truth(data: Prepared, examples: Sequence[LearningExample], label: str) -> numpy.ndarray:
    """1 for each candidate taught as a span of ``label``, 0 for the others."""
    import numpy as np

    y: list[int] = []
    for e in examples:
        st = data.documents[e.document].structure
        wanted = targets(st, [(s, t) for s, t, name in e.spans if name == label])
        y += [1 if i in wanted else 0 for i in range(len(st.candidates))]
    return np.asarray(y)


def reachable(data: Prepared, label: str) -> float | None:
    """The share of the analysts' spans of ``label`` that some candidate covers (80 %): the
    most the model can find."""
    covered = total = 0
    for e in data.examples:
        st = data.documents[e.document].structure
        edges = [(c.start, c.end) for c in st.candidates]
        for s, t, name in e.spans:
            if name != label:
                continue
            total += 1
            covered += any(shared(c, (s, t)) >= 0.8 for c in edges if c[0] < t and s < c[1])
    return covered / total if total else None
