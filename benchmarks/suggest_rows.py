"""How good the built-in suggesters are: precision and recall against gold annotations of the
sample articles, and the keys and clicks they save an analyst.

A suggestion is right when a gold span has its label and (``exact``) the same start and end,
or (``overlap``) at least 80 % of both spans' characters in common; each gold span is matched
once. These rows run no clock: the figures are counts, the same on every machine.
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.context import HERE, Context
from benchmarks.measure import Figure, Stats

GOLD = HERE / "gold" / "samples.jsonl"
OVERLAP = 0.8
TARGETS = {("quotes", "overlap"): (0.8, 0.9), ("captions", "exact"): (0.8, 0.9)}
SUGGESTER_LABELS = {
    "quotes": "quote",
    "captions": "caption",
    "concessions": "concession",
    "claims": "claim",
}


def gold_documents(path: Path = GOLD) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def _matches(pred: tuple[int, int], gold: tuple[int, int], how: str) -> bool:
    if how == "exact":
        return pred == gold
    common = min(pred[1], gold[1]) - max(pred[0], gold[0])
    return common >= OVERLAP * (pred[1] - pred[0]) and common >= OVERLAP * (gold[1] - gold[0])


def score(
    predicted: list[tuple[int, int]], gold: list[tuple[int, int]], how: str
) -> tuple[int, int, int]:
    """(right suggestions, suggestions, gold spans), matching each gold span at most once."""
    free = list(gold)
    right = 0
    for p in predicted:
        hit = next((g for g in free if _matches(p, g, how)), None)
        if hit is not None:
            free.remove(hit)
            right += 1
    return right, len(predicted), len(gold)


def _suggested(name: str, text: str) -> list[tuple[int, int]]:
    from annotator.suggest.builtin.patterns import default_path, load
    from annotator.suggest.builtin.registry import built_in
    from annotator.suggest.running import DEFAULT_MIN_SCORES

    found = built_in()[name](text, load(default_path()))
    floor = DEFAULT_MIN_SCORES.get(name, 0.0)
    return [(s.start, s.end) for s in found if s.score >= floor]


def quality(ctx: Context) -> list[Figure]:
    documents = gold_documents()
    figures = []
    for name, label in SUGGESTER_LABELS.items():
        for how in ("exact", "overlap"):
            right = suggested = wanted = 0
            for doc in documents:
                gold = [(s["start"], s["end"]) for s in doc["spans"] if s["label"] == label]
                r, p, g = score(_suggested(name, doc["text"]), gold, how)
                right, suggested, wanted = right + r, suggested + p, wanted + g
            precision = right / suggested if suggested else 0.0
            recall = right / wanted if wanted else 0.0
            target = TARGETS.get((name, how))
            figures.append(
                Figure(
                    row="suggest-quality",
                    name=f"suggest-{name} ({how})",
                    what=f"{name} suggester against the samples' gold {label} spans "
                    + ("(same start and end)" if how == "exact" else "(80 % of both overlap)"),
                    target=f"P ≥ {target[0]:g}, R ≥ {target[1]:g}" if target else "—",
                    ours=Stats([precision]),
                    reference=Stats([recall]),
                    unit="fraction",
                    met=(precision >= target[0] and recall >= target[1]) if target else None,
                    note=f"precision {precision:.2f} ({right}/{suggested}), recall {recall:.2f} "
                    f"({right}/{wanted}); the reference column is recall",
                    extra={"right": right, "suggested": suggested, "gold": wanted},
                )
            )
    return figures


def _actions_with_suggestions(doc: dict) -> int:
    """Keys and clicks to reach the gold spans from the default suggesters' proposals, label by
    label, whichever way is fewer:

    - one at a time: next-suggestion and Enter for a right one; for a near miss also the edge
      moves (a key a character; past two, Delete and a fresh selection win); next and Delete
      for a wrong one;
    - all at once: one key accepts every suggestion of the label, then a wrong one costs a
      click and Delete, a near miss a click and its edge moves;

    then a selection and a label key for each gold span no suggestion found, and one key to
    finish the document.
    """
    from annotator.suggest.builtin.registry import DEFAULT

    text = doc["text"]
    gold = [(s["start"], s["end"], s["label"]) for s in doc["spans"]]
    free = list(gold)
    actions = 1
    for name in DEFAULT:
        if name not in SUGGESTER_LABELS:
            continue  # speakers: the samples' gold has no speaker spans (see speaker_rows.py)
        label = SUGGESTER_LABELS[name]
        one_by_one = 0
        all_at_once = 1
        for start, end in _suggested(name, text):
            same = [g for g in free if g[2] == label and _matches((start, end), g[:2], "overlap")]
            if not same:
                one_by_one += 2
                all_at_once += 2
                continue
            g = same[0]
            free.remove(g)
            moves = min(abs(g[0] - start) + abs(g[1] - end), 2)
            one_by_one += 2 + moves
            all_at_once += 1 + moves if moves else 0
        actions += min(one_by_one, all_at_once) if one_by_one else 0
    return actions + 2 * len(free)


def actions(ctx: Context) -> list[Figure]:
    documents = gold_documents()
    by_hand = sum(2 * len(d["spans"]) + 1 for d in documents)
    helped = sum(_actions_with_suggestions(d) for d in documents)
    return [
        Figure(
            row="suggest-actions",
            name="suggest-actions",
            what=f"keys and clicks to annotate the {len(documents)} samples fully: with the "
            "default suggestions (ours) and by hand (reference)",
            target="fewer with suggestions",
            ours=Stats([float(helped)]),
            reference=Stats([float(by_hand)]),
            ratio=Stats([helped / by_hand]),
            unit="count",
            met=helped < by_hand,
            note="by hand: a selection and a label key per span; see suggest_rows.py",
        )
    ]
