"""What a training tells the analysts: per label, the held-out figures and the learning
curve, as a table to read and as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.printable import printable
from annotator.suggest.learned.figures import Tally, shown
from annotator.suggest.learned.model import DEFAULT_MIN_SCORE as THRESHOLD


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
    too_few: dict[str, int]  # label -> spans it has (``needed`` are)
    needed: int
    library: str
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
            lines += ["", f"Too few examples to learn: {counts} ({self.needed} spans are needed)."]
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
            "library": self.library,
            "library_version": self.library_version,
            "threshold": THRESHOLD,
            "labels": {name: f.to_json() for name, f in self.labels.items()},
            "too_few": {
                name: {"spans": n, "needed": self.needed} for name, n in self.too_few.items()
            },
            "seconds": round(self.seconds, 2),
        }
