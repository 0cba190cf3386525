"""What an import tells its user: each refusal with the file and line it names, each file's
counts, and the summary the command line prints and the window's import report shows.

Kept apart from reading and writing records, which fill these in as they go.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.changes import Changes
from annotator.formats.label_studio_results import LABEL_STUDIO_PREDICTION_ID
from annotator.formats.suffixes import KNOWN_SUFFIXES
from annotator.printable import printable

_WHY_PASSED_OVER = {
    LABEL_STUDIO_PREDICTION_ID: (
        " (Label Studio's JSON export lists predictions by id, without their spans; "
        "its snapshot export holds them whole)"
    ),
}


@dataclass
class Refusal:
    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        name = printable(self.path)
        return f"{name}:{self.line}: {self.reason}" if self.line else f"{name}: {self.reason}"


@dataclass
class FileResult:
    path: str
    documents_added: int = 0
    duplicates: int = 0
    spans_added: int = 0
    relations_added: int = 0
    # Captions of web pages and Word files, proposed as caption suggestions.
    captions_suggested: int = 0
    # Of the duplicates: spans they brought that the stored document lacked (added to it),
    # and spans it already had (left out).
    spans_added_to_duplicates: int = 0
    spans_already_there: int = 0
    passed_over: dict[str, int] = field(default_factory=dict)  # what was not imported, why
    records: int = 0
    refused: list[Refusal] = field(default_factory=list)
    rolled_back: bool = False
    note: str | None = None  # e.g. the encoding that was detected
    # Lines a page leaves in a scraped text ("Read more: ..."), left out of it (``clean``).
    debris_lines: int = 0
    # Documents already stored that this file gave spans or statuses (their views re-read them).
    touched: set[int] = field(default_factory=set)


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files of a type not imported
    empty_folders: list[str] = field(default_factory=list)  # folders with nothing to import
    labels_created: list[str] = field(default_factory=list)

    @property
    def changes(self) -> Changes:
        """What the import changed, for a window to show: documents added (the list is read
        again) and stored documents given spans or statuses (read again where shown)."""
        touched = set().union(*(f.touched for f in self.files))
        return Changes(document_list=bool(self.documents_added or touched), reread=touched)

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
    def spans_added_to_duplicates(self) -> int:
        return sum(f.spans_added_to_duplicates for f in self.files)

    @property
    def spans_already_there(self) -> int:
        return sum(f.spans_already_there for f in self.files)

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
        if self.spans_added_to_duplicates or self.spans_already_there:
            lines.append(
                f"The duplicates' text was already in the project: "
                f"{n(self.spans_added_to_duplicates, 'new span')} from them "
                f"{'was' if self.spans_added_to_duplicates == 1 else 'were'} added to the stored "
                f"document, {n(self.spans_already_there, 'span')} it already had left out."
            )
        rolled_back = [printable(f.path) for f in self.files if f.rolled_back]
        if rolled_back:
            lines.append(
                "Nothing was imported from "
                + ", ".join(rolled_back)
                + " because of the refusals above (use --skip-invalid to import the good records)."
            )
        for f in self.files:
            if f.note:
                lines.append(f"{printable(f.path)}: {f.note}")
            for what, count in f.passed_over.items():
                why = _WHY_PASSED_OVER.get(what, "")
                lines.append(f"{printable(f.path)}: {n(count, what)} passed over{why}")
        debris = sum(f.debris_lines for f in self.files if not f.rolled_back)
        if debris:
            lines.append(
                f"{n(debris, 'line')} of page debris left out of the text "
                "(“Read more”, “Don't miss”, share, related and newsletter lines)."
            )
        captions = sum(f.captions_suggested for f in self.files)
        if captions:
            lines.append(
                f"{n(captions, 'image caption')} proposed as caption suggestions "
                "(accept them with Enter in the window, or reject them)."
            )
        if self.labels_created:
            lines.append("New labels: " + ", ".join(self.labels_created))
        for folder in self.empty_folders:
            lines.append(f"{printable(folder)}: the folder holds no files annotator reads")
        if self.skipped:
            lines.append(
                f"{n(len(self.skipped), 'file')} of other types left alone "
                f"(annotator reads {', '.join(sorted(KNOWN_SUFFIXES))})."
            )
        return "\n".join(lines)
