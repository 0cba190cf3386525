"""A Word document (.docx) made into an article, read with python-docx.

Each non-empty paragraph of the body becomes a paragraph of the text, separated by a blank
line ("\\n\\n", as in the sample articles and a web page's import); a line break inside a
paragraph stays "\\n". A table gives each cell's paragraphs in reading order (row by row, a
merged cell once), and a text box (where Word puts the caption of a floating picture) gives
its paragraphs after the paragraph it is anchored in. Paragraphs in the Caption style (or a
style based on it) are the document's image captions: ``meta["captions"]`` lists their
``[start, end]`` offsets (code points, end exclusive), which the captions suggester proposes.
Headers, footers, footnotes, comments and deleted tracked changes are left out; list numbers,
which Word draws rather than stores as text, are not in the text either.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import Any

from annotator.decoding import DecodeError

NOT_DOCX = (
    "it is not a Word document (.docx): a .docx file is a zip package, and this one is not "
    "one, or is damaged (an older .doc file must be saved as .docx first)"
)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Runs whose text is not part of the paragraph as it reads now.
_NOT_READ = {f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent", _MC_FALLBACK}
_STYLE_DEPTH = 10  # how far a "based on" chain is followed


def article_from_docx(path: Path, source_name: str) -> dict[str, Any]:
    """A task record (``text``, ``title``, ``id``, ``meta``) for the document at ``path``.

    Raises DecodeError for a file that is not a readable .docx, or holds no text.
    """
    document = _open(path)
    paragraphs: list[tuple[str, str]] = []  # (text, "caption" | "heading" | "body")
    for paragraph in _paragraphs(document):
        text = _text(paragraph._p).strip()
        if text:
            paragraphs.append((text, _kind(paragraph)))
    if not paragraphs:
        raise DecodeError("the document holds no text")
    captions: list[list[int]] = []
    length = 0
    for i, (text, kind) in enumerate(paragraphs):
        start = length + (2 if i else 0)
        if kind == "caption":
            captions.append([start, start + len(text)])
        length = start + len(text)
    properties = document.core_properties
    title = (properties.title or "").strip() or next(
        (text for text, kind in paragraphs if kind == "heading"), paragraphs[0][0]
    )
    created = properties.created
    meta: dict[str, Any] = {
        "author": (properties.author or "").strip() or None,
        "date": created.date().isoformat() if created is not None else None,
        "captions": captions,
    }
    return {
        "text": "\n\n".join(text for text, _ in paragraphs),
        "title": " ".join(title.split()) or PurePath(source_name).stem,
        "id": source_name,
        "meta": meta,
    }


#: What a .docx may unpack to. python-docx reads every part into memory, so a small file that
#: unpacks to gigabytes (damaged, or made to do that) is refused before it is opened.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024


def _open(path: Path) -> Any:
    if not zipfile.is_zipfile(path):
        raise DecodeError(NOT_DOCX)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as e:
        raise DecodeError(f"it is a damaged zip file, not a readable .docx ({e})") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise DecodeError(
            f"it unpacks to {unpacked / 1e6:.0f} MB, over the {MAX_UNPACKED_BYTES / 1e6:.0f} MB "
            "a Word document is read to; it is damaged or not an ordinary .docx"
        )
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, XMLSyntaxError, zipfile.BadZipFile) as e:
        raise DecodeError(
            f"it is a zip file but not a readable Word document (.docx): {_why(e)}"
        ) from None


def _why(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"a part it needs is missing ({error.args[0] if error.args else 'unknown'})"
    return str(error) or type(error).__name__


def _paragraphs(container: Any) -> Iterator[Any]:
    """The paragraphs of a document or table cell in reading order, tables opened cell by
    cell and text boxes after the paragraph that holds them."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            seen: set[Any] = set()  # the cells' elements, kept alive so each stays itself
            for row in block.rows:
                for cell in row.cells:
                    if cell._tc in seen:  # a merged cell is given once for each grid cell
                        continue
                    seen.add(cell._tc)
                    yield from _paragraphs(cell)
            continue
        yield block
        for box in block._p.iter(f"{_W}txbxContent"):
            if any(a.tag == _MC_FALLBACK for a in box.iterancestors()):
                continue  # the same text box again, for programs that cannot draw the first
            for p in box.iterchildren(f"{_W}p"):
                yield Paragraph(p, block._parent)


def _text(p: Any) -> str:
    """A paragraph's text as it reads: its runs, also those in hyperlinks, fields, content
    controls and inserted changes, but not deleted ones or a text box's (given apart)."""
    pieces = []
    for run in p.iter(f"{_W}r"):
        ancestor = run.getparent()
        while ancestor is not None and ancestor is not p:
            if ancestor.tag in _NOT_READ:
                break
            ancestor = ancestor.getparent()
        else:
            pieces.append(run.text)
    return "".join(pieces).replace("\r\n", "\n").replace("\r", "\n")


def _kind(paragraph: Any) -> str:
    """ "caption" for the Caption style, "heading" for Title and Heading styles, else "body"
    (a style based on one of them counts as it)."""
    style = paragraph.style
    for _ in range(_STYLE_DEPTH):
        if style is None:
            break
        name = (style.name or "").lower()
        if name == "caption" or style.style_id == "Caption":
            return "caption"
        if name == "title" or name.startswith("heading"):
            return "heading"
        style = style.base_style
    return "body"
