"""Training a model on the analysts' own spans, and telling them how good it is.

For each label, a logistic regression (scikit-learn's, L-BFGS) learns which candidates
(lines, sentences, clauses; see ``candidates``) are the label's spans, from the facts of
``features``: the analysts' spans on the documents they marked done are the spans to find,
every other candidate there is one they chose not to tag. The classes are weighted by how
rare they are, since a document holds a few spans among a hundred candidates.

How good it is, is measured before it is used: the documents are split into k folds (five,
fewer for a small project); each fold is held out in turn while a model is fitted on the
others and its proposals on the held-out fold are compared with the analysts' spans, exactly
and by overlap (see ``figures``). The same is done on 25, 50 and 75 % of the other folds'
documents: the learning curve, which says whether tagging more documents would help. The
held-out scores then calibrate the model's sums into probabilities (Platt's method), and the
model is fitted once more on every document.

Training reads the project once, through the store it is given, and writes the model in one
short transaction at the end, so it may run in a worker thread with a connection of its own;
``progress`` is told how far it got, and ``stop`` is asked between steps (when it says so,
``TrainingStopped`` is raised and nothing is stored).
"""

from __future__ import annotations

import math
import random
import shlex
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.model import LabelError, Refused
from annotator.printable import printable
from annotator.store.models import LearningExample
from annotator.suggest.learned.candidates import Structure, structure
from annotator.suggest.learned.features import WORDS_COUNT, Facts, candidate_facts
from annotator.suggest.learned.figures import HOW, Tally, count, shared, shown
from annotator.suggest.learned.model import (
    DEFAULT_MIN_SCORE as THRESHOLD,  # the held-out figures are those of suggest's default
)
from annotator.suggest.learned.model import STOPS, LabelModel, LearnedModel, chosen

if TYPE_CHECKING:
    import numpy
    from scipy.sparse import csr_matrix

    from annotator.store.project import Store

LIBRARY = "scikit-learn"
MIN_SPANS = 10  # of a label, to learn it
MIN_DOCUMENTS = 4  # done, to train at all (and hold some out)
FOLDS = 5
CURVE = (0.25, 0.5, 0.75, 1.0)
C = 1.0  # how freely the weights may grow (scikit-learn's inverse regularisation)
TOLERANCE = 1e-3  # when a fit has converged: finer changes no proposal
NEWTON_ROWS = 20_000  # candidates: below, Newton's method fits faster than L-BFGS
WORDS_LEFT_OUT = 0.5  # of the candidates fitted on, the share seen without their words
WORDS_SEED = 20
BEST = 0.6  # a span's best candidate is taught as the span when they share this much
ALSO = 0.9  # ... and any other candidate that shares this much

Progress = Callable[[int, int, str], None]


class TrainingError(Refused):
    """Training that cannot be done; nothing was stored."""


class TrainingStopped(Refused):
    """Training stopped when asked to; nothing was stored."""


@dataclass
class LabelFigures:
    """How one label was learned: its examples, and the held-out figures."""

    label: str
    spans: int
    documents: int
    held_out: dict[str, Tally] = field(default_factory=dict)  # exact, overlap
    curve: list[dict[str, Any]] = field(default_factory=list)
    reachable: float | None = None  # share of spans some candidate covers (80 %)

    def to_json(self) -> dict[str, Any]:
        return {
            "spans": self.spans,
            "documents": self.documents,
            "held_out": {how: t.to_json() for how, t in self.held_out.items()},
            "curve": self.curve,
            "reachable": None if self.reachable is None else round(self.reachable, 4),
        }


