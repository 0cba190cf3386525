"""The export formats annotator writes, named once for the command line, the window and
``exporting.export``.

This module imports nothing, so that ``annotator --help`` and the CLI's option choices cost
nothing. Each writer lives in its own module, imported only when its format is asked for (so
spaCy or pyarrow are loaded only by an export that needs them).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str
    #: "module:function" of the writer; see ``exporting.Writer``.
    writer: str
    #: What a new export in a folder is called after (".jsonl"; "" for a folder of files).
    suffix: str
    #: Offered for standard output (text formats only).
    streams: bool
    #: One line for the command line's help and the Export dialog.
    summary: str
    #: The statuses of the documents it takes when none are asked for (None: every one).
    #: A format read by other tools takes the documents marked done: to a trainer, Prodigy
    #: or a table of results, a document nobody finished reads as reviewed, its missing
    #: spans as "nothing here". annotator's own format is the backup, and takes them all.
    default_statuses: tuple[str, ...] | None = ("done",)


#: The ``--status`` that takes every document, whatever its status.
ANY_STATUS = "any"


FORMATS_BY_NAME: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "annotator",
            "annotator.formats.jsonl:write_jsonl",
            ".jsonl",
            True,
            "lossless JSONL: spans with ids, attributes, relations and statuses",
            default_statuses=None,
        ),
        Format(
            "prodigy",
            "annotator.formats.jsonl:write_jsonl",
            ".jsonl",
            True,
            "Prodigy's JSONL (spans; tokens and relations where there are relations)",
        ),
        Format(
            "doccano",
            "annotator.formats.jsonl:write_jsonl",
            ".jsonl",
            True,
            "doccano's sequence-labelling JSONL (entities and relations form with relations)",
        ),
        Format(
            "label-studio",
            "annotator.formats.label_studio:write_label_studio",
            ".json",
            True,
            "Label Studio's JSON tasks (an annotation per analyst, relations), config beside",
        ),
        Format(
            "spacy",
            "annotator.formats.spacy_docbin:write_docbin",
            ".spacy",
            False,
            "spaCy DocBin: spans in a span group, relations and notes in user data",
        ),
        Format(
            "csv",
            "annotator.formats.tables:write_csv",
            ".csv",
            True,
            "CSV, one row per span, for spreadsheets",
        ),
        Format(
            "parquet",
            "annotator.formats.tables:write_parquet",
            ".parquet",
            False,
            "Parquet, one row per document with its spans and relations as lists",
        ),
        Format(
            "brat",
            "annotator.formats.brat.writing:write_brat",
            "",
            False,
            "a brat folder: a .txt and .ann per document, annotation.conf and visual.conf",
        ),
    )
}

FORMATS: tuple[str, ...] = tuple(FORMATS_BY_NAME)


def default_statuses(fmt: str, curated: bool = False) -> tuple[str, ...] | None:
    """The statuses an export takes when none are asked for: the format's own (the documents
    marked done, or every one for annotator's lossless backup); every document of the
    curated layer, since a document a curator settled has been reviewed, whatever each
    analyst's status."""
    if curated or fmt not in FORMATS_BY_NAME:
        return None
    return FORMATS_BY_NAME[fmt].default_statuses
