"""Learned suggestions: how good they are on articles the model never saw, the keys they save,
and how fast training and suggesting are.

The articles come from ``conventions.py``: two projects whose claims and concessions follow
conventions of their own that no rule knows, tagged as noisily as real analysts tag. A model
is trained on 25, 50 and 100 done articles of a project and its suggestions (at suggest's
default score) are scored against the convention's own spans in 100 articles it never saw,
whose concessions (and rhetoric claims) are worded with words the training articles never use.
A suggestion is right when it shares 80 % of both spans' characters (``overlap``) or has the
same edges (``exact``); precision is in the ours column and recall in the reference column.

Keys, as the analyst spends them: accepting a suggestion is a key, rejecting one a key, moving
an edge a key per character, and tagging a span by hand a selection and a key (2). For each
suggestion the analyst takes the cheaper of accepting it (moving its edges to the span's) and
rejecting it then tagging the span by hand; a span no suggestion found is tagged by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks import conventions
from benchmarks.context import ANNOTATOR, Context
from benchmarks.measure import Figure, Stats, paired

# Overlap (precision, recall) each label must reach after 50 done articles.
TARGETS = {"claim": (0.6, 0.7), "concession": (0.6, 0.85)}
TARGET_AT = 50
TRAIN_LIMIT = 30.0  # seconds, for 500 done articles
SUGGEST_LIMIT = 60.0  # seconds, for 10,000 articles


def library_problem() -> str | None:
    """Why the learned rows cannot run, or None when they can."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return "scikit-learn is not installed"
    return None


def records_file(ctx: Context, name: str, records: Any) -> Path:
    path = ctx.cache / f"learned-{conventions.GENERATOR_VERSION}-{name}.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        with open(part, "w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        part.replace(path)
    return path


def project(ctx: Context, name: str, sources: list[Path]) -> Path:
    from annotator.formats.importing import import_paths
    from annotator.store.project import Store

    path = ctx.fresh_path(f"{name}.db")
    with Store(path, ANNOTATOR) as store:
        report = import_paths(store, sources)
    if not report.ok:
        raise RuntimeError(f"building {name}: {report.summary()}")
    return path


def _trained(ctx: Context, convention: str, n: int) -> Any:
    """A model trained on ``n`` done articles of a convention."""
    from annotator.store.project import Store
    from annotator.suggest.learned.suggesting import latest_model
    from annotator.suggest.learned.training import train

    source = records_file(
        ctx, f"{convention}-train-{n}", conventions.articles(n, convention, seed=1)
    )
    path = project(ctx, f"learned-{convention}-{n}", [source])
    with Store(path, ANNOTATOR) as store:
        train(store)
        model, _ = latest_model(store)
    return model


def _test_articles(ctx: Context, convention: str) -> list[dict[str, Any]]:
    return list(conventions.articles(ctx.sizes.learn_test, convention, seed=2, vocabulary="test"))


def _scores(model: Any, test: list[dict[str, Any]], label: str) -> dict[str, Any]:
    from annotator.suggest.learned.figures import HOW, Tally, count

    tallies = {how: Tally() for how in HOW}
    for record in test:
        proposed = [(s.start, s.end) for s in model.propose(record["text"]) if s.label == label]
        gold = [(g["start"], g["end"]) for g in record["meta"]["gold"] if g["label"] == label]
        for how in HOW:
            tallies[how].add(count(proposed, gold, how))
    return tallies


def quality(ctx: Context) -> list[Figure]:
    problem = library_problem()
    if problem:
        return [Figure(row="learn-quality", name="learn-quality", what="", target="", na=problem)]
    figures = []
    for convention in conventions.CONVENTIONS:
        test = _test_articles(ctx, convention)
        f1: dict[str, dict[int, float]] = {}
        for n in ctx.sizes.learn_sizes:
            ctx.say(f"  {convention}: training on {n} done articles")
            model = _trained(ctx, convention, n)
            for label in conventions.LABELS:
                tallies = _scores(model, test, label)
                figures.append(_quality_figure(ctx, convention, n, label, tallies))
                f1.setdefault(label, {})[n] = tallies["overlap"].f1 or 0.0
        figures += _curve_figures(ctx, convention, f1)
    return figures