@dataclass
class Training:
    """What a training did: the model stored (its id), and its figures."""

    layer: str
    documents: int
    analysts: list[str]
    folds: int
    labels: dict[str, LabelFigures]
    too_few: dict[str, int]  # label -> spans it has (MIN_SPANS are needed)
    library_version: str
    seconds: float = 0.0
    model_id: int | None = None

    def summary(self) -> str:
        """The figures as an analyst reads them: a table, the learning curve, what was left
        out."""
        what = "marked done" if self.layer == "done" else "settled by a curator"
        by = f" (by {', '.join(printable(a) for a in self.analysts)})" if self.analysts else ""
        names = " and ".join(printable(name) for name in self.labels) or "no label"
        lines = [
            f"Trained model #{self.model_id} for {names} on {self.documents} documents {what}"
            f"{by}, in {self.seconds:.1f} s.",
        ]
        if self.labels:
            lines += ["", *self._held_out_table(), "", *self._curve_table()]
            lines += self._out_of_reach()
        if self.too_few:
            counts = ", ".join(f"{printable(n)} has {c}" for n, c in self.too_few.items())
            lines += ["", f"Too few examples to learn: {counts} ({MIN_SPANS} spans are needed)."]
        lines += ["", "`annotator suggest --suggester learned` proposes spans with it."]
        return "\n".join(lines)

    def _held_out_table(self) -> list[str]:
        width = max(10, *(len(printable(n)) for n in self.labels))
        head = f"{'label':<{width}}  spans  docs   exact P     R    F1   overlap P     R    F1"
        rows = [
            f"Held out, {self.folds} folds: how its suggestions scored {THRESHOLD:g} or more "
            "compare with your spans on documents it did not learn from.",
            "",
            head,
        ]
        for name, f in self.labels.items():
            e, o = f.held_out["exact"], f.held_out["overlap"]
            rows.append(
                f"{printable(name):<{width}}  {f.spans:>5}  {f.documents:>4}   "
                f"{shown(e.precision):>7} {shown(e.recall):>5} {shown(e.f1):>5}   "
                f"{shown(o.precision):>9} {shown(o.recall):>5} {shown(o.f1):>5}"
            )
        return rows

    def _curve_table(self) -> list[str]:
        width = max(10, *(len(printable(n)) for n in self.labels))
        first = next(iter(self.labels.values()))
        sizes = "  ".join(f"{p['documents']:>5g}" for p in first.curve)
        shares = "  ".join(f"{round(p['fraction'] * 100):>4} %" for p in first.curve)
        rows = [
            "Learning curve: overlap F1 held out, learning from part of the other folds' "
            "documents.",
            "",
            f"{'':<{width}}  {shares}",
            f"{'documents':<{width}}  {sizes}",
        ]
        for name, f in self.labels.items():
            values = "  ".join(f"{shown(p['overlap']['f1']):>6}" for p in f.curve)
            rows.append(f"{printable(name):<{width}}  {values}")
        return rows

    def _out_of_reach(self) -> list[str]:
        out = []
        for name, f in self.labels.items():
            if f.reachable is not None and f.reachable < 0.9:
                out.append(
                    f"{round((1 - f.reachable) * 100)} % of the {printable(name)} spans are no "
                    "whole line, sentence or clause, so the model cannot propose them."
                )
        return ["", *out] if out else []

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model_id,
            "layer": self.layer,
            "documents": self.documents,
            "analysts": self.analysts,
            "folds": self.folds,
            "library": LIBRARY,
            "library_version": self.library_version,
            "threshold": THRESHOLD,
            "labels": {name: f.to_json() for name, f in self.labels.items()},
            "too_few": {
                name: {"spans": n, "needed": MIN_SPANS} for name, n in self.too_few.items()
            },
            "seconds": round(self.seconds, 2),
        }


# -- the library -------------------------------------------------------------------------------


def install_hint(package: str) -> str:
    """How to add ``package`` to the Python annotator runs in, as it was installed."""
    prefix = Path(sys.prefix)
    parts = prefix.parts
    if "pipx" in parts and "venvs" in parts:
        return f"pipx inject {shlex.quote(prefix.name)} {package}"
    if "uv" in parts and "tools" in parts:
        return f"uv pip install --python {shlex.quote(sys.executable)} {package}"
    return f"{shlex.quote(sys.executable)} -m pip install {package}"


def scikit_learn() -> tuple[Any, str]:
    """scikit-learn's logistic regression and its version; refused, saying what to install,
    when it is missing."""
    try:
        import sklearn
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise TrainingError(
            "training needs the scikit-learn library, which is not installed here; install it "
            f"with: {install_hint('scikit-learn')}"
        ) from None
    return LogisticRegression, str(sklearn.__version__)


# -- reading ---------------------------------------------------------------------------------


@dataclass
class _Document:
    structure: Structure
    facts: list[Facts]
    rows: slice  # its candidates' rows in the matrix


@dataclass
class _Data:
    examples: list[LearningExample]
    documents: dict[int, _Document]
    matrix: csr_matrix  # every fact of every candidate: what a model is scored on
    vocabulary: list[str]
    taught: csr_matrix  # the same, with the words of half the candidates left out: fitted on


def _check_labels(store: Store, wanted: Sequence[str] | None) -> list[str] | None:
    if not wanted:
        return None
    names = [lab.name for lab in store.labels.all()]
    unknown = [w for w in wanted if w not in names]
    if unknown:
        raise LabelError(f"unknown label {unknown[0]!r}; this project has {', '.join(names)}")
    return list(dict.fromkeys(wanted))


