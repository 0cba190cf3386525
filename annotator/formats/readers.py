"""Reading files into raw records, with the line each one starts on.

A record is a JSON value (a task, or anything a file holds where a task should be) or a
``RecordError`` for a line that is not JSON; whole-file problems raise ``DecodeError``. JSON
Lines are split on "\\n" only: U+2028 and form feeds are legal inside JSON strings.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from annotator.formats.decoding import (
    DecodeError,
    bad_utf8_reason,
    decode_bytes,
    file_utf8_damage,
    looks_binary,
    sniff_bom,
)
from annotator.formats.records import (
    DuplicateKey,
    RecordError,
    loads,
    no_constant,
    title_of,
    unique_keys,
)
from annotator.formats.suffixes import (
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    WEB_PAGE_SUFFIXES,
    WORD_SUFFIXES,
)
from annotator.formats.webpages.captions import credit_line
from annotator.formats.webpages.paragraphs import without_debris
from annotator.printable import as_text
from annotator.store.project_file import kind_of_file

MAX_ARTICLE_BYTES = 20 * 1024 * 1024
MAX_WORD_BYTES = 100 * 1024 * 1024  # pictures make a .docx far larger than its text
MAX_JSON_BYTES = 200 * 1024 * 1024
MAX_JSONL_BYTES = 4 * 1024 * 1024 * 1024

Records = Iterator[tuple[int, int, Any]]  # (line, bytes read so far, value or RecordError)


class _Notes(Protocol):
    note: str | None  # where a reader says what it had to infer (the encoding)


class _CleanNotes(_Notes, Protocol):
    debris_lines: int  # lines left out of a scraped text (``clean``)


#: ``caption_line(line)``: whether a line of text is a picture's caption.
CaptionLine = Callable[[str], bool]


class ReadAgain(Exception):
    """A JSON Lines file read as UTF-8 turned out not to be UTF-8 at all: the caller undoes
    what it did with the records so far and reads the file again with ``utf8=False``.

    Reading on the guess that a file is UTF-8 (nearly always true) spares a whole pass over
    the file to check it first.
    """


def read_records(
    path: Path,
    result: _CleanNotes,
    *,
    utf8: bool = True,
    raw: bool = False,
    clean: bool = False,
    caption_line: CaptionLine | None = None,
) -> Records:
    """The file's records, after refusing an empty or oversized file by its size alone.

    ``utf8=False`` skips the first guess that a JSON Lines file is UTF-8 (see ReadAgain).
    ``raw`` reads a web page as the characters it holds, markup and all, not as an article.
    ``clean`` leaves out of a text file's article the lines a page leaves in a scraped text
    ("Read more: ...", share and newsletter lines). A text file's title is never a line that
    is a picture's caption (by its credit, or by ``caption_line``: the captions suggester's).
    """
    suffix = path.suffix.lower()
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise DecodeError(
            f"it is {kind_of_file(info.st_mode)}, not a regular file; annotator imports files"
        )
    size = info.st_size
    limit = (
        MAX_JSONL_BYTES
        if suffix in JSONL_SUFFIXES
        else MAX_JSON_BYTES
        if suffix in JSON_SUFFIXES
        else MAX_WORD_BYTES
        if suffix in WORD_SUFFIXES
        else MAX_ARTICLE_BYTES
    )
    if size == 0:
        raise DecodeError("the file is empty")
    if size > limit:
        raise DecodeError(
            f"the file is {size / 1e6:.1f} MB, over the {limit / 1e6:.0f} MB limit for "
            f"{suffix or 'text'} files"
        )
    if (brat := _brat_annotations(path)) is not None:
        from annotator.formats.brat.reading import read_brat

        return read_brat(path, brat, result)
    if suffix in JSONL_SUFFIXES:
        return _jsonl_records(path, result, utf8)
    if suffix in JSON_SUFFIXES:
        return _json_records(path, result)
    if suffix in WORD_SUFFIXES:
        return _word_records(path)
    if suffix in WEB_PAGE_SUFFIXES and not raw:
        return _web_page_records(path, result)
    if suffix in WEB_PAGE_SUFFIXES:  # raw: the characters as they are
        return _text_records(path, result)
    return _text_records(path, result, clean=clean, caption_line=caption_line)


def _brat_annotations(path: Path) -> Path | None:
    """The brat ``.ann`` beside a ``.txt`` of the same name: the two are one document."""
    if path.suffix.lower() != ".txt":
        return None
    ann = path.with_suffix(".ann")
    return ann if ann.is_file() else None


def _read_text(path: Path, result: _Notes) -> str:
    data = path.read_bytes()
    decoded = decode_bytes(data)
    result.note = decoded.note
    return decoded.text


def _text_records(
    path: Path,
    result: _CleanNotes,
    *,
    clean: bool = False,
    caption_line: CaptionLine | None = None,
) -> Records:
    text = _read_text(path, result)
    if not text.strip():
        raise DecodeError("the file holds no text, only white space")
    if clean:
        text, result.debris_lines = without_debris(text)
        if not text.strip():
            raise DecodeError("the file holds nothing but lines a page leaves around an article")

    def a_caption(line: str) -> bool:
        return credit_line(line) or bool(caption_line and caption_line(line))

    title = title_of(text, a_caption)
    if path.suffix.lower() in {".md", ".markdown"}:
        title = title.lstrip("#").strip()
    yield (
        1,
        len(text),
        {"text": text, "title": title or as_text(path.stem), "id": as_text(path.name)},
    )


def _web_page_records(path: Path, result: _Notes) -> Records:
    """A saved web page as one article: its main text and captions (see webpages/)."""
    from annotator.formats.webpages.charset import decode_page
    from annotator.formats.webpages.reading import article_from_html

    data = path.read_bytes()
    decoded = decode_page(data)
    result.note = decoded.note
    yield 1, len(data), article_from_html(decoded.text, as_text(path.name))


def _word_records(path: Path) -> Records:
    """A Word document as one article (see wordfiles.py); binary, so never read as text."""
    from annotator.formats.wordfiles import article_from_docx

    yield 1, path.stat().st_size, article_from_docx(path, as_text(path.name))


def _jsonl_lines(
    path: Path, result: _Notes, utf8: bool
) -> Iterator[tuple[int, int, str | RecordError]]:
    """(line number, bytes read so far, line) split on "\\n" only: U+2028 and form feeds are
    legal inside JSON strings and must not end a record.

    A file written as UTF-8 with a few bad bytes is read as UTF-8: each line holding a bad
    byte is refused on its own, and the rest are read as they are.
    """
    with open(path, "rb") as f:
        head = f.read(8192)
    bom = sniff_bom(head[:4])
    if bom is None and looks_binary(head):
        raise DecodeError("it is a binary file, not JSON Lines text (it holds NUL bytes)")
    if bom in (None, "utf-8-sig") and utf8:
        read = 0
        mostly_utf8: bool | None = None
        for number, (raw, size) in enumerate(_raw_lines(path), start=1):
            try:
                line: str | RecordError = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                if mostly_utf8 is None:
                    mostly_utf8 = file_utf8_damage(path).mostly_utf8
                if not mostly_utf8:
                    raise ReadAgain from None
                line = RecordError(bad_utf8_reason(e, read))
            read += size
            if isinstance(line, str) and line.startswith("\ufeff"):
                line = line[1:]  # a byte-order mark: files joined with `cat` carry several
            yield number, read, line
        return
    text = _read_text(path, result)
    read = 0
    for number, line_text in enumerate(text.split("\n"), start=1):
        read += len(line_text) + 1
        yield number, read, line_text


def _raw_lines(path: Path, block: int = 1 << 20) -> Iterator[tuple[bytes, int]]:
    """The file's lines without their "\\n", and each one's size in the file with it, read a
    block at a time (splitting a block in one call is cheaper than asking for each line)."""
    with open(path, "rb") as f:
        rest = b""
        while chunk := f.read(block):
            lines = (rest + chunk).split(b"\n") if rest else chunk.split(b"\n")
            rest = lines.pop()
            for raw in lines:
                yield raw, len(raw) + 1
        if rest:
            yield rest, len(rest)


def _jsonl_records(path: Path, result: _Notes, utf8: bool) -> Records:
    any_line = False
    for number, read, line in _jsonl_lines(path, result, utf8):
        if isinstance(line, RecordError):
            any_line = True
            yield number, read, line
            continue
        if not line.strip():
            continue
        any_line = True
        try:
            yield number, read, loads(line)
        except RecordError as e:
            yield number, read, e
    if not any_line:
        raise DecodeError("the file holds no records, only blank lines")


def _json_records(path: Path, result: _Notes) -> Records:
    text = _read_text(path, result)
    if text.startswith("\ufeff"):
        text = text[1:]
    decoder = json.JSONDecoder(
        strict=False, parse_constant=no_constant, object_pairs_hook=unique_keys
    )
    lenient = json.JSONDecoder(strict=False, parse_constant=no_constant)
    pos = _skip_ws(text, 0)
    if pos >= len(text):
        raise DecodeError("the file holds no JSON, only white space")
    if text[pos] != "[":
        try:
            value, end = decoder.raw_decode(text, pos)
        except DuplicateKey as e:
            raise DecodeError(str(e), _line_of(text, pos)) from None
        except (ValueError, RecursionError):
            value, end = None, pos
        if isinstance(value, dict):
            # A single task on its own is accepted as a list of one, but only on its own:
            # tasks one after another (JSON Lines saved as .json) must not lose all but the first.
            end = _skip_ws(text, end)
            if end < len(text):
                raise DecodeError(
                    "unexpected text after the task; a .json file holds one task or a list of "
                    "tasks ([...]); use .jsonl for one task per line",
                    _line_of(text, end),
                )
            yield _line_of(text, pos), len(text), value
            return
        raise DecodeError(
            "a .json file must hold a list of tasks ([...]); use .jsonl for one task per line",
            _line_of(text, pos),
        )
    pos = _skip_ws(text, pos + 1)
    if pos < len(text) and text[pos] == "]":
        raise DecodeError("the file holds an empty list of tasks")
    while True:
        line = _line_of(text, pos)
        try:
            value, pos = decoder.raw_decode(text, pos)
        except DuplicateKey as e:
            # The record is refused on its own; read past it to go on with the rest.
            value, pos = RecordError(str(e)), lenient.raw_decode(text, pos)[1]
        except json.JSONDecodeError as e:
            raise DecodeError(
                f"not valid JSON ({e.msg} at column {e.colno}); nothing after it can be read",
                e.lineno,
            ) from None
        except RecursionError:
            raise DecodeError("JSON nested too deeply to read", line) from None
        except ValueError as e:
            raise DecodeError(str(e), line) from None
        yield line, pos, value
        pos = _skip_ws(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
            continue
        if pos < len(text) and text[pos] == "]":
            if _skip_ws(text, pos + 1) < len(text):
                raise DecodeError("unexpected text after the list", _line_of(text, pos + 1))
            return
        raise DecodeError("expected ',' or ']' between tasks", _line_of(text, pos))


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1