def _quality_figure(ctx: Context, convention: str, n: int, label: str, tallies: Any) -> Figure:
    o, e = tallies["overlap"], tallies["exact"]
    precision, recall = o.precision or 0.0, o.recall or 0.0
    target = TARGETS.get(label) if n == ctx.sizes.learn_sizes[1] else None
    return Figure(
        row="learn-quality",
        name=f"learn-{convention}-{n}-{label}",
        what=f"learned {label} suggestions on {ctx.sizes.learn_test} unseen {convention} "
        f"articles, trained on {n} done ones (overlap)",
        target=f"P ≥ {target[0]:g}, R ≥ {target[1]:g}" if target else "—",
        ours=Stats([precision]),
        reference=Stats([recall]),
        unit="fraction",
        met=(precision >= target[0] and recall >= target[1]) if target else None,
        note=f"overlap P {precision:.2f} R {recall:.2f} F1 {o.f1 or 0:.2f}; exact P "
        f"{e.precision or 0:.2f} R {e.recall or 0:.2f} F1 {e.f1 or 0:.2f}",
        extra={"overlap": o.to_json(), "exact": e.to_json(), "trained_on": n},
    )


def _curve_figures(ctx: Context, convention: str, f1: dict[str, dict[int, float]]) -> list[Figure]:
    first, last = ctx.sizes.learn_sizes[0], ctx.sizes.learn_sizes[-1]
    return [
        Figure(
            row="learn-quality",
            name=f"learn-{convention}-curve-{label}",
            what=f"{label} overlap F1 after {last} done articles (ours) and after {first} "
            "(reference)",
            target=f"F1 at {last} ≥ F1 at {first}",
            ours=Stats([by_size[last]]),
            reference=Stats([by_size[first]]),
            unit="fraction",
            met=by_size[last] >= by_size[first],
            note=" ".join(f"{n}: {v:.2f}" for n, v in by_size.items()),
        )
        for label, by_size in f1.items()
    ]


# -- keys -------------------------------------------------------------------------------------


def keys_with(proposed: list[tuple[int, int, str]], gold: list[tuple[int, int, str]]) -> int:
    """Keys to reach ``gold`` from ``proposed`` (see the module's docstring)."""
    from annotator.suggest.learned.figures import shared

    free = list(gold)
    keys = 0
    for start, end, label in sorted(proposed, key=lambda s: (s[0], s[1])):
        near = [g for g in free if g[2] == label and shared((start, end), g[:2]) > 0]
        if not near:
            keys += 1  # reject
            continue
        best = max(near, key=lambda g: shared((start, end), g[:2]))
        free.remove(best)
        moves = abs(best[0] - start) + abs(best[1] - end)
        keys += min(1 + moves, 1 + 2)
    return keys + 2 * len(free)


def actions(ctx: Context) -> list[Figure]:
    problem = library_problem()
    if problem:
        return [Figure(row="learn-actions", name="learn-actions", what="", target="", na=problem)]
    n = ctx.sizes.learn_sizes[1]
    figures = []
    for convention in conventions.CONVENTIONS:
        model = _trained(ctx, convention, n)
        test = _test_articles(ctx, convention)
        helped = by_hand = 0
        for record in test:
            gold = [(g["start"], g["end"], g["label"]) for g in record["meta"]["gold"]]
            proposed = [(s.start, s.end, s.label) for s in model.propose(record["text"])]
            helped += keys_with(proposed, gold)
            by_hand += 2 * len(gold)
        figures.append(
            Figure(
                row="learn-actions",
                name=f"learn-actions-{convention}",
                what=f"keys to tag {len(test)} unseen {convention} articles fully: with the "
                f"suggestions of a model trained on {n} (ours) and by hand (reference)",
                target="fewer with suggestions",
                ours=Stats([float(helped)]),
                reference=Stats([float(by_hand)]),
                ratio=Stats([helped / by_hand if by_hand else 1.0]),
                unit="count",
                met=helped < by_hand,
                note=f"{helped} keys with learned suggestions, {by_hand} by hand "
                f"({100 * (1 - helped / by_hand):.0f} % fewer); see learned_rows.py",
            )
        )
    return figures