def _prepare(
    examples: list[LearningExample], texts: dict[int, str], tick: Callable[[str], None]
) -> _Data:
    """Each document's candidates and facts, and one matrix of them all (a column per fact;
    1 for a fact about places, ``WORDS_COUNT`` for one about words)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    documents: dict[int, _Document] = {}
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
            words = columns(f.words, shared=False) + columns(f.line_words)
            indices += places
            indices += words
            values += [1.0] * len(places)
            values += [WORDS_COUNT] * len(words)
            pointers.append(len(indices))
        documents[doc] = _Document(st, facts, slice(first, len(pointers) - 1))
        tick("reading the documents")
    matrix = csr_matrix(
        (np.asarray(values), np.asarray(indices, dtype=np.int64), np.asarray(pointers)),
        shape=(len(pointers) - 1, len(index)),
    )
    vocabulary = [""] * len(index)
    for name, i in index.items():
        vocabulary[i] = name
    return _Data(examples, documents, matrix, vocabulary, _without_words(matrix, values))


def _without_words(matrix: csr_matrix, values: list[float]) -> csr_matrix:
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


def trims_stop(data: _Data, label: str) -> bool:
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


# -- fitting ---------------------------------------------------------------------------------


@dataclass
class _Plan:
    """Which documents are held out in which fold, in a fixed shuffled order."""

    order: list[int]
    fold_of: dict[int, int]
    folds: int

    def training(self, fold: int, fraction: float) -> list[int]:
        others = [d for d in self.order if self.fold_of[d] != fold]
        return others[: max(1, math.ceil(fraction * len(others)))]

    def held_out(self, fold: int) -> list[int]:
        return [d for d in self.order if self.fold_of[d] == fold]


def _plan(documents: list[int], folds: int) -> _Plan:
    order = sorted(documents)
    random.Random(len(order)).shuffle(order)
    k = max(2, min(folds, len(order)))
    return _Plan(order, {d: i % k for i, d in enumerate(order)}, k)


def _rows(data: _Data, examples: Sequence[LearningExample]) -> numpy.ndarray:
    import numpy as np

    parts = [
        np.arange(d.rows.start, d.rows.stop) for d in (data.documents[e.document] for e in examples)
    ]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _labels_of(data: _Data, examples: Sequence[LearningExample], label: str) -> numpy.ndarray:
    import numpy as np

    y: list[int] = []
    for e in examples:
        st = data.documents[e.document].structure
        wanted = targets(st, [(s, t) for s, t, name in e.spans if name == label])
        y += [1 if i in wanted else 0 for i in range(len(st.candidates))]
    return np.asarray(y)


class _Fitter:
    """Fits one label's model on some examples; knows when to stop."""

    def __init__(
        self,
        data: _Data,
        regression: Any,
        stop: Callable[[], bool] | None,
        tick: Callable[[str], None],
    ) -> None:
        self.data, self.regression, self.stop, self.tick = data, regression, stop, tick
        self._y: dict[tuple[int, str | None, str], numpy.ndarray] = {}

    def y(self, examples: Sequence[LearningExample], label: str) -> numpy.ndarray:
        import numpy as np

        parts = []
        for e in examples:
            key = (e.document, e.analyst, label)
            if key not in self._y:
                self._y[key] = _labels_of(self.data, [e], label)
            parts.append(self._y[key])
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def fit(
        self, examples: Sequence[LearningExample], label: str, start: Any = None
    ) -> tuple[_Fitted | None, Any]:
        """The label's weights fitted on ``examples`` (None when they hold no span of it),
        and the fitted regression, to start the next fit from (``start``): a fit on more of
        the same documents then takes a few steps, not dozens."""
        if self.stop is not None and self.stop():
            raise TrainingStopped("training was stopped; nothing was stored")
        y = self.y(examples, label)
        if not y.any() or y.all():
            self.tick(f"learning {label}")
            return None, start
        rows = _rows(self.data, examples)
        model = start
        if model is None:
            model = self.regression(
                C=C, solver=_solver(len(rows)), class_weight="balanced", max_iter=500,
                tol=TOLERANCE, warm_start=True,
            )  # fmt: skip
        model.fit(self.data.taught[rows], y)
        self.tick(f"learning {label}")
        return _Fitted(model.coef_[0].copy(), float(model.intercept_[0])), model


