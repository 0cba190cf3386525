"""Files to documents: plain-text articles and JSON/JSONL tasks, with every refusal explained.

A file is all-or-nothing by default: if any record in it is bad, nothing from it is written
and every bad record is listed as ``file:line: why``. With ``skip_invalid`` the good records
go in and the bad ones are listed. Line endings are normalised to ``\\n`` and imported spans
move with the text; nothing else in the text is touched.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.decoding import DecodeError, decode_bytes, is_valid_utf8, looks_binary, sniff_bom
from annotator.model import (
    ORIGINS,
    STATUSES,
    LabelError,
    LineEndings,
    SpanError,
    check_label_name,
    check_span,
    normalise_newlines,
    text_hash,
    utc_now,
)
from annotator.store import ProjectError, Store

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES

MAX_ARTICLE_BYTES = 20 * 1024 * 1024
MAX_JSON_BYTES = 200 * 1024 * 1024
MAX_JSONL_BYTES = 4 * 1024 * 1024 * 1024
MAX_RECORD_CHARS = 20 * 1024 * 1024
_TITLE_CHARS = 200
# Meta nested deeper than this is refused: no one writes it, and exporting it would need a
# deep call stack.
MAX_NESTING = 64
_BATCH = 500

Progress = Callable[[int, int], None]


@dataclass
class Refusal:
    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.reason}"
            if self.line
            else f"{self.path}: {self.reason}"
        )


@dataclass
class FileResult:
    path: str
    documents_added: int = 0
    duplicates: int = 0
    spans_added: int = 0
    records: int = 0
    refused: list[Refusal] = field(default_factory=list)
    rolled_back: bool = False
    note: str | None = None  # e.g. the encoding that was detected


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files of a type not imported
    labels_created: list[str] = field(default_factory=list)

    @property
    def documents_added(self) -> int:
        return sum(f.documents_added for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    @property
    def spans_added(self) -> int:
        return sum(f.spans_added for f in self.files)

    @property
    def refused(self) -> list[Refusal]:
        return [r for f in self.files for r in f.refused]

    @property
    def ok(self) -> bool:
        return not self.refused

    def summary(self) -> str:
        def n(count: int, noun: str) -> str:
            return f"{count} {noun}{'' if count == 1 else 's'}"

        lines = [
            f"{n(self.documents_added, 'document')} added, {n(self.duplicates, 'duplicate')} "
            f"left out, {n(self.spans_added, 'span')} added, "
            f"{n(len(self.refused), 'record')} refused."
        ]
        rolled_back = [f.path for f in self.files if f.rolled_back]
        if rolled_back:
            lines.append(
                "Nothing was imported from "
                + ", ".join(rolled_back)
                + " because of the refusals above (use --skip-invalid to import the good records)."
            )
        for f in self.files:
            if f.note:
                lines.append(f"{f.path}: {f.note}")
        if self.labels_created:
            lines.append("New labels: " + ", ".join(self.labels_created))
        if self.skipped:
            lines.append(
                f"{n(len(self.skipped), 'file')} of other types left alone "
                f"(annotator reads {', '.join(sorted(KNOWN_SUFFIXES))})."
            )
        return "\n".join(lines)


class RecordError(ValueError):
    """One bad record; the message is the reason shown after ``file:line:``."""


@dataclass
class _Record:
    line: int
    text: str
    text_hash: str
    title: str
    external_id: str | None
    meta: dict[str, Any]
    status: str
    spans: list[tuple[int, int, str, str | None, str | None, str, str | None, str | None]]


def collect_files(
    paths: Sequence[str | os.PathLike[str]],
) -> tuple[list[Path], list[str], list[Refusal]]:
    """Expand folders (recursively, skipping hidden entries) into the files to import."""
    files: list[Path] = []
    skipped: list[str] = []
    missing: list[Refusal] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    f = Path(root) / name
                    if name.startswith("."):
                        continue
                    if f.suffix.lower() in KNOWN_SUFFIXES:
                        files.append(f)
                    else:
                        skipped.append(str(f))
        elif p.is_file():
            files.append(p)
        else:
            missing.append(Refusal(str(p), None, "no such file or folder"))
    return files, skipped, missing


def import_paths(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    skip_invalid: bool = False,
    create_labels: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import files and folders into ``store``; each file in its own transaction."""
    files, skipped, missing = collect_files(paths)
    report = ImportReport(skipped=skipped)
    if missing:
        report.files.append(FileResult(path=missing[0].path, refused=missing))
    sizes = []
    for f in files:
        try:
            sizes.append(f.stat().st_size)
        except OSError:
            sizes.append(0)
    total = sum(sizes)
    done = 0
    for f, size in zip(files, sizes, strict=False):

        def file_progress(read: int, _base: int = done, _size: int = size) -> None:
            if progress:
                progress(_base + min(read, _size), total)

        report.files.append(
            _import_file(
                store, f, skip_invalid, create_labels, report.labels_created, file_progress
            )
        )
        done += size
        if progress:
            progress(done, total)
    return report


