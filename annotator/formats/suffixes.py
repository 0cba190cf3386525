"""The file suffixes the importer reads, by kind: named once, for the readers, the import's
report, the window's file dialog and the brat writer (which drops them from file names).
Imports nothing, so any module of ``formats`` may use it."""

from __future__ import annotations

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".html", ".htm"}
WEB_PAGE_SUFFIXES = {".html", ".htm"}  # read as articles (webpages/), or with raw as text
WORD_SUFFIXES = {".docx"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES | WORD_SUFFIXES