def _solver(rows: int) -> str:
    """Newton's method on a few thousand candidates, L-BFGS on more: they fit the same model,
    and each is the faster there (13 ms against 52 for a dozen documents; 0.3 s against 0.8 for
    four hundred)."""
    return "newton-cg" if rows < NEWTON_ROWS else "lbfgs"


@dataclass
class _Fitted:
    """A label's weights as the library gives them, over the matrix's columns."""

    coef: numpy.ndarray
    bias: float

    def sums(self, data: _Data, document: _Document) -> list[float]:
        return list(data.matrix[document.rows] @ self.coef + self.bias)

    def model(self, data: _Data) -> LabelModel:
        """As stored: each fact's weight by name (those too small to matter left out)."""
        weights = {
            data.vocabulary[i]: round(float(self.coef[i]), 5)
            for i in self.coef.nonzero()[0]
            if abs(self.coef[i]) >= 1e-5
        }
        return LabelModel(bias=round(self.bias, 6), weights=weights)


def calibrate(regression: Any, raw: Sequence[float], truth: Sequence[int]) -> tuple[float, float]:
    """Platt's calibration: a and b such that sigmoid(a * raw + b) is the share of candidates
    with that sum that were the analysts' spans, on held-out documents."""
    import numpy as np

    if len(set(truth)) < 2:
        return (1.0, 0.0)
    fitted = regression(C=1e4, solver="lbfgs").fit(np.asarray(raw).reshape(-1, 1), truth)
    return (round(float(fitted.coef_[0][0]), 6), round(float(fitted.intercept_[0]), 6))


def _by_document(examples: Sequence[LearningExample]) -> dict[int, list[LearningExample]]:
    out: dict[int, list[LearningExample]] = {}
    for e in examples:
        out.setdefault(e.document, []).append(e)
    return out


@dataclass
class _Point:
    """One point of the learning curve: the held-out figures at a share of the documents."""

    fraction: float
    documents: float  # fitted on, on average over the folds
    tallies: dict[str, Tally]
    calibration: tuple[float, float]

    def to_json(self) -> dict[str, Any]:
        return {
            "fraction": self.fraction,
            "documents": round(self.documents, 1),
            **{how: t.to_json() for how, t in self.tallies.items()},
        }


def _curve(fitter: _Fitter, plan: _Plan, label: str, trim: bool) -> tuple[list[_Point], Any]:
    """For each share of the curve: fit on that share of the other folds' documents, score
    each fold held out, calibrate on those scores, and count what the calibrated model would
    propose against the analysts' spans. Each fold's fits go from the smallest share up, each
    starting from the one before. Also returns the last regression, to start the final fit."""
    data = fitter.data
    by_doc = _by_document(data.examples)
    scores: dict[float, list[tuple[LearningExample, list[float]]]] = {f: [] for f in CURVE}
    sizes: dict[float, list[int]] = {f: [] for f in CURVE}
    regression = None
    for fold in range(plan.folds):
        regression = None
        for fraction in CURVE:
            training = plan.training(fold, fraction)
            sizes[fraction].append(len(training))
            fitted, regression = fitter.fit(
                [e for d in training for e in by_doc[d]], label, regression
            )
            for d in plan.held_out(fold):
                doc = data.documents[d]
                raw = fitted.sums(data, doc) if fitted else [-50.0] * len(doc.facts)
                scores[fraction] += [(e, raw) for e in by_doc[d]]
    points = []
    for fraction in CURVE:
        calibration = _calibration(fitter, scores[fraction], label)
        tallies = _count(data, scores[fraction], label, calibration, trim)
        mean = sum(sizes[fraction]) / len(sizes[fraction])
        points.append(_Point(fraction, mean, tallies, calibration))
    return points, regression


def _calibration(
    fitter: _Fitter, scored: list[tuple[LearningExample, list[float]]], label: str
) -> tuple[float, float]:
    raw = [r for _, values in scored for r in values]
    truth = [t for e, _ in scored for t in fitter.y([e], label)]
    return calibrate(fitter.regression, raw, truth)


def _count(
    data: _Data,
    scored: list[tuple[LearningExample, list[float]]],
    label: str,
    calibration: tuple[float, float],
    trim: bool,
) -> dict[str, Tally]:
    """What the calibrated model proposes on the held-out documents, against the analysts'
    spans there."""
    import numpy as np

    a, b = calibration
    tallies = {how: Tally() for how in HOW}
    labels = {label: LabelModel(0.0, {}, calibration, trim)}
    for e, raw in scored:
        st = data.documents[e.document].structure
        probabilities = list(1.0 / (1.0 + np.exp(-(a * np.asarray(raw) + b))))
        proposed = chosen(st, {label: probabilities}, labels, THRESHOLD)
        edges = [(s.start, s.end) for s in proposed]
        wanted = [(s, t) for s, t, name in e.spans if name == label]
        for how in HOW:
            tallies[how].add(count(edges, wanted, how))
    return tallies


