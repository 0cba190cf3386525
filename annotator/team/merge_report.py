"""What a merge answers: the report of what each file brought into the team project, or the
error that refused the merge (and then nothing was written).

The report is counted while the merge writes, so it says what was done, not what was meant;
what a file older than the work merged from it undid is counted too, to be named whether the
merge is refused for it or, asked to, goes ahead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.changes import Changes
from annotator.model import Refused
from annotator.printable import printable


class MergeError(Refused):
    """A merge that cannot be made as asked; nothing was written."""


# What a file older than the work merged from it would undo, per analyst, in this order.
UNDONE = (
    ("span", "removed"),
    ("span", "added"),
    ("span", "changed"),
    ("relation", "removed"),
    ("relation", "added"),
    ("status", "changed"),
)


def _n(count: int, noun: str) -> str:
    plural = noun + ("es" if noun.endswith("s") else "s")
    return f"{count} {noun if count == 1 else plural}"


@dataclass
class SourceReport:
    path: str
    analysts: list[str] = field(default_factory=list)
    documents_added: int = 0
    documents_matched: int = 0
    spans_added: int = 0
    spans_removed: int = 0
    notes_changed: int = 0
    statuses_set: int = 0
    history_added: int = 0
    curations_added: int = 0
    relations_added: int = 0
    relations_removed: int = 0
    relation_types_added: list[str] = field(default_factory=list)
    #: Types of the team project that now also allow the ends this file's allow.
    relation_types_widened: list[dict[str, Any]] = field(default_factory=list)
    labels_added: list[str] = field(default_factory=list)
    labels_missing: list[str] = field(default_factory=list)  # the team has them, it has not
    attributes_added: list[str] = field(default_factory=list)  # "label.attribute"
    attribute_values_added: dict[str, list[str]] = field(default_factory=dict)
    #: Why the file is older than the work merged from it before, when it replaced that work.
    older: str | None = None
    #: Per analyst, what this merge undid of the team project's copy of their work.
    undone: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict, repr=False)

    @property
    def changed_work(self) -> bool:
        return bool(
            self.spans_added
            or self.spans_removed
            or self.notes_changed
            or self.statuses_set
            or self.relations_added
            or self.relations_removed
        )

    @property
    def added_anything(self) -> bool:
        return bool(
            self.changed_work
            or self.documents_added
            or self.history_added
            or self.curations_added
            or self.relation_types_added
            or self.relation_types_widened
            or self.labels_added
            or self.attributes_added
            or self.attribute_values_added
        )

    def count_undone(self, who: str, what: tuple[str, str], count: int = 1) -> None:
        if count:
            mine = self.undone.get(who)
            if mine is None:
                mine = self.undone[who] = Counter()
            mine[what] += count

    def undone_text(self) -> str:
        """``ana: 2 spans removed, 1 status changed; bo: ...``"""
        return "; ".join(
            f"{who}: "
            + ", ".join(f"{_n(counts[what], what[0])} {what[1]}" for what in UNDONE if counts[what])
            for who, counts in sorted(self.undone.items())
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "analysts": self.analysts,
            "documents_added": self.documents_added,
            "documents_matched": self.documents_matched,
            "spans_added": self.spans_added,
            "spans_removed": self.spans_removed,
            "notes_changed": self.notes_changed,
            "statuses_set": self.statuses_set,
            "history_added": self.history_added,
            "curations_added": self.curations_added,
            "relations_added": self.relations_added,
            "relations_removed": self.relations_removed,
            "relation_types_added": self.relation_types_added,
            "relation_types_widened": self.relation_types_widened,
            "labels_added": self.labels_added,
            "labels_missing": self.labels_missing,
            "attributes_added": self.attributes_added,
            "attribute_values_added": self.attribute_values_added,
            "older_copy": self.older is not None,
        }


@dataclass
class MergeReport:
    into: str
    sources: list[SourceReport] = field(default_factory=list)

    @property
    def changes(self) -> Changes:
        """What a window on the team project must read again: every list and layer (a merge
        brings analysts, labels and work wholesale)."""
        return Changes(document_list=True, everything=True)

    def summary(self) -> str:
        lines = []
        for s in self.sources:
            who = ", ".join(map(printable, s.analysts)) or "no analyst"
            if not s.added_anything:
                lines.append(
                    f"{printable(s.path)} ({who}): nothing new; "
                    f"{_n(s.documents_matched, 'document')} already there."
                )
            else:
                entries = f"{s.history_added} history entr{'y' if s.history_added == 1 else 'ies'}"
                lines.append(
                    f"{printable(s.path)} ({who}): {_n(s.documents_added, 'document')} added, "
                    f"{s.documents_matched} already there; {_n(s.spans_added, 'span')} added, "
                    f"{s.spans_removed} removed, {_n(s.notes_changed, 'note')} changed; "
                    f"{_n(s.statuses_set, 'status')} set; {entries} added."
                )
            lines.extend(_scheme_lines(s))
            if s.older is not None:
                lines.append(
                    f"  older than the work merged from it before ({s.older}); as "
                    f"--allow-older asked, its work replaced the newer ({s.undone_text()})"
                )
        if not any(s.added_anything for s in self.sources):
            lines.append(f"Nothing new was merged into {printable(self.into)}.")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"into": self.into, "sources": [s.to_json() for s in self.sources]}


def _scheme_lines(s: SourceReport) -> list[str]:
    """The report's lines on relations and on what the team project's scheme took from it."""
    lines = []
    if s.relations_added or s.relations_removed:
        lines.append(f"  relations: {s.relations_added} added, {s.relations_removed} removed")
    if s.relation_types_added:
        lines.append(f"  relation types added from it: {', '.join(s.relation_types_added)}")
    if s.relation_types_widened:
        widened = ", ".join(
            f"{t['name']} (now from {_ends(t['heads'])} to {_ends(t['children'])})"
            for t in s.relation_types_widened
        )
        lines.append(f"  relation types widened to allow its ends too: {widened}")
    if s.labels_added:
        lines.append(f"  labels added from it: {', '.join(s.labels_added)}")
    if s.attributes_added:
        lines.append(f"  label attributes added from it: {', '.join(s.attributes_added)}")
    if s.attribute_values_added:
        values = ", ".join(
            f"{name} ({' | '.join(added)})" for name, added in s.attribute_values_added.items()
        )
        lines.append(f"  attribute values added from it: {values}")
    if s.labels_missing:
        lines.append(f"  labels the team project has and it lacks: {', '.join(s.labels_missing)}")
    return lines


def _ends(labels: Sequence[str]) -> str:
    return " or ".join(labels) or "any label"
