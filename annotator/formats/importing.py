"""Files to documents: plain-text articles and JSON/JSONL tasks, with every refusal explained.

A file is all-or-nothing by default: if any record in it is bad, nothing from it is written
and every bad record is listed as ``file:line: why``. With ``skip_invalid`` the good records
go in and the bad ones are listed. Line endings are normalised to ``\\n`` and imported spans
move with the text; nothing else in the text is touched.

This module finds the files and reads each one in turn; ``import_writing`` writes a file's
checked records and ``import_report`` holds what the import reports.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from annotator.formats.brat.reading import PART as BRAT_PART
from annotator.formats.brat.reading import brat_role
from annotator.formats.decoding import DecodeError
from annotator.formats.import_report import FileResult, ImportReport, Refusal
from annotator.formats.import_writing import ProposeCaptions, write_records
from annotator.formats.readers import CaptionLine, ReadAgain, read_records
from annotator.formats.suffixes import KNOWN_SUFFIXES
from annotator.store.project import ProjectError, Store
from annotator.store.project_file import kind_of_file

Progress = Callable[[int, int], None]


def collect_files(
    paths: Sequence[str | os.PathLike[str]],
) -> tuple[list[Path], list[str], list[Refusal], list[str]]:
    """Expand folders (recursively, skipping hidden entries) into the files to import.

    Returns the files, those of other types, refusals for what cannot be read, and the
    folders that held nothing to import.
    """
    files: list[Path] = []
    skipped: list[str] = []
    missing: list[Refusal] = []
    empty: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            before = len(files) + len(missing)
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    f = Path(root) / name
                    if name.startswith("."):
                        continue
                    if f.suffix.lower() not in KNOWN_SUFFIXES:
                        if (role := brat_role(f)) is None:
                            skipped.append(str(f))
                        elif role != BRAT_PART:
                            missing.append(Refusal(str(f), None, role))
                    elif (why := _not_regular(f)) is not None:
                        missing.append(Refusal(str(f), None, why))
                    else:
                        files.append(f)
            if len(files) + len(missing) == before:
                empty.append(str(p))
        elif p.is_file() and (role := brat_role(p)) is not None:
            if role != BRAT_PART:
                missing.append(Refusal(str(p), None, role))
            elif p.suffix.lower() != ".ann":
                skipped.append(str(p))  # a brat folder's .conf
            elif p.with_suffix(".txt") not in files:
                files.append(p.with_suffix(".txt"))  # the document is its .txt with this .ann
        elif p.is_file():
            if p not in files or p.suffix.lower() != ".txt":  # a brat .txt, named with its .ann
                files.append(p)
        elif (why := _not_regular(p)) is not None:
            missing.append(Refusal(str(p), None, why))
        else:
            missing.append(Refusal(str(p), None, "no such file or folder"))
    return files, skipped, missing, empty


def _not_regular(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file (it exists but is a pipe, a device...), or None.

    A named pipe is never opened: opening one waits until another program writes into it.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return f"it is {kind_of_file(mode)}, not a regular file; annotator imports files"


def import_paths(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    skip_invalid: bool = False,
    create_labels: bool = False,
    progress: Progress | None = None,
    on_wait: Callable[[float], None] | None = None,
    as_suggestions: bool = False,
    raw: bool = False,
    propose_captions: ProposeCaptions | None = None,
    clean: bool = False,
    caption_line: CaptionLine | None = None,
) -> ImportReport:
    """Import files and folders into ``store``; each file in its own transaction.

    With ``on_wait``, a file whose turn to write comes while another program is writing
    waits for it as long as it takes (another import may hold the project for minutes), and
    ``on_wait`` is told once, after a second, so the user knows why nothing moves. Without
    it, the store's usual 30-second wait applies. With ``as_suggestions`` every span a file
    brings is stored as a suggestion (origin ``suggested``; its suggester is the span's own, or
    "import <file name>"; its score the span's own ``score``). With ``raw``, a web page
    (.html, .htm) is imported as the characters it holds, not as the article in it.
    ``propose_captions`` is given the documents whose captions a web page or Word file marked
    (``meta["captions"]``), in the file's transaction, and says how many it proposed as
    suggestions (the command line and the window pass the captions suggester). With
    ``clean``, a text file (.txt, .md) loses the lines a page leaves in a scraped article
    ("Read more: ...", "Don't miss...", share and newsletter lines); without it, its text is
    kept as it is. A text file's title is its first line that is not a picture's caption (by
    its credit, or by ``caption_line``: the command line and the window pass the captions
    suggester's patterns).
    """
    files, skipped, missing, empty = collect_files(paths)
    report = ImportReport(skipped=skipped, empty_folders=empty)
    for refusal in missing:
        report.files.append(FileResult(path=refusal.path, refused=[refusal]))
    sizes = []
    for f in files:
        try:
            sizes.append(f.stat().st_size)
        except OSError:
            sizes.append(0)
    total = sum(sizes)
    done = 0
    # The importer makes every reference it writes (a span's document and label): SQLite's
    # check of each is left off while it writes, a lookup per span spared.
    with store.bulk_writes(), _patient(store, on_wait), store.references_made_here():
        for f, size in zip(files, sizes, strict=False):

            def file_progress(read: int, _base: int = done, _size: int = size) -> None:
                if progress:
                    progress(_base + min(read, _size), total)

            report.files.append(
                _import_file(
                    store,
                    f,
                    skip_invalid,
                    create_labels,
                    report.labels_created,
                    file_progress,
                    as_suggestions,
                    raw,
                    propose_captions,
                    clean,
                    caption_line,
                )
            )
            done += size
            if progress:
                progress(done, total)
    return report


@contextlib.contextmanager
def _patient(store: Store, on_wait: Callable[[float], None] | None) -> Iterator[None]:
    if on_wait is None:
        yield
        return
    before = store.patient, store.on_wait
    store.patient, store.on_wait = True, on_wait
    try:
        yield
    finally:
        store.patient, store.on_wait = before


def _import_file(
    store: Store,
    path: Path,
    skip_invalid: bool,
    create_labels: bool,
    labels_created: list[str],
    progress: Callable[[int], None],
    as_suggestions: bool = False,
    raw: bool = False,
    propose_captions: ProposeCaptions | None = None,
    clean: bool = False,
    caption_line: CaptionLine | None = None,
) -> FileResult:
    result = FileResult(path=str(path))
    try:
        # Read as UTF-8 first; a file that is not UTF-8 at all is read again in its own
        # encoding, its first reading's transaction undone (ReadAgain).
        for utf8 in (True, False):
            result = FileResult(path=str(path))
            records = read_records(
                path, result, utf8=utf8, raw=raw, clean=clean, caption_line=caption_line
            )
            try:
                write_records(
                    store,
                    path,
                    records,
                    result,
                    skip_invalid,
                    create_labels,
                    labels_created,
                    progress,
                    as_suggestions,
                    propose_captions,
                )
                break
            except ReadAgain:
                continue
    except (DecodeError, OSError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        result.refused.append(Refusal(str(path), getattr(e, "line", None), reason))
        result.documents_added = result.duplicates = result.spans_added = 0
        result.debris_lines = 0
    return result


__all__ = ["FileResult", "ImportReport", "Refusal", "import_paths", "ProjectError"]