# -- speed --------------------------------------------------------------------------------------


def train_speed(ctx: Context) -> list[Figure]:
    """`train` on the done articles, beside fitting the same model once without measuring it
    (no folds, no learning curve)."""
    problem = library_problem()
    if problem:
        return [Figure(row="learn-train", name="learn-train", what="", target="", na=problem)]
    from annotator.store.project import Store
    from annotator.suggest.learned import training
    from annotator.suggest.learned.examples import prepare

    s = ctx.sizes
    source = records_file(
        ctx,
        f"negotiation-done-{s.learn_train}",
        conventions.articles(s.learn_train, "negotiation", seed=4),
    )
    path = project(ctx, "learned-train", [source])
    store = Store(path, ANNOTATOR)
    regression, _ = training.scikit_learn()

    def ours() -> None:
        training.train(store)

    def reference() -> None:
        examples, texts = store.models.learning_layer()
        data = prepare(examples, texts, lambda _: None)
        fitter = training.Fitter(data, regression, None, lambda _: None)
        for label in conventions.LABELS:
            fitter.fit(data.examples, label)

    try:
        mine, plain, ratio = paired(ours, reference, runs=s.learn_runs, warmup=0)
    finally:
        store.close()
    return [
        Figure(
            row="learn-train",
            name="learn-train",
            what=f"`train` (5 folds, learning curve, the model stored) on {s.learn_train} done "
            "articles of ~3,000 characters and ~8 spans",
            target=f"< {TRAIN_LIMIT:g} s",
            ours=mine,
            reference=plain,
            ratio=ratio,
            met=mine.median < TRAIN_LIMIT,
            note="reference: the same features and one fit of each label, unmeasured",
        )
    ]


# The reference of learn-suggest: the rule suggesters it has always been timed beside.
BUILT_IN = ("quotes", "captions", "concessions")


def suggest_speed(ctx: Context) -> list[Figure]:
    """`suggest --suggester learned` over the articles not done, beside the built-in rule
    suggesters over the same articles; each run starts with no suggestions stored."""
    problem = library_problem()
    if problem:
        return [Figure(row="learn-suggest", name="learn-suggest", what="", target="", na=problem)]
    from annotator.store.project import Store
    from annotator.suggest.learned.suggesting import suggest_learned
    from annotator.suggest.learned.training import train
    from annotator.suggest.running import run_suggesters

    s = ctx.sizes
    done = records_file(
        ctx, "negotiation-train-60", conventions.articles(60, "negotiation", seed=1)
    )
    new = records_file(
        ctx,
        f"negotiation-new-{s.learn_suggest}",
        (
            {**r, "status": "new", "spans": []}
            for r in conventions.articles(s.learn_suggest, "negotiation", seed=5)
        ),
    )
    path = project(ctx, "learned-suggest", [done, new])
    store = Store(path, ANNOTATOR)
    try:
        train(store)
        documents = store.documents.ids(status="new")

        def clear(_: str) -> None:
            with store.transaction():
                store.conn.execute("DELETE FROM spans WHERE origin = 'suggested'")

        mine, plain, ratio = paired(
            lambda: suggest_learned(store, documents),
            lambda: run_suggesters(store, BUILT_IN, documents=documents),
            runs=s.learn_runs,
            warmup=0,
            prepare=clear,
        )
    finally:
        store.close()
    return [
        Figure(
            row="learn-suggest",
            name="learn-suggest",
            what=f"learned suggestions over {len(documents):,} articles, stored",
            target=f"< {SUGGEST_LIMIT:g} s",
            ours=mine,
            reference=plain,
            ratio=ratio,
            met=mine.median < SUGGEST_LIMIT,
            note="reference: the built-in quotes, captions and concessions on the same articles",
        )
    ]
