"""brat's standoff format, written: a folder with one ``<name>.txt`` and ``<name>.ann`` per
document, and ``annotation.conf`` and ``visual.conf`` describing the labels (reading it back
is ``annotator.formats.brat.reading``; the names, notes and fragments here serve both).

Offsets are code points of the ``.txt``, end exclusive, as brat counts them. The ``.ann`` format
is one annotation a line, so a span that crosses a line break is written as fragments cut at
each break (``T1<TAB>quote 0 5;6 10<TAB>text text``). What brat has no field for (who made a
span, free-text attributes, a suggestion's origin) goes into the span's ``AnnotatorNotes``
line as ``key: value`` items.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.destinations import partial_name, remove_stale_partials

try:  # POSIX: a lock that dies with the process holding it
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
from annotator.formats.exporting import ExportError, ExportJob, ExportReport, export_id
from annotator.formats.suffixes import TEXT_SUFFIXES, WORD_SUFFIXES
from annotator.model import Document, Label, RelationType, Span
from annotator.printable import printable

#: Every character ``str.splitlines`` ends a line at: brat reads ``.ann`` files line by line, so
#: no field may hold one.
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_PIECES = re.compile(f"[^{LINE_BREAKS}]+")
_NOT_NAME = re.compile(r"[^\w-]")
STANDS_FOR = re.compile(r"^# annotator: (\S+) stands for (\".*\")$")
_RESERVED_FILE_NAMES = {"con", "prn", "aux", "nul"} | {
    f"{p}{n}" for p in ("com", "lpt") for n in range(10)
}
_NAME_BYTES = 150
#: The suffixes a document's id may carry from the file it was imported from, and brat's own.
_ARTICLE_SUFFIXES = TEXT_SUFFIXES | WORD_SUFFIXES | {".ann"}

# -- names ------------------------------------------------------------------------------------


def brat_name(name: str) -> str:
    """``name`` as brat can hold it: a type, attribute or value is one word of letters, digits,
    ``_`` and ``-`` (brat splits its lines at spaces and its configuration at ``:|,``)."""
    safe = _NOT_NAME.sub("_", name)
    return safe if safe[:1].isalnum() or safe[:1] == "_" else f"_{safe}"


class _Names:
    """Each name of the project as written in brat, never two alike: a name brat cannot hold
    becomes ``brat_name(name)`` (with ``_2``... when that is taken), and is listed so that
    reading the folder back restores it."""

    def __init__(self, names: Iterable[str]) -> None:
        names = list(dict.fromkeys(names))
        taken = {n for n in names if brat_name(n) == n}
        self.written: dict[str, str] = {}
        for name in names:
            if name in taken:
                self.written[name] = name
                continue
            base = candidate = brat_name(name)
            n = 2
            while candidate in taken:
                candidate = f"{base}_{n}"
                n += 1
            taken.add(candidate)
            self.written[name] = candidate

    def __getitem__(self, name: str) -> str:
        return self.written.get(name) or brat_name(name)

    def renamed(self) -> list[tuple[str, str]]:
        return [(w, n) for n, w in self.written.items() if w != n]


# -- notes: what brat has no field for --------------------------------------------------------

_ESCAPES = {"\\": "\\\\", ";": "\\;", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNESCAPES = {"\\": "\\", ";": ";", ":": ":", "n": "\n", "r": "\r", "t": "\t"}
_KEYS = ("annotator", "analysts", "origin", "suggester", "score", "offsets", "note")


def _escape(text: str, also: str = "") -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch in also:
            out.append("\\" + ch)
        elif ch in LINE_BREAKS or unicodedata.category(ch) == "Cc":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        nxt = text[i + 1 : i + 2]
        if ch == "\\" and nxt in _UNESCAPES:
            out.append(_UNESCAPES[nxt])
            i += 2
        elif ch == "\\" and nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", text[i + 2 : i + 6]):
            out.append(chr(int(text[i + 2 : i + 6], 16)))
            i += 6
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _split_unescaped(text: str, sep: str, limit: int = -1) -> list[str]:
    """``text`` split at each ``sep`` not escaped by a backslash (escapes are kept)."""
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if ch == sep and limit != 0:
            parts.append("".join(current))
            current = []
            limit -= 1
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def note_text(items: list[tuple[str, str]]) -> str:
    """``annotator: ana; attribute speaker: the mayor; note: ...`` on one line: each ``;`` in
    a value is escaped as ``\\;``, a line break as ``\\n`` (brat's notes are one line)."""
    return "; ".join(f"{_escape(key, ':')}: {_escape(value)}" for key, value in items)


def parse_note(text: str) -> list[tuple[str, str]] | None:
    """The items of a note written by ``note_text``; None when ``text`` is not of that form
    (a note typed in brat), which is then the span's note as it stands."""
    items = []
    for part in _split_unescaped(text, ";"):
        pieces = _split_unescaped(part, ":", 1)
        if len(pieces) != 2:
            return None
        key = _unescape(pieces[0]).strip(" ")
        if key not in _KEYS and not (key.startswith("attribute ") and key[10:].strip()):
            return None
        value = pieces[1][1:] if pieces[1].startswith(" ") else pieces[1]
        items.append((key, _unescape(value)))
    return items


# -- writing ----------------------------------------------------------------------------------


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at each line break into the pieces brat can show, white space at the
    inner edges of each piece left out (the span's own two ends are kept exactly). Empty when the
    span holds nothing but line breaks."""
    pieces = [(m.start(), m.end()) for m in _PIECES.finditer(text, start, end)]
    trimmed = []
    for k, (a, b) in enumerate(pieces):
        if k > 0:
            while a < b and text[a].isspace():
                a += 1
        if k < len(pieces) - 1:
            while b > a and text[b - 1].isspace():
                b -= 1
        if a < b:
            trimmed.append((a, b))
    return trimmed or pieces


def fragment_text(text: str, pieces: list[tuple[int, int]]) -> str:
    """The text field of a T line: the fragments' texts joined by one space, as brat writes."""
    return " ".join(text[a:b] for a, b in pieces)


@dataclass
class _Written:
    lines: list[str] = field(default_factory=list)
    fragmented: int = 0
    left_out: int = 0


def ann_lines(
    doc: Document,
    spans: list[Span],
    labels: dict[str, Label],
    names: _Names,
    analysts_of: Callable[[Span], list[str] | None] = lambda _span: None,
) -> _Written:
    """The ``.ann`` of one document: T lines, then relations, attributes and notes (with a
    curated span's analysts, from ``analysts_of``, as a JSON list)."""
    out = _Written()
    t_ids: dict[int | None, str] = {}
    attributes: list[str] = []
    notes: list[str] = []
    for span in spans:
        pieces = fragments(doc.text, span.start, span.end)
        if not pieces:
            out.left_out += 1
            continue
        tid = f"T{len(t_ids) + 1}"
        t_ids[span.id] = tid
        if len(pieces) > 1:
            out.fragmented += 1
        where = ";".join(f"{a} {b}" for a, b in pieces)
        out.lines.append(f"{tid}\t{names[span.label]} {where}\t{fragment_text(doc.text, pieces)}")
        items: list[tuple[str, str]] = []
        if span.annotator:
            items.append(("annotator", span.annotator))
        analysts = analysts_of(span)
        if analysts is not None:
            items.append(("analysts", json.dumps(analysts, ensure_ascii=False)))
        if span.origin == "suggested":
            items.append(("origin", "suggested"))
            if span.suggester:
                items.append(("suggester", span.suggester))
            if span.score is not None:
                items.append(("score", repr(span.score)))
        declared = (
            {a["name"]: a for a in labels[span.label].attributes} if span.label in labels else {}
        )
        for name, value in span.attributes.items():
            if declared.get(name, {}).get("kind") == "choice":
                attributes.append(f"{names[name]} {tid} {names[value]}")
            else:
                items.append((f"attribute {name}", value))
        if (pieces[0][0], pieces[-1][1]) != (span.start, span.end):
            items.append(("offsets", f"{span.start} {span.end}"))
        if span.note:
            items.append(("note", span.note))
        if items:
            notes.append(f"AnnotatorNotes {tid}\t{note_text(items)}")
    heads = {s.id: s.annotator for s in spans}
    for relation in doc.relations:
        if relation.head not in t_ids or relation.child not in t_ids:
            continue
        rid = f"R{sum(1 for line in out.lines if line[0] == 'R') + 1}"
        out.lines.append(
            f"{rid}\t{names[relation.label]} Arg1:{t_ids[relation.head]} Arg2:{t_ids[relation.child]}"
        )
        items = []
        if relation.annotator and relation.annotator != heads.get(relation.head):
            items.append(("annotator", relation.annotator))
        if relation.origin == "suggested":
            items.append(("origin", "suggested"))
        if items:
            notes.append(f"AnnotatorNotes {rid}\t{note_text(items)}")
    out.lines += [f"A{i}\t{line}" for i, line in enumerate(attributes, start=1)]
    out.lines += [f"#{i}\t{line}" for i, line in enumerate(notes, start=1)]
    return out


def file_stem(name: str, taken: set[str]) -> str:
    """A document's export id as a file name: no path separators, control characters or
    leading dot, short enough for every file system, and unique among ``taken`` (compared
    without case, for file systems that ignore it). The suffix of the file a document was
    imported from (``story.txt``) is dropped, so the pair is ``story.txt`` and ``story.ann``,
    never ``story.txt.txt``."""
    safe = re.sub(r"[^\w.,@+=()\[\]-]", "_", unicodedata.normalize("NFC", name)).lstrip(".")
    safe = safe.encode("utf-8")[:_NAME_BYTES].decode("utf-8", "ignore").rstrip(". ")
    safe = _without_article_suffixes(safe) or "document"
    if safe.split(".")[0].lower() in _RESERVED_FILE_NAMES:
        safe = f"_{safe}"
    candidate, n = safe, 2
    while candidate.casefold() in taken:
        candidate = f"{safe}-{n}"
        n += 1
    taken.add(candidate.casefold())
    return candidate


def _without_article_suffixes(name: str) -> str:
    """``name`` less the suffixes of the files articles are imported from (``.txt``,
    ``.md``, ``.html``, ``.docx``...), however many it ends in."""
    while True:
        stem, dot, suffix = name.rpartition(".")
        if not dot or not stem or f".{suffix.lower()}" not in _ARTICLE_SUFFIXES:
            return name
        name = stem.rstrip(". ")


def annotation_conf(
    labels: list[Label], kinds: list[RelationType], names: _Names, project: str
) -> str:
    def args(allowed: list[str]) -> str:
        return "|".join(names[n] for n in allowed) or "<ENTITY>"

    lines = [
        f"# brat's configuration for the labels of {project}, written by annotator.",
        "# Who made each span, free-text attributes and notes are in the spans' AnnotatorNotes.",
    ]
    lines += [
        f"# annotator: {written} stands for {json.dumps(name, ensure_ascii=False)}"
        for written, name in names.renamed()
    ]
    lines += ["[entities]", *(names[lab.name] for lab in labels), "[relations]"]
    lines += [f"{names[k.name]}\tArg1:{args(k.heads)}, Arg2:{args(k.children)}" for k in kinds]
    # Spans overlap and nest in annotator; brat refuses that unless told.
    lines += [
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "[events]",
        "[attributes]",
    ]
    choices: dict[str, tuple[list[str], list[str]]] = {}
    for lab in labels:
        for spec in lab.attributes:
            if spec.get("kind") == "choice":
                on, values = choices.setdefault(spec["name"], ([], []))
                on.append(lab.name)
                values += [v for v in spec["values"] if v not in values]
            else:
                lines.append(f"# {lab.name}: {spec['name']} is free text, in AnnotatorNotes")
    lines += [
        f"{names[name]}\tArg:{args(on)}, Value:{'|'.join(names[v] for v in values)}"
        for name, (on, values) in choices.items()
    ]
    return "\n".join(lines) + "\n"


def visual_conf(labels: list[Label], kinds: list[RelationType], names: _Names) -> str:
    lines = ["[labels]"]
    lines += [f"{w} | {n}" for w, n in names.renamed()]
    lines.append("[drawing]")
    lines += [f"{names[lab.name]}\tbgColor:{lab.color}" for lab in labels]
    lines += [f"{names[k.name]}\tcolor:{k.color}" for k in kinds]
    return "\n".join(lines) + "\n"


def _write_file(path: Path, content: str) -> None:
    # newline="": the text goes out exactly as stored, so offsets count the same characters.
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(content)


def _sync_folder(folder: Path) -> None:
    """Every file written in ``folder`` on the disk before the folder takes its name.

    Linux's ``syncfs`` does it for the whole file system in one call, which for a corpus of
    thousands of files is many times faster than a ``fsync`` per file; elsewhere each file
    is synced in turn.
    """
    fd = os.open(folder, os.O_RDONLY)
    try:
        if _syncfs(fd):
            return
        for entry in os.scandir(folder):
            if entry.is_file(follow_symlinks=False):
                with open(entry.path, "rb") as f:
                    os.fsync(f.fileno())
        with contextlib.suppress(OSError):  # not every system syncs a folder
            os.fsync(fd)
    finally:
        os.close(fd)


def _syncfs(fd: int) -> bool:
    """``syncfs(fd)`` where the C library has it (Linux); False where it does not."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.syncfs
    except (OSError, AttributeError):
        return False
    if call(fd) != 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error))
    return True


def write_brat(job: ExportJob, folder: Path, report: ExportReport) -> None:
    """The export as a brat folder, which appears whole: it is built under a hidden name beside
    ``folder`` and renamed into place. A folder that exists and holds anything is refused.

    The folder being built is locked while it is written; one left by a killed export is no
    longer locked by anyone, and the next export to the same place removes it.
    """
    shown = printable(folder)
    if folder.exists() or folder.is_symlink():
        if not folder.is_dir():
            raise ExportError(f"{shown}: exists and is not a folder; a brat export is a folder")
        if any(folder.iterdir()):
            raise ExportError(
                f"{shown}: the folder is not empty; a brat export goes into a new or empty folder"
            )
        folder = Path(os.path.realpath(folder))  # through a link, the folder it names
    remove_stale_partials(folder)
    building = folder.parent / partial_name(folder)
    building.mkdir()
    lock = _lock(building)
    try:
        _write_folder(job, building, report)
        _sync_folder(building)
        if folder.is_dir():
            folder.rmdir()  # empty, as checked; renaming onto it is not portable
        os.rename(building, folder)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    finally:
        if lock is not None:
            os.close(lock)


def _lock(folder: Path) -> int | None:
    """Hold ``folder`` locked (a lock that ends with the process holding it)."""
    if fcntl is None:  # pragma: no cover - Windows
        return None
    fd = os.open(folder, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _write_folder(job: ExportJob, folder: Path, report: ExportReport) -> None:
    labels = job.store.labels.all()
    kinds = job.store.relation_types.all()
    by_name = {lab.name: lab for lab in labels}
    names = _Names(
        [lab.name for lab in labels]
        + [k.name for k in kinds]
        + [
            part
            for lab in labels
            for spec in lab.attributes
            if spec.get("kind") == "choice"
            for part in (spec["name"], *spec["values"])
        ]
    )
    taken: set[str] = set()
    fragmented = left_out = 0
    for doc, spans in job.counted(report):
        stem = file_stem(export_id(doc), taken)
        written = ann_lines(doc, spans, by_name, names, job.analysts_of)
        fragmented += written.fragmented
        left_out += written.left_out
        _write_file(folder / f"{stem}.txt", doc.text)
        _write_file(folder / f"{stem}.ann", "".join(f"{line}\n" for line in written.lines))
    project = job.store.path.stem
    _write_file(folder / "annotation.conf", annotation_conf(labels, kinds, names, project))
    _write_file(folder / "visual.conf", visual_conf(labels, kinds, names))
    if fragmented:
        report.details["written as fragments at line breaks"] = fragmented
    if left_out:
        report.details["left out (nothing but line breaks)"] = left_out
