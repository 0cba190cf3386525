"""Reading a brat folder: each ``.txt`` with the ``.ann`` of the same name is one document.

The record built is in the form of annotator's own export, so every check an import makes
applies to it (labels, relation types, attributes). What ``annotator.formats.brat.writing`` wrote beyond brat's
fields comes back: the analyst, free-text attributes and suggestions from the AnnotatorNotes,
names brat could not hold from annotation.conf, spans cut at line breaks joined again.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from annotator.formats.brat.writing import STANDS_FOR, fragment_text, parse_note
from annotator.formats.decoding import DecodeError, bad_utf8_reason, decode_bytes
from annotator.formats.records import RecordError, title_of
from annotator.printable import as_text, printable

#: A file the importer passes over because it is read with its ``.txt`` (see ``brat_role``).
PART = "part of a brat folder"


class AnnLineError(RecordError):
    """A bad line of an ``.ann`` file; it names that file rather than the ``.txt`` read with it."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = str(path)


def brat_role(path: Path) -> str | None:
    """What a file of a suffix the importer does not read is to brat: ``PART`` (an ``.ann``
    read with its ``.txt``, or a ``.conf`` of a brat folder), a reason it cannot be read (an
    ``.ann`` with no ``.txt``), or None (no part of brat)."""
    suffix = path.suffix.lower()
    if suffix == ".ann":
        if path.with_suffix(".txt").is_file():
            return PART
        return f"no {as_text(path.stem)}.txt beside it: brat keeps a document's text in a .txt of the same name"
    if suffix == ".conf":
        folder = path.parent
        if (folder / "annotation.conf").is_file() or next(folder.glob("*.ann"), None):
            return PART
    return None


def _written_names(folder: Path) -> dict[str, str]:
    """The names an annotator export had to change for brat, read from its annotation.conf."""
    try:
        lines = (folder / "annotation.conf").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    out = {}
    for line in lines:
        m = STANDS_FOR.match(line)
        if m:
            with contextlib.suppress(ValueError):
                name = json.loads(m.group(2))
                if isinstance(name, str):
                    out[m.group(1)] = name
    return out


@dataclass
class _Entity:
    label: str
    pieces: list[tuple[int, int]]
    items: list[tuple[str, str]] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


_UNREAD = {
    "E": "brat events (E lines) have no place in annotator",
    "N": "brat normalisations (N lines) have no place in annotator",
    "*": "brat equivalences (* lines) have no place in annotator",
}


class _Notes(Protocol):
    note: str | None


def read_brat(txt: Path, ann: Path, result: _Notes) -> Iterator[tuple[int, int, Any]]:
    """One record for a ``.txt`` and its ``.ann``, in the form annotator's own export has (so
    every check of an import applies), or an ``AnnLineError`` for each bad line of the ``.ann``
    and no record: a document is imported whole or not at all."""
    data = txt.read_bytes()
    decoded = decode_bytes(data)
    result.note = decoded.note
    text = decoded.text
    if not text.strip():
        raise DecodeError("the file holds no text, only white space")
    # brat reads the .txt as plain UTF-8, so a byte-order mark is a character its offsets count.
    bom = data.startswith(codecs.BOM_UTF8)
    counted = "\ufeff" + text if bom else text
    parser = _AnnParser(ann, counted, _written_names(ann.parent))
    try:
        raw = ann.read_bytes()
    except OSError as e:
        raise DecodeError(f"{printable(ann)}: {e.strerror or e}") from None
    parser.parse(raw)
    if parser.errors:
        yield from ((line, len(data), error) for line, error in parser.errors)
        return
    record = parser.record(as_text(txt.stem), text, title_of(text), bom)
    if parser.split:
        said = (
            f"{printable(ann)}: {', '.join(parser.split)}: words lie between the fragments, "
            "so each fragment was read as a span of its own"
        )
        result.note = f"{result.note}; {said}" if result.note else said
    yield 1, len(data), record


