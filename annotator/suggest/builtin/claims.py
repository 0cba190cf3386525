"""Claims (run only when asked for): sentences with an assertion or attribution cue.

Loose by nature, so the score is low: a hint of where to look, not a proposal to accept
blindly. Sentences that are wholly a quotation are left to the quotes suggester.
"""

from __future__ import annotations

from annotator.suggest.builtin.patterns import Patterns
from annotator.suggest.builtin.sentences import sentences
from annotator.suggest.builtin.suggestion import Suggestion

NAME = "claims"
LABEL = "claim"


def suggest(text: str, patterns: Patterns) -> list[Suggestion]:
    rules = [r for r in patterns.of(NAME, "phrase") + patterns.of(NAME, "regex") if r.compiled]
    out: list[Suggestion] = []
    for start, end in sentences(text):
        sentence = text[start:end]
        if sentence[:1] in '"“‘«' and sentence.rstrip()[-1:] in '"”’»':
            continue
        scores = [r.score or 0.3 for r in rules if r.compiled and r.compiled.search(sentence)]
        if scores:
            labels = {r.label or LABEL for r in rules}
            out.append(
                Suggestion(start, end, LABEL if len(labels) != 1 else labels.pop(), max(scores))
            )
    return out
