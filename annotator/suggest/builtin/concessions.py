"""Concessions: sentences or clauses with a concession cue ("although", "admittedly", ...).

A sentence that opens with a cue is suggested whole; a cue later in a sentence, after a
comma or dash, starts a clause that runs to the sentence's end (or the next semicolon), and
that clause is suggested. Elsewhere (a verb such as "concede" inside a sentence) the sentence
is suggested. Concessions are hard to bound by rule, so their scores stay low.
"""

from __future__ import annotations

from annotator.suggest.builtin.patterns import Patterns
from annotator.suggest.builtin.sentences import sentences
from annotator.suggest.builtin.suggestion import Suggestion

NAME = "concessions"
LABEL = "concession"
_LEAD = '"“‘«( '


def suggest(text: str, patterns: Patterns) -> list[Suggestion]:
    rules = [r for r in patterns.of(NAME, "phrase") + patterns.of(NAME, "regex") if r.compiled]
    out: list[Suggestion] = []
    for start, end in sentences(text):
        sentence = text[start:end]
        best: Suggestion | None = None
        for rule in rules:
            assert rule.compiled is not None
            m = rule.compiled.search(sentence)
            if m is None:
                continue
            score = rule.score or 0.45
            label = rule.label or LABEL
            if not sentence[: m.start()].strip(_LEAD):
                found = Suggestion(start, end, label, score)
            elif sentence[: m.start()].rstrip().endswith((",", "—", "–", ";")):
                clause_end = sentence.find(";", m.end())
                stop = start + (clause_end if clause_end != -1 else len(sentence.rstrip(".!?")))
                found = Suggestion(start + m.start(), stop, label, score - 0.05)
            else:
                found = Suggestion(start, end, label, score - 0.1)
            if best is None or found.score > best.score:
                best = found
        if best is not None:
            out.append(best)
    return out