def _import_file(
    store: Store,
    path: Path,
    skip_invalid: bool,
    create_labels: bool,
    labels_created: list[str],
    progress: Callable[[int], None],
) -> FileResult:
    result = FileResult(path=str(path))
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        limit = (
            MAX_JSONL_BYTES
            if suffix in JSONL_SUFFIXES
            else MAX_JSON_BYTES
            if suffix in JSON_SUFFIXES
            else MAX_ARTICLE_BYTES
        )
        if size == 0:
            raise DecodeError("the file is empty")
        if size > limit:
            raise DecodeError(
                f"the file is {size / 1e6:.1f} MB, over the {limit / 1e6:.0f} MB limit for "
                f"{suffix or 'text'} files"
            )
        if suffix in JSONL_SUFFIXES:
            records = _jsonl_records(path, result)
        elif suffix in JSON_SUFFIXES:
            records = _json_records(path, result)
        else:
            records = _text_records(path, result)
        _write(store, path, records, result, skip_invalid, create_labels, labels_created, progress)
    except (DecodeError, OSError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        result.refused.append(Refusal(str(path), None, reason))
        result.documents_added = result.duplicates = result.spans_added = 0
    return result


# -- reading --------------------------------------------------------------------------------


def _read_text(path: Path, result: FileResult) -> str:
    data = path.read_bytes()
    decoded = decode_bytes(data)
    result.note = decoded.note
    return decoded.text


def _text_records(path: Path, result: FileResult) -> Iterator[tuple[int, int, Any]]:
    text = _read_text(path, result)
    if not text.strip():
        raise DecodeError("the file holds no text, only white space")
    title = _title(text)
    if path.suffix.lower() in {".md", ".markdown"}:
        title = title.lstrip("#").strip()
    yield (
        1,
        len(text),
        {"text": text, "title": title or _as_text(path.stem), "id": _as_text(path.name)},
    )


def _as_text(name: str) -> str:
    """A file name fit to store: bytes that are not UTF-8, which Python keeps in a name as lone
    surrogates, become U+FFFD instead of making the name unstorable."""
    return os.fsencode(name).decode("utf-8", "replace")


def _jsonl_lines(path: Path, result: FileResult) -> Iterator[tuple[int, int, str]]:
    """(line number, bytes read so far, line) split on "\\n" only: U+2028 and form feeds are
    legal inside JSON strings and must not end a record."""
    with open(path, "rb") as f:
        head = f.read(8192)
    bom = sniff_bom(head[:4])
    if bom is None and looks_binary(head):
        raise DecodeError("it is a binary file, not JSON Lines text (it holds NUL bytes)")
    if bom in (None, "utf-8-sig") and is_valid_utf8(path):
        with open(path, "rb") as f:
            read = 0
            for number, raw in enumerate(f, start=1):
                read += len(raw)
                line = raw.decode("utf-8")
                if number == 1 and line.startswith("\ufeff"):
                    line = line[1:]
                yield number, read, line
        return
    text = _read_text(path, result)
    read = 0
    for number, line in enumerate(text.split("\n"), start=1):
        read += len(line) + 1
        yield number, read, line


def _jsonl_records(path: Path, result: FileResult) -> Iterator[tuple[int, int, Any]]:
    any_line = False
    for number, read, line in _jsonl_lines(path, result):
        if not line.strip():
            continue
        any_line = True
        try:
            yield number, read, _loads(line)
        except RecordError as e:
            yield number, read, e
    if not any_line:
        raise DecodeError("the file holds no records, only blank lines")


def _json_records(path: Path, result: FileResult) -> Iterator[tuple[int, int, Any]]:
    text = _read_text(path, result)
    if text.startswith("\ufeff"):
        text = text[1:]
    decoder = json.JSONDecoder(strict=False, parse_constant=_no_constant)
    pos = _skip_ws(text, 0)
    if pos >= len(text):
        raise DecodeError("the file holds no JSON, only white space")
    if text[pos] != "[":
        try:
            value, end = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            value, end = None, pos
        if isinstance(value, dict):
            # A single task on its own is accepted as a list of one, but only on its own:
            # tasks one after another (JSON Lines saved as .json) must not lose all but the first.
            end = _skip_ws(text, end)
            if end < len(text):
                raise DecodeError(
                    f"line {_line_of(text, end)}: unexpected text after the task; a .json file "
                    "holds one task or a list of tasks ([...]); use .jsonl for one task per line"
                )
            yield _line_of(text, pos), len(text), value
            return
        raise DecodeError(
            f"line {_line_of(text, pos)}: a .json file must hold a list of tasks ([...]); "
            "use .jsonl for one task per line"
        )
    pos = _skip_ws(text, pos + 1)
    if pos < len(text) and text[pos] == "]":
        raise DecodeError("the file holds an empty list of tasks")
    while True:
        line = _line_of(text, pos)
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as e:
            raise DecodeError(
                f"line {e.lineno}: not valid JSON ({e.msg}); nothing can be read after it"
            ) from None
        except RecursionError:
            raise DecodeError(f"line {line}: JSON nested too deeply to read") from None
        except ValueError as e:
            raise DecodeError(f"line {line}: {e}") from None
        yield line, pos, value
        pos = _skip_ws(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
            continue
        if pos < len(text) and text[pos] == "]":
            if _skip_ws(text, pos + 1) < len(text):
                raise DecodeError(f"line {_line_of(text, pos + 1)}: unexpected text after the list")
            return
        raise DecodeError(f"line {_line_of(text, pos)}: expected ',' or ']' between tasks")


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _loads(line: str) -> Any:
    try:
        return json.loads(line, strict=False, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise RecordError(f"not valid JSON ({e.msg} at column {e.colno})") from None
    except RecursionError:
        raise RecordError("JSON nested too deeply to read") from None
    except ValueError as e:
        raise RecordError(str(e)) from None


def _title(text: str) -> str:
    for line in normalise_newlines(text).split("\n"):
        line = line.strip()
        if line:
            return line[:_TITLE_CHARS]
    return ""


# -- checking -------------------------------------------------------------------------------


def _type_name(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _depth(value: Any) -> int:
    """How deeply lists and objects nest, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


def _surrogate(what: str, error: UnicodeEncodeError) -> str:
    code = ord(error.object[error.start])
    return f"{what} holds an unpaired surrogate (\\u{code:04x}), which is not text"


def _encodable(value: Any, what: str) -> None:
    """Refuse what cannot be stored as UTF-8 JSON: lone surrogates, and numbers such as 1e400
    that Python reads as infinity."""
    if value is None or isinstance(value, (bool, int)):
        return
    if isinstance(value, str):  # the common case, checked without building JSON
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:
            raise RecordError(_surrogate(what, e)) from None
        return
    if isinstance(value, (dict, list)) and not value:
        return
    if _depth(value) > MAX_NESTING:
        raise RecordError(f"{what} is nested more than {MAX_NESTING} levels deep")
    try:
        json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except UnicodeEncodeError as e:
        raise RecordError(_surrogate(what, e)) from None
    except ValueError:
        raise RecordError(f"{what} holds a number too large to store") from None
    except RecursionError:
        raise RecordError(f"{what} is nested too deeply to store") from None


def _record(
    value: Any, line: int, labels: set[str], create_labels: bool, new_labels: set[str]
) -> _Record:
    """Check one task and normalise it; raises RecordError with the first reason found."""
    if isinstance(value, RecordError):
        raise value
    if not isinstance(value, dict):
        raise RecordError(f"a task must be a JSON object, not {_type_name(value)}")
    if "text" not in value:
        raise RecordError('no "text" field')
    raw_text = value["text"]
    if not isinstance(raw_text, str):
        raise RecordError(f'"text" must be a string, not {_type_name(raw_text)}')
    if not raw_text.strip():
        raise RecordError('"text" is empty')
    if len(raw_text) > MAX_RECORD_CHARS:
        raise RecordError(f'"text" is longer than {MAX_RECORD_CHARS:,} characters')
    try:
        encoded = raw_text.encode("utf-8")  # cheaper than _encodable, and hashed below
    except UnicodeEncodeError as e:
        raise RecordError(_surrogate('"text"', e)) from None

    title = value.get("title")
    if title is not None and not isinstance(title, str):
        raise RecordError(f'"title" must be a string, not {_type_name(title)}')
    external = value.get("id")
    if external is not None:
        if isinstance(external, bool) or not isinstance(external, (str, int)):
            raise RecordError(
                f'"id" must be a string or a whole number, not {_type_name(external)}'
            )
        external = str(external)
        _encodable(external, '"id"')
    meta = value.get("meta", {})
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise RecordError(f'"meta" must be an object, not {_type_name(meta)}')
    _encodable(meta, '"meta"')
    if title is not None:
        _encodable(title, '"title"')
    status = value.get("status", "new")
    if status not in STATUSES:
        raise RecordError(f'"status" must be one of {", ".join(STATUSES)}, not {status!r}')

    endings = LineEndings(raw_text)
    text = endings.text
    digest = text_hash(encoded if text is raw_text else text)
    spans = []
    seen = set()
    mine: set[str] = set()  # labels this record would add; kept only if the record is good
    for where, start, end, label, extra in _raw_spans(value):
        if isinstance(label, str) and label not in labels:
            if create_labels and label.strip() and label == label.strip():
                _check_new_label(label, where, labels | new_labels | mine)
                mine.add(label)
            else:
                raise RecordError(
                    f"{where}: unknown label {label!r} (this project has: {', '.join(sorted(labels))})"
                )
        if not isinstance(label, str):
            raise RecordError(f"{where}: the label must be a string, not {_type_name(label)}")
        try:
            check_span(raw_text, start, end, extra.get("text"))
        except SpanError as e:
            raise RecordError(
                f"{where}: {e}{_utf16_hint(raw_text, start, end, extra.get('text'))}"
            ) from None
        note = extra.get("note")
        if note is not None and not isinstance(note, str):
            raise RecordError(f"{where}: the note must be a string, not {_type_name(note)}")
        annotator = extra.get("annotator")
        if annotator is not None and not isinstance(annotator, str):
            raise RecordError(f"{where}: the annotator must be a string")
        origin = extra.get("origin") or "imported"
        if origin not in ORIGINS:
            raise RecordError(f"{where}: origin must be one of {', '.join(ORIGINS)}")
        created = extra.get("created_at") if isinstance(extra.get("created_at"), str) else None
        for part in (note, annotator, created):
            _encodable(part, where)
        new_start, new_end = endings.start(start), endings.end(end)
        # The same span twice is imported once, but two annotators' identical spans are both kept.
        key = (new_start, new_end, label, annotator)
        if key in seen:
            continue
        seen.add(key)
        spans.append((new_start, new_end, label, note, annotator, origin, created, None))
    new_labels |= mine
    return _Record(
        line=line,
        text=text,
        text_hash=digest,
        title=(title if title and title.strip() else _title(text))[:_TITLE_CHARS]
        or f"record {line}",
        external_id=external,
        meta=meta,
        status=status,
        spans=spans,
    )


def _check_new_label(label: str, where: str, known: set[str]) -> None:
    """Refuse a label ``--create-labels`` could not add, before anything is written."""
    try:
        check_label_name(label)
    except LabelError as e:
        raise RecordError(f"{where}: {e}") from None
    _encodable(label, f"{where}: the label")
    for other in known:
        if other != label and other.casefold() == label.casefold():
            raise RecordError(f"{where}: label {label!r} differs from {other!r} only in case")


def _raw_spans(value: dict[str, Any]) -> Iterator[tuple[str, Any, Any, Any, dict[str, Any]]]:
    """Spans in the Prodigy/native form, the doccano form and doccano's entity form."""
    spans = value.get("spans")
    if spans is not None:
        if not isinstance(spans, list):
            raise RecordError(f'"spans" must be a list, not {_type_name(spans)}')
        for i, s in enumerate(spans):
            where = f"spans[{i}]"
            if not isinstance(s, dict):
                raise RecordError(f"{where}: a span must be an object with start, end and label")
            for key in ("start", "end", "label"):
                if key not in s:
                    raise RecordError(f'{where}: no "{key}"')
            yield where, s["start"], s["end"], s["label"], s
    labels = value.get("label")
    if labels is not None:
        if not isinstance(labels, list):
            raise RecordError(
                f'"label" must be a list of [start, end, label], not {_type_name(labels)}'
            )
        for i, s in enumerate(labels):
            where = f"label[{i}]"
            if not isinstance(s, list) or len(s) != 3:
                raise RecordError(
                    f'{where}: expected [start, end, "label"], got {json.dumps(s, ensure_ascii=False)[:60]}'
                    " (labels for the whole text are not spans)"
                )
            yield where, s[0], s[1], s[2], {}
    entities = value.get("entities")
    if entities is not None:
        if not isinstance(entities, list):
            raise RecordError(f'"entities" must be a list, not {_type_name(entities)}')
        for i, s in enumerate(entities):
            where = f"entities[{i}]"
            if not isinstance(s, dict) or not {"start_offset", "end_offset", "label"} <= s.keys():
                raise RecordError(f"{where}: expected start_offset, end_offset and label")
            yield where, s["start_offset"], s["end_offset"], s["label"], {}


def _utf16_hint(text: str, start: Any, end: Any, span_text: Any) -> str:
    """Say so when offsets only make sense as UTF-16 units (doccano and browsers count those)."""
    if not isinstance(start, int) or not isinstance(end, int) or not isinstance(span_text, str):
        return ""
    encoded = text.encode("utf-16-le", "surrogatepass")
    piece = encoded[2 * start : 2 * end].decode("utf-16-le", "ignore") if 0 <= start < end else ""
    if piece == span_text:
        return "; these offsets count UTF-16 units, but annotator counts characters (code points)"
    return ""


# -- writing --------------------------------------------------------------------------------


def _write(
    store: Store,
    path: Path,
    records: Iterator[tuple[int, int, Any]],
    result: FileResult,
    skip_invalid: bool,
    create_labels: bool,
    labels_created: list[str],
    progress: Callable[[int], None],
) -> None:
    label_ids = store.label_ids()
    new_labels: set[str] = set()
    source = str(path)
    stored_source = _as_text(source)
    now = utc_now()
    pending_spans: list[tuple[Any, ...]] = []
    added_labels: list[str] = []
    try:
        with store.transaction():
            for number, read, value in records:
                result.records += 1
                try:
                    record = _record(value, number, set(label_ids), create_labels, new_labels)
                except RecordError as e:
                    result.refused.append(Refusal(source, number, str(e)))
                    continue
                if result.refused and not skip_invalid:
                    continue  # keep checking, so every bad record is listed
                for name in sorted(new_labels - label_ids.keys()):
                    label_ids[name] = store.add_label(name).id  # type: ignore[assignment]
                    added_labels.append(name)
                document_id = store.insert_document(
                    text=record.text,
                    text_hash=record.text_hash,
                    title=record.title,
                    meta=record.meta,
                    external_id=record.external_id,
                    source=stored_source,
                    status=record.status,
                    span_count=len(record.spans),
                )
                if document_id is None:
                    result.duplicates += 1
                    continue
                result.documents_added += 1
                for start, end, label, note, annotator, origin, created, _ in record.spans:
                    pending_spans.append(
                        (
                            document_id,
                            start,
                            end,
                            label_ids[label],
                            record.text[start:end],
                            annotator or store.annotator,
                            note,
                            origin,
                            created or now,
                            now,
                        )
                    )
                if len(pending_spans) >= _BATCH:
                    result.spans_added += store.insert_spans(pending_spans)
                    pending_spans.clear()
                progress(read)
            if result.refused and not skip_invalid:
                raise _RollBack
            if pending_spans:
                result.spans_added += store.insert_spans(pending_spans)
            if result.documents_added:
                store.record_change(
                    "import",
                    source=stored_source,
                    documents=result.documents_added,
                    spans=result.spans_added,
                    duplicates=result.duplicates,
                    refused=len(result.refused),
                )
    except _RollBack:
        result.rolled_back = True
        result.documents_added = result.duplicates = result.spans_added = 0
        return
    labels_created.extend(added_labels)


class _RollBack(Exception):
    """Raised inside the file's transaction to undo it after its records were all checked."""


__all__ = ["FileResult", "ImportReport", "Refusal", "import_paths", "ProjectError"]
