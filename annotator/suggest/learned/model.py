"""A learned model as plain data, read back with every value checked, and what it proposes.

A model is a JSON object: for each label a bias, a weight for each fact (see ``features``),
two numbers that turn a candidate's sum into a probability (Platt's calibration, fitted on
held-out documents), and whether the label's spans leave out a sentence's final stop. Nothing
in it is code, and nothing that reads it runs any: a project file may come from someone else,
so a model is never pickled, and proposing spans needs no library at all.

A model from another version (another ``KIND``, ``FORMAT`` or set of features) is refused
with a sentence saying to train again; so is one whose values are not what they must be.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.model import Refused
from annotator.suggest.builtin.suggestion import Suggestion
from annotator.suggest.learned.candidates import Structure, structure
from annotator.suggest.learned.features import FEATURES, Facts, candidate_facts
from annotator.suggest.learned.keeping import suggester_name
from annotator.suggest.learned.scoring import Scorer

KIND = "annotator-span-candidates"
FORMAT = 1
STOPS = ".!?"
# The probability a suggestion needs by default. Below one half, since a span the model leaves
# out costs the analyst more than a wrong one: it must be found by reading and selected, where
# a wrong suggestion goes with one key. The held-out figures `train` prints are at this score.
DEFAULT_MIN_SCORE = 0.35


class ModelError(Refused):
    """A stored model that this version cannot use; training again replaces it."""


@dataclass
class LabelModel:
    """What was learned for one label."""

    bias: float
    weights: dict[str, float]
    calibration: tuple[float, float] = (1.0, 0.0)  # probability = sigmoid(a * sum + b)
    trim_stop: bool = False  # the analysts' spans leave out a sentence's final stop


@dataclass
class LearnedModel:
    """A model for some labels, and the id it is stored under (None until it is)."""

    labels: dict[str, LabelModel] = field(default_factory=dict)
    id: int | None = None
    _scorer: Scorer | None = field(default=None, repr=False, compare=False)

    @property
    def suggester(self) -> str:
        """The suggester name its suggestions record: ``learned#<id>``."""
        return suggester_name(self.id)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": KIND,
            "format": FORMAT,
            "features": FEATURES,
            "labels": {
                name: {
                    "bias": m.bias,
                    "weights": m.weights,
                    "calibration": list(m.calibration),
                    "trim_stop": m.trim_stop,
                }
                for name, m in self.labels.items()
            },
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, allow_nan=False, sort_keys=True)

    # -- proposing ------------------------------------------------------------------------

    def scored(self, facts: Sequence[Facts]) -> dict[str, list[float]]:
        """Each label's probability for each candidate."""
        if self._scorer is None:
            self._scorer = Scorer(self.labels)
        return self._scorer.scores(facts)

    def propose(self, text: str, min_score: float = DEFAULT_MIN_SCORE) -> list[Suggestion]:
        """The spans proposed in ``text``: for each label, its candidates scored at least
        ``min_score``, the best first, none overlapping one kept before it."""
        return self.read(text, min_score)[0]

    def uncertainty(self, text: str) -> float:
        """How unsure the model is about a document, from 0 (every candidate scored near 0 or
        1) to 1 (some are coin tosses): the mean closeness to 0.5 of its three least certain
        candidates, over all labels. For showing the least certain documents first."""
        return self.read(text, 1.0)[1]

    def read(self, text: str, min_score: float) -> tuple[list[Suggestion], float]:
        """What :meth:`propose` and :meth:`uncertainty` give, from one scoring."""
        st = structure(text)
        scores = self.scored(candidate_facts(st))
        return chosen(st, scores, self.labels, min_score), uncertainty_of(scores)


def uncertainty_of(scores: dict[str, list[float]], worst: int = 3) -> float:
    closeness = sorted(
        (1.0 - 2.0 * abs(p - 0.5) for values in scores.values() for p in values), reverse=True
    )
    top = closeness[:worst]
    return round(sum(top) / len(top), 4) if top else 0.0


def chosen(
    st: Structure,
    scores: dict[str, list[float]],
    labels: dict[str, LabelModel],
    min_score: float,
) -> list[Suggestion]:
    """The candidates kept for each label: scored at least ``min_score``, the best first, none
    overlapping one kept before it; each trimmed as the label's spans are."""
    out: list[Suggestion] = []
    text = st.text
    for name, values in scores.items():
        order = sorted(
            (i for i, p in enumerate(values) if p >= min_score), key=lambda i: -values[i]
        )
        kept: list[tuple[int, int]] = []
        for i in order:
            c = st.candidates[i]
            if any(c.start < e and s < c.end for s, e in kept):
                continue
            kept.append((c.start, c.end))
            end = c.end
            if labels[name].trim_stop and end - c.start > 1 and text[end - 1] in STOPS:
                end -= 1
            out.append(Suggestion(c.start, end, name, values[i]))
    out.sort(key=lambda s: (s.start, s.end, s.label))
    return out


# -- reading a stored model back --------------------------------------------------------------


def loads(data: str, where: str) -> LearnedModel:
    """The model stored as ``data``; ``where`` names it in a refusal ("model #3 in study.db").

    Everything is checked before use: another version's model, or one whose values are not
    numbers where numbers must be, is refused with ModelError.
    """
    again = "train again (annotator train) to replace it"
    try:
        parsed = json.loads(data)
    except (TypeError, ValueError):
        raise ModelError(f"{where} cannot be read (it is not JSON); {again}") from None
    if not isinstance(parsed, dict):
        raise ModelError(f"{where} cannot be read (it is not a JSON object); {again}")
    made = (parsed.get("kind"), parsed.get("format"), parsed.get("features"))
    if made != (KIND, FORMAT, FEATURES):
        raise ModelError(
            f"{where} was made by another version of annotator (format {_shown(made)}; this one "
            f"reads {KIND} {FORMAT} with features {FEATURES}); {again}"
        )
    try:
        labels = _labels(parsed.get("labels"))
    except ValueError as e:
        raise ModelError(f"{where} cannot be read ({e}); {again}") from None
    return LearnedModel(labels)


def _shown(made: tuple[Any, ...]) -> str:
    return " ".join(str(part)[:40] for part in made if part is not None) or "unknown"


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what} is not a finite number")
    return float(value)


def _labels(data: Any) -> dict[str, LabelModel]:
    if not isinstance(data, dict) or not data:
        raise ValueError("it holds no labels")
    out: dict[str, LabelModel] = {}
    for name, spec in data.items():
        if not isinstance(spec, dict):
            raise ValueError(f"the label {name!r} is not an object")
        weights = spec.get("weights")
        if not isinstance(weights, dict):
            raise ValueError(f"the weights of {name!r} are not an object")
        calibration = spec.get("calibration")
        if not isinstance(calibration, list) or len(calibration) != 2:
            raise ValueError(f"the calibration of {name!r} is not two numbers")
        trim = spec.get("trim_stop", False)
        if not isinstance(trim, bool):
            raise ValueError(f"trim_stop of {name!r} is not true or false")
        out[name] = LabelModel(
            bias=_number(spec.get("bias"), f"the bias of {name!r}"),
            weights={str(k): _number(v, f"a weight of {name!r}") for k, v in weights.items()},
            calibration=(
                _number(calibration[0], f"the calibration of {name!r}"),
                _number(calibration[1], f"the calibration of {name!r}"),
            ),
            trim_stop=trim,
        )
    return out
