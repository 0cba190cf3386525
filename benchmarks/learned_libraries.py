"""Two ways to learn the analysts' spans, measured on the same articles: the one annotator uses
(scikit-learn's logistic regression over candidate lines, sentences and clauses, with facts
of where each stands) and a token CRF (python-crfsuite: B/I/O tags per label, each token with
its word, shape and neighbours, its sentence's place in the line, and the same facts about its
line).

    .venv/bin/pip install python-crfsuite     # the CRF is not one of annotator's dependencies
    .venv/bin/python -m benchmarks.learned_libraries [DONE_ARTICLES]

For each convention of ``conventions.py``, both learn from the same done articles (the
analysts' noisy spans) and are scored on 100 unseen articles worded with new words, by
overlap and exact edges, with the time each took to learn and to tag.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import conventions

_TOKEN = re.compile(r"\w+|[^\w\s]")


def _shape(word: str) -> str:
    if word.isdigit():
        return "d"
    if not word[0].isalnum():
        return "p"
    return "X" if word[0].isupper() else "x"


def _tokens(text: str) -> tuple[list[tuple[int, int]], list[list[str]]]:
    """Each token's edges, and its features: its word and shape, its neighbours', and the
    facts about its line that the candidate model uses too."""
    from annotator.suggest.learned.candidates import structure
    from annotator.suggest.learned.features import _line_facts

    st = structure(text)
    sentences = sorted(
        (c.start, c.end, c.sentence, c.sentences) for c in st.candidates if "sentence" in c.kinds
    )
    edges: list[tuple[int, int]] = []
    features: list[list[str]] = []
    for line in st.lines:
        facts = _line_facts(st, line)
        found = list(_TOKEN.finditer(text, line.start, line.end))
        words = [m.group() for m in found]
        for i, m in enumerate(found):
            w = words[i]
            f = [f"w={w.lower()}", f"s={_shape(w)}", f"suf={w[-3:].lower()}", *facts]
            within = [x for x in sentences if x[0] <= m.start() < x[1]]
            if within:
                start, _, index, count = within[0]
                place = (
                    "only"
                    if count == 1
                    else "first"
                    if index == 0
                    else ("last" if index == count - 1 else "mid")
                )
                f += [f"sentence={place}", f"sentence_start={m.start() == start}"]
            for d in (-2, -1, 1, 2):
                j = i + d
                f.append(f"w{d}={words[j].lower() if 0 <= j < len(words) else '|'}")
            if i == 0:
                f.append("line_start")
            if i == len(found) - 1:
                f.append("line_end")
            edges.append((m.start(), m.end()))
            features.append(f)
    return edges, features


def _tags(edges: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[str]:
    tags = ["O"] * len(edges)
    for start, end in spans:
        inside = [i for i, (s, e) in enumerate(edges) if s >= start and e <= end]
        for k, i in enumerate(inside):
            tags[i] = "B" if k == 0 else "I"
    return tags


def _spans(edges: list[tuple[int, int]], tags: list[str]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = end = None
    for (s, e), tag in zip(edges, tags, strict=True):
        if tag == "B" or (tag == "I" and start is None):
            if start is not None:
                out.append((start, end))  # type: ignore[arg-type]
            start, end = s, e
        elif tag == "I":
            end = e
        else:
            if start is not None:
                out.append((start, end))  # type: ignore[arg-type]
            start = end = None
    if start is not None:
        out.append((start, end))  # type: ignore[arg-type]
    return out


def crf(train: list[dict[str, Any]], test: list[dict[str, Any]], label: str) -> dict[str, Any]:
    import pycrfsuite

    from annotator.suggest.learned.figures import HOW, Tally, count

    started = time.perf_counter()
    trainer = pycrfsuite.Trainer(verbose=False)
    for record in train:
        edges, features = _tokens(record["text"])
        spans = [(s["start"], s["end"]) for s in record["spans"] if s["label"] == label]
        trainer.append(features, _tags(edges, spans))
    trainer.set_params({"c1": 0.1, "c2": 0.01, "max_iterations": 100})
    folder = tempfile.mkdtemp()
    model = Path(folder) / f"{label}.crfsuite"  # CRFsuite's own format
    trainer.train(str(model))
    learned = time.perf_counter() - started
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    tallies = {how: Tally() for how in HOW}
    started = time.perf_counter()
    for record in test:
        edges, features = _tokens(record["text"])
        proposed = _spans(edges, tagger.tag(features))
        gold = [(g["start"], g["end"]) for g in record["meta"]["gold"] if g["label"] == label]
        for how in HOW:
            tallies[how].add(count(proposed, gold, how))
    tagged = time.perf_counter() - started
    size = model.stat().st_size
    shutil.rmtree(folder, ignore_errors=True)
    return {"tallies": tallies, "learn": learned, "tag": tagged, "size": size}


def candidates(train: list[dict[str, Any]], test: list[dict[str, Any]]) -> dict[str, Any]:
    """annotator's own: `train` on a project of the done articles, then its proposals."""
    import json

    from annotator.formats.importing import import_paths
    from annotator.store.project import Store
    from annotator.suggest.learned.figures import HOW, Tally, count
    from annotator.suggest.learned.suggesting import latest_model
    from annotator.suggest.learned.training import train as learn

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "done.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in train), encoding="utf-8")
        with Store(Path(folder) / "p.db", "bench") as store:
            import_paths(store, [source])
            started = time.perf_counter()
            learn(store, folds=2)  # the fewest folds: the time is mostly the final fit's
            learned = time.perf_counter() - started
            model, _ = latest_model(store)
            size = len(store.models.latest().parameters or "")  # type: ignore[union-attr]
    out: dict[str, Any] = {"learn": learned, "size": size}
    started = time.perf_counter()
    proposed = [model.propose(r["text"]) for r in test]
    out["tag"] = time.perf_counter() - started
    for label in conventions.LABELS:
        tallies = {how: Tally() for how in HOW}
        for r, found in zip(test, proposed, strict=True):
            got = [(s.start, s.end) for s in found if s.label == label]
            gold = [(g["start"], g["end"]) for g in r["meta"]["gold"] if g["label"] == label]
            for how in HOW:
                tallies[how].add(count(got, gold, how))
        out[label] = tallies
    return out


def _line(name: str, tallies: dict[str, Any]) -> str:
    o, e = tallies["overlap"], tallies["exact"]
    return (
        f"  {name:<28} overlap P {o.precision or 0:.2f} R {o.recall or 0:.2f} F1 {o.f1 or 0:.2f}"
        f"   exact F1 {e.f1 or 0:.2f}"
    )


def main(done: int = 50) -> None:
    for convention in conventions.CONVENTIONS:
        train = list(conventions.articles(done, convention, seed=1))
        test = list(conventions.articles(100, convention, seed=2, vocabulary="test"))
        print(f"{convention}: learning from {done} done articles, scored on 100 unseen ones")
        ours = candidates(train, test)
        for label in conventions.LABELS:
            print(_line(f"{label}, candidates (sklearn)", ours[label]))
        print(
            f"  {'':<28} learned in {ours['learn']:.1f} s (2 folds and the curve included), "
            f"tagged in {ours['tag']:.1f} s, {ours['size'] // 1024} KB"
        )
        for label in conventions.LABELS:
            found = crf(train, test, label)
            print(_line(f"{label}, token CRF (crfsuite)", found["tallies"]))
            print(
                f"  {'':<28} learned in {found['learn']:.1f} s, tagged in {found['tag']:.1f} s, "
                f"{found['size'] // 1024} KB"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
