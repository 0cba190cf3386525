"""The patterns file: what each built-in suggester looks for, one JSON object per line.

In the spirit of Prodigy's patterns JSONL, each line names a suggester and one thing it uses:

    {"suggester": "quotes", "pair": ["“", "”"]}                 a pair of quotation marks
    {"suggester": "quotes", "word": "said"}                     a speech verb
    {"suggester": "captions", "label": "caption", "regex": "^Photo:"}
    {"suggester": "concessions", "label": "concession", "phrase": "although", "score": 0.5}

``phrase`` and ``word`` match whole words (not inside a hyphenated one), ignoring case; ``regex`` is a Python regular expression,
matched against each line (``^`` and ``$`` are a line's ends), ignoring case unless it sets
``"case": true``. A project uses ``<project>.patterns.jsonl`` beside it when there is one
(``annotator patterns init`` writes a copy of the defaults there to edit), else the defaults
in ``resources/patterns.jsonl``. A bad line is refused as ``file:line: why``.
"""

from __future__ import annotations

import errno
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.model import Refused
from annotator.printable import printable
from annotator.resources import resource_dir

KINDS = ("pair", "word", "regex", "phrase")


class PatternError(Refused):
    """A patterns file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Rule:
    suggester: str
    kind: str
    value: Any
    label: str | None = None
    score: float | None = None
    compiled: re.Pattern[str] | None = None


@dataclass
class Patterns:
    rules: list[Rule] = field(default_factory=list)
    source: str = ""

    def of(self, suggester: str, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.suggester == suggester and r.kind == kind]


def default_path() -> Path:
    return resource_dir() / "patterns.jsonl"


def project_path(project: Path) -> Path:
    return project.with_name(project.name + ".patterns.jsonl")


def for_project(project: Path) -> Patterns:
    own = project_path(project)
    return load(own if own.exists() else default_path())


def load(path: Path) -> Patterns:
    shown = printable(path)
    try:
        lines = path.read_bytes().decode("utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as e:
        raise PatternError(f"{shown}: cannot be read ({e})") from None
    rules = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            rules.append(_rule(json.loads(line)))
        except (ValueError, TypeError, re.error) as e:
            raise PatternError(f"{shown}:{number}: {e}") from None
    if not rules:  # the suggesters would find nothing, and say nothing of why
        raise PatternError(
            f"{shown}: holds no patterns, so the suggesters would find nothing; add some (one "
            "JSON object per line), or remove the file to use the default patterns"
        )
    return Patterns(rules, str(path))


def write_defaults(target: Path, content: bytes | None = None) -> None:
    """Write a copy of the default patterns (or ``content``, patterns a project carries) to
    ``target``, whole or not at all: a full disk must not leave an empty file that would
    stand for the defaults."""
    from annotator.destinations import output

    shown = printable(target)
    try:
        with output(target, binary=True) as out:
            out.write(default_path().read_bytes() if content is None else content)
    except OSError as e:
        why = "the disk is full" if e.errno == errno.ENOSPC else (e.strerror or str(e))
        raise PatternError(f"{shown}: could not be written ({why}); no file was left") from None


def _rule(data: Any) -> Rule:
    if not isinstance(data, dict):
        raise ValueError("each line must be a JSON object")
    suggester = data.get("suggester")
    if not isinstance(suggester, str) or not suggester:
        raise ValueError('no "suggester"')
    kinds = [k for k in KINDS if k in data]
    if len(kinds) != 1:
        raise ValueError(f"give exactly one of {', '.join(KINDS)}")
    kind = kinds[0]
    value = data[kind]
    label = data.get("label")
    if label is not None and not isinstance(label, str):
        raise ValueError('"label" must be a string')
    score = data.get("score")
    if score is not None and (
        isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1
    ):
        raise ValueError('"score" must be a number from 0 to 1')
    compiled = None
    if kind == "pair":
        if not (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, str) and len(v) == 1 for v in value)
        ):
            raise ValueError('"pair" must be two characters, opening and closing')
        value = (value[0], value[1])
    elif kind in ("word", "phrase"):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f'"{kind}" must be a non-empty string')
        # Whole words, and not part of a hyphenated one ("so-called" is no speech verb).
        compiled = re.compile(r"(?<![\w-])" + re.escape(value) + r"(?![\w-])", re.IGNORECASE)
    else:
        if not isinstance(value, str) or not value:
            raise ValueError('"regex" must be a non-empty string')
        flags = re.MULTILINE | (0 if data.get("case") else re.IGNORECASE)
        compiled = re.compile(value, flags)
    return Rule(
        suggester, kind, value, label, float(score) if score is not None else None, compiled
    )