class _AnnParser:
    def __init__(self, path: Path, text: str, names: dict[str, str]) -> None:
        self.path = path
        self.text = text
        self.names = names
        self.entities: dict[str, _Entity] = {}
        self.relations: list[tuple[str, str, str, str]] = []  # id, type, head, child
        self.relation_ids: set[str] = set()
        self.relation_notes: dict[str, list[tuple[str, str]]] = {}
        self.errors: list[tuple[int, AnnLineError]] = []
        self.later: list[tuple[int, str, list[str]]] = []  # A, M and # lines, after every T
        self.split: list[str] = []  # T ids read as one span per fragment

    def refuse(self, line: int, why: str) -> None:
        self.errors.append((line, AnnLineError(self.path, why)))

    def parse(self, raw: bytes) -> None:
        if raw.startswith(codecs.BOM_UTF8):
            raw = raw[3:]
        read = 0
        for number, line_bytes in enumerate(raw.split(b"\n"), start=1):
            size = len(line_bytes) + 1
            try:
                line = line_bytes.decode("utf-8")
            except UnicodeDecodeError as e:
                self.refuse(number, bad_utf8_reason(e, read))
                read += size
                continue
            read += size
            line = line.removesuffix("\r")
            if not line.strip():
                continue
            self.line(number, line)
        # Lines may name annotations given further down: relations once every T is known,
        # then attributes and notes, which may name relations.
        for number, kind, fields in sorted(self.later, key=lambda later: later[1] != "R"):
            if kind == "R":
                self.relation(number, fields)
            elif kind == "#":
                self.note(number, fields)
            else:
                self.attribute(number, fields)
        self.errors.sort(key=lambda error: error[0])

    def line(self, number: int, line: str) -> None:
        kind = line[0]
        fields = line.split("\t")
        if kind in _UNREAD:
            self.refuse(number, _UNREAD[kind])
        elif kind == "T":
            self.entity(number, line.split("\t", 2))
        elif kind == "R":
            self.later.append((number, "R", fields))
        elif kind in "AM":
            self.later.append((number, "A", fields))
        elif kind == "#":
            self.later.append((number, "#", line.split("\t", 2)))
        else:
            self.refuse(
                number, f"unknown line type {kind!r} (brat lines start with T, R, A, M or #)"
            )

    def entity(self, number: int, fields: list[str]) -> None:
        tid = fields[0]
        if len(fields) < 2:
            self.refuse(number, f"{tid}: expected TYPE START END after the id and a tab")
            return
        label, _, where = fields[1].partition(" ")
        pieces: list[tuple[int, int]] = []
        for part in where.split(";"):
            m = re.fullmatch(r"(\d+) (\d+)", part.strip())
            if not m:
                self.refuse(number, f"{tid}: offsets {where!r} are not START END[;START END...]")
                return
            pieces.append((int(m.group(1)), int(m.group(2))))
        length = len(self.text)
        for a, b in pieces:
            if not a < b <= length:
                why = (
                    "empty or reversed"
                    if a >= b
                    else f"past the end of the text ({length} characters)"
                )
                self.refuse(number, f"{tid}: offsets {a} {b} are {why}")
                return
        if any(b > a for (_, b), (a, _) in zip(pieces, pieces[1:], strict=False)):
            self.refuse(number, f"{tid}: fragments {where!r} overlap or are out of order")
            return
        if len(fields) > 2:
            expected = fragment_text(self.text, pieces)
            if fields[2] != expected:
                self.refuse(
                    number,
                    f"{tid}: the text {fields[2][:40]!r} is not the text at {where} "
                    f"({expected[:40]!r})",
                )
                return
        if tid in self.entities or tid in self.relation_ids:
            self.refuse(number, f"{tid} is given twice")
            return
        self.entities[tid] = _Entity(self.names.get(label, label), pieces)

    def relation(self, number: int, fields: list[str]) -> None:
        rid = fields[0]
        parts = fields[1].split(" ") if len(fields) > 1 else []
        args = [p.partition(":")[2] for p in parts[1:]]
        if len(parts) != 3 or not all(args):
            self.refuse(number, f"{rid}: expected TYPE Arg1:T.. Arg2:T.. after the id and a tab")
            return
        for arg in args:
            if arg not in self.entities:
                self.refuse(number, f"{rid}: {arg} is not the id of a T line of this file")
                return
        if rid in self.relation_ids or rid in self.entities:
            self.refuse(number, f"{rid} is given twice")
            return
        self.relation_ids.add(rid)
        self.relations.append((rid, self.names.get(parts[0], parts[0]), args[0], args[1]))

    def attribute(self, number: int, fields: list[str]) -> None:
        aid = fields[0]
        parts = fields[1].split(" ") if len(fields) > 1 else []
        if len(parts) not in (2, 3):
            self.refuse(number, f"{aid}: expected NAME T.. [VALUE] after the id and a tab")
            return
        target = self.entities.get(parts[1])
        if target is None:
            self.refuse(number, f"{aid}: {parts[1]} is not the id of a T line of this file")
            return
        name = self.names.get(parts[0], parts[0])
        # A binary brat attribute (no value) comes in as "true".
        value = self.names.get(parts[2], parts[2]) if len(parts) == 3 else "true"
        target.attributes[name] = value

    def note(self, number: int, fields: list[str]) -> None:
        nid = fields[0]
        kind, _, target = (fields[1] if len(fields) > 1 else "").partition(" ")
        if not target:
            self.refuse(number, f"{nid}: expected AnnotatorNotes T.. after the id and a tab")
            return
        text = fields[2] if len(fields) > 2 else ""
        items = parse_note(text) if kind == "AnnotatorNotes" else None
        if target in self.relation_ids:
            self.relation_notes.setdefault(target, []).extend(items or [])
            return
        entity = self.entities.get(target)
        if entity is None:
            self.refuse(number, f"{nid}: {target} is not the id of a T or R line of this file")
            return
        if items is None:
            entity.notes.append(text)
            return
        for key, value in items:
            if key == "note":
                entity.notes.append(value)
            elif key.startswith("attribute "):
                entity.attributes[key[10:].strip()] = value
            elif key == "offsets" and not self.offsets_fit(number, nid, entity, value):
                return
            else:
                entity.items.append((key, value))

    def offsets_fit(self, number: int, nid: str, entity: _Entity, value: str) -> bool:
        """The span's true ends, when they are line breaks its fragments could not hold: they
        must hold the fragments, with nothing but white space beyond."""
        m = re.fullmatch(r"(\d+) (\d+)", value)
        first, last = entity.pieces[0][0], entity.pieces[-1][1]
        if m:
            start, end = int(m.group(1)), int(m.group(2))
            if (
                start <= first
                and last <= end <= len(self.text)
                and not self.text[start:first].strip()
                and not self.text[last:end].strip()
            ):
                entity.items.append(("offsets", value))
                return True
        self.refuse(number, f"{nid}: offsets {value!r} do not hold the fragments of its span")
        return False

    def record(self, name: str, text: str, title: str, bom: bool) -> dict[str, Any]:
        shift = 1 if bom else 0
        spans: list[dict[str, Any]] = []
        pieces_of: dict[str, list[str]] = {}
        for tid, entity in self.entities.items():
            pieces = entity.pieces
            whole = all(
                not self.text[b:a].strip()
                for (_, b), (a, _) in zip(pieces, pieces[1:], strict=False)
            )
            extents = [(pieces[0][0], pieces[-1][1])] if whole else pieces
            items = dict(entity.items)
            if whole and "offsets" in items:
                first, last = items["offsets"].split()
                extents = [(int(first), int(last))]
            ids = [tid] if len(extents) == 1 else [f"{tid}.{k}" for k in range(1, len(extents) + 1)]
            if len(extents) > 1:
                self.split.append(tid)
            pieces_of[tid] = ids
            for ref, (start, end) in zip(ids, extents, strict=True):
                span: dict[str, Any] = {
                    "id": ref,
                    "start": max(0, start - shift),
                    "end": end - shift,
                    "label": entity.label,
                }
                if entity.attributes:
                    span["attributes"] = dict(entity.attributes)
                if entity.notes:
                    span["note"] = "\n".join(entity.notes)
                for key in ("annotator", "origin", "suggester"):
                    if key in items:
                        span[key] = items[key]
                if "score" in items:
                    with contextlib.suppress(ValueError):
                        span["score"] = float(items["score"])
                spans.append(span)
        relations = []
        for rid, label, head, child in self.relations:
            noted = dict(self.relation_notes.get(rid, []))
            for h in pieces_of[head]:
                for c in pieces_of[child]:
                    relation = {"head": h, "child": c, "label": label}
                    for key in ("annotator", "origin"):
                        if noted.get(key):
                            relation[key] = noted[key]
                    relations.append(relation)
        return {
            "id": name,
            "title": title or name,
            "text": text,
            "spans": spans,
            "relations": relations,
        }
