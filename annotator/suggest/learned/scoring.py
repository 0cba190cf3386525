"""A model's weights at work: each candidate's probability for each label, a document at a
time.

The facts a document's candidates share (a line's, a place's) are added up once per list; the
facts a candidate has of its own are looked up once for every label at a time, as rows of one
table of weights, and added up with numpy. Every fact weighs 1, or ``WORDS_COUNT`` when it is
about words, as in training: the probabilities are those the model was measured with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Protocol

from annotator.suggest.learned.features import BAG, WORDS_COUNT, Facts

KEPT = 100_000  # lists whose sums are kept between documents, at most

if TYPE_CHECKING:
    import numpy


class Weighed(Protocol):
    """What a scorer reads of a label's model (``model.LabelModel``)."""

    bias: float
    weights: dict[str, float]
    calibration: tuple[float, float]


class Scorer:
    """The weights of a model's labels as one table: a row for each fact (row 0: a fact no
    label weighs), a column for each label."""

    def __init__(self, labels: Mapping[str, Weighed]) -> None:
        import numpy as np

        self.names = list(labels)
        facts = sorted({f for m in labels.values() for f in m.weights})
        self.row = {f: i + 1 for i, f in enumerate(facts)}
        # The candidate's own words are facts "w:<word>", looked up by the word alone.
        self.word_row = {f[len(BAG) :]: i for f, i in self.row.items() if f.startswith(BAG)}
        table = np.zeros((len(facts) + 1, len(self.names)))
        for j, m in enumerate(labels.values()):
            for f, w in m.weights.items():
                table[self.row[f], j] = w
        self.table = table
        self.bias = np.array([m.bias for m in labels.values()])
        self.slope = np.array([m.calibration[0] for m in labels.values()])
        self.shift = np.array([m.calibration[1] for m in labels.values()])
        self._known: dict[int, tuple[list[str], numpy.ndarray]] = {}

    def _shared(self, facts: Sequence[Facts]) -> tuple[numpy.ndarray, list[int]]:
        """The weighed sums of the lists the candidates share (each added up once, and kept
        for the next documents with the list itself, so that no other list takes its id),
        and which of them each candidate has, four a candidate (its own place's lists, then
        its line's)."""
        import numpy as np

        known = self._known
        if len(known) > KEPT:
            known.clear()
        where: dict[int, int] = {}  # a list's id -> its place in ``lists``
        lists: list[tuple[list[str], float]] = []
        picks: list[int] = []
        seen = where.get
        for f in facts:
            for facts_list, weight in (
                (f.places, 1.0), (f.crossed, 1.0), (f.line, 1.0), (f.line_words, WORDS_COUNT),
            ):  # fmt: skip
                place = seen(id(facts_list))
                if place is None:
                    place = where[id(facts_list)] = len(lists)
                    lists.append((facts_list, weight))
                picks.append(place)
        sums = np.empty((len(lists), len(self.names)))
        missing: list[int] = []
        for place, (facts_list, _) in enumerate(lists):
            hit = known.get(id(facts_list))
            if hit is not None and hit[0] is facts_list:
                sums[place] = hit[1]
            else:
                missing.append(place)
        if missing:
            rows: list[int] = []
            starts: list[int] = []
            for place in missing:
                starts.append(len(rows))
                rows += map(self.row.get, lists[place][0], repeat(0))
                if len(rows) == starts[-1]:
                    rows.append(0)  # an empty list adds up to row 0's zeros
            weights = np.array([lists[place][1] for place in missing])
            added = np.add.reduceat(self.table[rows], starts, axis=0) * weights[:, None]
            sums[missing] = added
            for place, weighed in zip(missing, added, strict=True):
                facts_list = lists[place][0]
                known[id(facts_list)] = (facts_list, weighed)
        return sums, picks

    def scores(self, facts: Sequence[Facts]) -> dict[str, list[float]]:
        """Each label's probability for each candidate."""
        import numpy as np

        if not facts:
            return {name: [] for name in self.names}
        sums, picks = self._shared(facts)
        shared = sums[np.asarray(picks)].reshape(len(facts), 4, -1).sum(axis=1)
        own: list[int] = []
        ends: list[int] = []
        row, word_row = self.row, self.word_row
        for f in facts:
            ends.append(len(own))
            own += map(row.get, f.words, repeat(0))
            own += map(word_row.get, f.bag, repeat(0))
            if len(own) == ends[-1]:
                own.append(0)
        words = np.add.reduceat(self.table[np.asarray(own)], np.asarray(ends), axis=0)
        raw = self.bias + shared + WORDS_COUNT * words
        logit = np.clip(self.slope * raw + self.shift, -500.0, 500.0)  # exp stays finite
        probability = 1.0 / (1.0 + np.exp(-logit))
        return {name: probability[:, j].tolist() for j, name in enumerate(self.names)}
