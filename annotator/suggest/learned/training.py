"""Training a model on the analysts' own spans, and telling them how good it is.

For each label, a logistic regression (scikit-learn's) learns which candidates (lines,
sentences, clauses; see ``candidates``) are the label's spans, from the facts of ``features``: the analysts' spans on the documents they marked done are the spans to find,
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
``TrainingStopped`` is raised and nothing is stored). ``learn`` (``learn_file`` in the
window's worker, see ``background``) does all of it but the writing, and hands back a
:class:`Trained` that the window stores through its own connection.
"""

from __future__ import annotations

import math
import random
import shlex
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.model import LabelError, Refused
from annotator.printable import printable
from annotator.store.models import LearningExample
from annotator.suggest.learned.examples import (
    Prepared,
    PreparedDocument,
    prepare,
    reachable,
    rows_of,
    trims_stop,
    truth,
)
from annotator.suggest.learned.figures import HOW, Tally, count
from annotator.suggest.learned.model import (
    DEFAULT_MIN_SCORE as THRESHOLD,  # the held-out figures are those of suggest's default
)
from annotator.suggest.learned.model import LabelModel, LearnedModel, chosen
from annotator.suggest.learned.report import LabelFigures, Training

if TYPE_CHECKING:
    import numpy

    from annotator.store.project import Store

LIBRARY = "scikit-learn"
MIN_SPANS = 10  # of a label, to learn it
MIN_DOCUMENTS = 4  # done, to train at all (and hold some out)
FOLDS = 5
CURVE = (0.25, 0.5, 0.75, 1.0)
C = 1.0  # how freely the weights may grow (scikit-learn's inverse regularisation)
TOLERANCE = 1e-3  # when a fit has converged: finer changes no proposal
NEWTON_ROWS = 20_000  # candidates: below, Newton's method fits faster than L-BFGS

Progress = Callable[[int, int, str], None]


class TrainingError(Refused):
    """Training that cannot be done; nothing was stored."""


class TrainingStopped(Refused):
    """Training stopped when asked to; nothing was stored."""


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


# -- fitting ---------------------------------------------------------------------------------


def _check_labels(store: Store, wanted: Sequence[str] | None) -> list[str] | None:
    if not wanted:
        return None
    names = [lab.name for lab in store.labels.all()]
    unknown = [w for w in wanted if w not in names]
    if unknown:
        raise LabelError(f"unknown label {unknown[0]!r}; this project has {', '.join(names)}")
    return list(dict.fromkeys(wanted))


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


class Fitter:
    """Fits one label's model on some examples; knows when to stop."""

    def __init__(
        self,
        data: Prepared,
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
                self._y[key] = truth(self.data, [e], label)
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
        rows = rows_of(self.data, examples)
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

    def sums(self, data: Prepared, document: PreparedDocument) -> list[float]:
        return list(data.matrix[document.rows] @ self.coef + self.bias)

    def model(self, data: Prepared) -> LabelModel:
        """As stored: each fact's weight by name (those too small to matter left out)."""
        weights = {
            data.vocabulary[i]: round(float(self.coef[i]), 5)
            for i in self.coef.nonzero()[0]
            if abs(self.coef[i]) >= 1e-5
        }
        return LabelModel(bias=round(self.bias, 6), weights=weights)


def calibrate(regression: Any, raw: Sequence[float], taught: Sequence[int]) -> tuple[float, float]:
    """Platt's calibration: a and b such that sigmoid(a * raw + b) is the share of candidates
    with that sum that were the analysts' spans, on held-out documents."""
    import numpy as np

    if len(set(taught)) < 2:
        return (1.0, 0.0)
    fitted = regression(C=1e4, solver="lbfgs").fit(np.asarray(raw).reshape(-1, 1), taught)
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


def _curve(fitter: Fitter, plan: _Plan, label: str, trim: bool) -> tuple[list[_Point], Any]:
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
    fitter: Fitter, scored: list[tuple[LearningExample, list[float]]], label: str
) -> tuple[float, float]:
    raw = [r for _, values in scored for r in values]
    truth = [t for e, _ in scored for t in fitter.y([e], label)]
    return calibrate(fitter.regression, raw, truth)


def _count(
    data: Prepared,
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
    trained = learn(store, labels, curated=curated, progress=progress, stop=stop, folds=folds)
    trained.store(store)
    if progress is not None:
        progress(trained.steps, trained.steps, "stored")
    return trained.training


@dataclass
class Trained:
    """A model trained and measured, not yet stored: a worker hands it back (``record``, as
    JSON), and the window stores it through its own connection in one short transaction,
    so the model it serves meanwhile is the one before."""

    training: Training
    model: LearnedModel
    documents: list[int]
    steps: int  # the progress steps the training counted

    def record(self) -> dict[str, Any]:
        """What ``store.models.add`` is given: the model's parameters as JSON, and its
        record."""
        training = self.training
        return {
            "parameters": self.model.dumps(),
            "library": training.library,
            "library_version": training.library_version,
            "layer": training.layer,
            "labels": list(self.model.labels),
            "documents": self.documents,
            "figures": {k: v for k, v in training.to_json().items() if k != "model"},
        }

    def store(self, store: Store) -> int:
        """Store the model (one short transaction); its id, which the model now bears."""
        model_id = store.models.add(**self.record())
        self.training.model_id = self.model.id = model_id
        return model_id


def learn(
    store: Store,
    labels: Sequence[str] | None = None,
    *,
    curated: bool = False,
    progress: Progress | None = None,
    stop: Callable[[], bool] | None = None,
    folds: int = FOLDS,
) -> Trained:
    """What :func:`train` does but store the model: it reads the project and writes nothing.
    Raises TrainingError when it cannot be done, TrainingStopped when ``stop`` said so."""
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

    data = prepare(examples, texts, tick)
    fitter = Fitter(data, regression, stop, tick)
    model = LearnedModel()
    figures: dict[str, LabelFigures] = {}
    for label in learnable:
        trim = trims_stop(data, label)
        result = LabelFigures(label, spans[label], docs_with[label])
        points, regression = _curve(fitter, plan, label, trim)
        result.curve = [p.to_json() for p in points]
        result.held_out = points[-1].tallies
        result.reachable = reachable(data, label)
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
        needed=MIN_SPANS,
        library=LIBRARY,
        library_version=version,
    )
    if stop is not None and stop():
        raise TrainingStopped("training was stopped; nothing was stored")
    training.seconds = time.monotonic() - started
    return Trained(training, model, documents, steps)


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


def learn_file(
    path: str | Path,
    annotator: str | None = None,
    labels: Sequence[str] | None = None,
    **options: Any,
) -> Trained:
    """:func:`learn` on the project at ``path``, through a connection of its own, storing
    nothing: the window's worker calls it, and the window stores what it returns."""
    from annotator.store.project import Store

    with Store(path, annotator, create=False) as store:
        return learn(store, labels, **options)
