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


FORMATS_BY_NAME: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "annotator",
            "annotator.formats.jsonl:write_jsonl",
            ".jsonl",
            True,
            "lossless JSONL: spans with ids, attributes, relations and statuses",
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