def _reachable(data: _Data, label: str) -> float | None:
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


# -- training --------------------------------------------------------------------------------


def train(
    store: Store,
    labels: Sequence[str] | None = None,
    *,
    curated: bool = False,
    progress: Progress | None = None,
    stop: Callable[[], bool] | None = None,
    folds: int = FOLDS,
) -> Training:
    """Train a model on the project's done documents (or, with ``curated``, its curated
    layer) for ``labels`` (default: every label with enough examples), measure it, and store
    it. Raises TrainingError (nothing stored) when it cannot be done."""
    started = time.monotonic()
    regression, version = scikit_learn()
    wanted = _check_labels(store, labels)
    examples, texts = store.models.learning_layer(curated=curated)
    layer = "curated" if curated else "done"
    documents = sorted(texts)
    if len(documents) < MIN_DOCUMENTS:
        what = "settled by a curator" if curated else "marked done"
        raise TrainingError(
            f"training needs at least {MIN_DOCUMENTS} documents {what}; this project has "
            f"{len(documents)}"
        )
    spans = Counter(name for e in examples for _, _, name in e.spans)
    docs_with = Counter(name for e in examples for name in {s[2] for s in e.spans})
    candidates = wanted if wanted is not None else sorted(spans)
    learnable = [name for name in candidates if spans[name] >= MIN_SPANS]
    too_few = {name: spans[name] for name in candidates if spans[name] < MIN_SPANS}
    if not learnable:
        raise TrainingError(_too_few_message(too_few, layer))
    plan = _plan(documents, folds)
    steps = len(documents) + len(learnable) * (len(CURVE) * plan.folds + 1) + 1
    done = 0

    def tick(message: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(min(done, steps), steps, message)
        if stop is not None and stop():
            raise TrainingStopped("training was stopped; nothing was stored")

    data = _prepare(examples, texts, tick)
    fitter = _Fitter(data, regression, stop, tick)
    model = LearnedModel()
    figures: dict[str, LabelFigures] = {}
    for label in learnable:
        trim = trims_stop(data, label)
        result = LabelFigures(label, spans[label], docs_with[label])
        points, regression = _curve(fitter, plan, label, trim)
        result.curve = [p.to_json() for p in points]
        result.held_out = points[-1].tallies
        result.reachable = _reachable(data, label)
        fitted, _ = fitter.fit(data.examples, label, regression)
        assert fitted is not None  # it has MIN_SPANS spans
        final = fitted.model(data)
        final.calibration, final.trim_stop = points[-1].calibration, trim
        model.labels[label] = final
        figures[label] = result
    training = Training(
        layer=layer,
        documents=len(documents),
        analysts=sorted({e.analyst for e in examples if e.analyst is not None}),
        folds=plan.folds,
        labels=figures,
        too_few=too_few,
        library_version=version,
    )
    if stop is not None and stop():
        raise TrainingStopped("training was stopped; nothing was stored")
    training.seconds = time.monotonic() - started
    training.model_id = store.models.add(
        parameters=model.dumps(),
        library=LIBRARY,
        library_version=version,
        layer=layer,
        labels=list(model.labels),
        documents=documents,
        figures={k: v for k, v in training.to_json().items() if k != "model"},
    )
    if progress is not None:
        progress(steps, steps, "stored")
    return training


def _too_few_message(too_few: dict[str, int], layer: str) -> str:
    where = "on documents marked done" if layer == "done" else "in the curated layer"
    if not too_few:
        return f"there are no spans {where} to learn from"
    counts = ", ".join(f"{printable(name)} has {n}" for name, n in too_few.items())
    return (
        f"too few examples to learn from {where}: {counts}; each label needs at least "
        f"{MIN_SPANS} spans"
    )


def train_file(
    path: str | Path,
    annotator: str | None = None,
    labels: Sequence[str] | None = None,
    **options: Any,
) -> Training:
    """:func:`train` on the project at ``path``, through a connection of its own: what a
    worker thread calls, so that the window's connection is never shared with it."""
    from annotator.store.project import Store

    with Store(path, annotator, create=False) as store:
        return train(store, labels, **options)
