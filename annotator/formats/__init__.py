"""Files in and out: reading articles and tasks into the project, writing it in the forms
other tools read.

The format table (``catalog``), decoding bytes to text, reading files into records
(``readers``, by the suffixes named in ``suffixes``), checking a record (``tasks``, on what every check shares in ``records``, with
its relations in ``record_relations`` and Label Studio's results in ``label_studio_results``),
importing files (``importing``; writing their records, ``import_writing``; what an import
reports, ``import_report``) and exporting (``exporting``; how to install a library a format
needs, ``installing``); one module or package per outside
format: annotator's own, Prodigy's and doccano's JSONL (``jsonl``), Label Studio, brat, spaCy's
DocBin, CSV and Parquet tables, saved web pages with their captions, Word files. It may import
the store and the plain model; never
team work, suggestions, progress or Qt.
"""
