"""A suggestion: a span a suggester proposes, with its label and how sure it is (0 to 1)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from annotator.suggest.builtin.patterns import Patterns


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    label: str
    score: float


Suggester = Callable[[str, Patterns], list[Suggestion]]
