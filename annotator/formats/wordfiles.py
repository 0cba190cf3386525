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
import zlib
from collections.abc import Collection, Iterator
from pathlib import Path, PurePath
from typing import Any

from annotator.formats.decoding import DecodeError
from annotator.printable import printable

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
    kinds = _Kinds(document)
    paragraphs: list[tuple[str, str]] = []  # (text, "caption" | "heading" | "body")
    for paragraph in _paragraphs(document):
        text = _text(paragraph._p).strip()
        if text:
            paragraphs.append((text, kinds.of(paragraph)))
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
#: How many times its packed size a part, or the whole file, may unpack to beyond its first
#: megabyte. Word's XML packs some 3 to 30 times; what packs hundreds of times is the same few
#: bytes over and over, and would cost memory out of all proportion to the file.
MAX_PACKING = 200
_PACKING_FREE = 1024 * 1024
#: XML elements and attributes in all the file's XML parts together. python-docx keeps each
#: as a node of a tree, a few hundred bytes each, so this bounds the memory reading takes (some
#: 250 MB); a book of a few hundred pages holds fewer.
MAX_XML_NODES = 1_000_000
#: How deep XML elements may nest; Word's go some 20 deep (a table in a text box in a table).
MAX_XML_DEPTH = 100
_CHUNK = 1 << 16
_UNREADABLE = "it is damaged or not an ordinary .docx"


def _open(path: Path) -> Any:
    """The document, once its sizes, packing and XML say that reading it takes memory in
    proportion to what the file holds (python-docx holds every part, and every XML part as
    a tree, in memory)."""
    if not zipfile.is_zipfile(path):
        raise DecodeError(NOT_DOCX)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_packing(archive.infolist(), path.stat().st_size)
            _check_xml(archive)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as e:
        raise DecodeError(f"it is a damaged zip file, not a readable .docx ({e})") from None
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, XMLSyntaxError, zipfile.BadZipFile) as e:
        raise DecodeError(
            f"it is a zip file but not a readable Word document (.docx): {_why(e)}"
        ) from None


def _check_packing(members: list[zipfile.ZipInfo], file_size: int) -> None:
    """Refuse a file that unpacks to too much, or to far more than it holds. The sizes are
    those the zip declares; zipfile reads no more than that of any part."""
    unpacked = sum(info.file_size for info in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise DecodeError(
            f"it unpacks to {unpacked / 1e6:.0f} MB, over the {MAX_UNPACKED_BYTES / 1e6:.0f} MB "
            f"a Word document is read to; {_UNREADABLE}"
        )
    for name, size, packed in [
        *((info.filename, info.file_size, info.compress_size) for info in members),
        (None, unpacked, file_size),
    ]:
        if size > _PACKING_FREE and size > MAX_PACKING * max(packed, 1):
            what = "it unpacks" if name is None else f"its part {printable(name)} unpacks"
            raise DecodeError(
                f"{what} to {size / 1e6:.1f} MB, {size // max(packed, 1):,} times its packed "
                f"size, and a Word document does not pack so tightly; {_UNREADABLE}"
            )


class _TooMuchXml(Exception):
    """What stops the count of a part's XML."""


class _XmlCount:
    """An lxml parser target that keeps no tree, only counts nodes and depth."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.part = ""
        self.depth = 0

    def start(self, tag: str, attrib: Any) -> None:
        self.budget -= 1 + len(attrib)
        self.depth += 1
        if self.budget < 0:
            raise _TooMuchXml(
                f"its XML parts hold more than {MAX_XML_NODES:,} elements and attributes "
                f"(counted to {self.part}), more than a Word document is read with; "
                f"{_UNREADABLE}"
            )
        if self.depth > MAX_XML_DEPTH:
            raise _TooMuchXml(
                f"its part {self.part} nests XML elements more than {MAX_XML_DEPTH} deep; "
                f"{_UNREADABLE}"
            )

    def end(self, tag: str) -> None:
        self.depth -= 1

    def close(self) -> None:
        return None


def _check_xml(archive: zipfile.ZipFile) -> None:
    """Count the elements and attributes of every XML part, and how deep they nest, streaming,
    before python-docx builds any tree: its trees cost memory by the node, and a few bytes of
    XML packed tightly can be a million nodes. A part that is not XML (a picture) stops at its
    first bytes; one that starts as XML must be XML throughout, or what follows the point
    where the count stopped would go uncounted."""
    from lxml import etree

    count = _XmlCount(MAX_XML_NODES)
    for info in archive.infolist():
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise DecodeError(
                f"its part {printable(info.filename)} is encrypted, which a Word document's "
                "parts are not (Word protects a whole file with a password otherwise); it "
                "cannot be read"
            )
        count.part, count.depth = printable(info.filename), 0
        parser = etree.XMLParser(target=count, resolve_entities=False, no_network=True)
        first = b""
        try:
            with archive.open(info) as part:
                while chunk := part.read(_CHUNK):
                    first = first or chunk
                    parser.feed(chunk)
                parser.close()
        except _TooMuchXml as e:
            raise DecodeError(str(e)) from None
        except etree.XMLSyntaxError as e:
            if _looks_like_xml(first):
                raise DecodeError(
                    f"its part {count.part} is not well-formed XML ({e}); {_UNREADABLE}"
                ) from None


def _looks_like_xml(start: bytes) -> bool:
    """Whether a part's first bytes begin XML: "<" after a byte-order mark or white space."""
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return start.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"<")


def _why(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"a part it needs is missing ({error.args[0] if error.args else 'unknown'})"
    return str(error) or type(error).__name__


def _paragraphs(container: Any) -> Iterator[Any]:
    """The paragraphs of a document or table cell in reading order, tables opened cell by
    cell and text boxes after the paragraph that holds them.

    A table is read from its XML, each cell once: python-docx's rows give a merged cell once
    for each column it spans (as many times as a file says) and look for the cell above a
    vertically merged one anew for each row."""
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for tr in block._tbl.tr_lst:
                for tc in tr.tc_lst:
                    if tc.vMerge != "continue":  # the lower part of a vertically merged cell
                        yield from _paragraphs(_Cell(tc, block))
            continue
        yield block
        for box in _within(block._p, {_MC_FALLBACK}):
            # A Fallback holds the same text box again, for programs that cannot draw the first.
            if box.tag == f"{_W}txbxContent":
                for p in box.iterchildren(f"{_W}p"):
                    yield Paragraph(p, block._parent)


def _within(element: Any, skip: Collection[str]) -> Iterator[Any]:
    """The elements inside ``element`` in document order, except those inside (or being) one
    whose tag is in ``skip``: one pass, however deep they nest."""
    stack = list(reversed(element))
    while stack:
        node = stack.pop()
        if node.tag in skip:
            continue
        yield node
        stack.extend(reversed(node))


def _text(p: Any) -> str:
    """A paragraph's text as it reads: its runs, also those in hyperlinks, fields, content
    controls and inserted changes, but not deleted ones or a text box's (given apart)."""
    pieces = [run.text for run in _within(p, _NOT_READ) if run.tag == f"{_W}r"]
    return "".join(pieces).replace("\r\n", "\n").replace("\r", "\n")


class _Kinds:
    """Each paragraph style's kind, worked out once per style. (python-docx finds a
    paragraph's style by reading the document's styles anew for each paragraph.)"""

    def __init__(self, document: Any) -> None:
        self.by_id: dict[str, Any] = {}
        self.default: Any = None  # the last default paragraph style, as Word takes it
        for style in document.styles.element.iterchildren(f"{_W}style"):
            self.by_id.setdefault(style.get(f"{_W}styleId"), style)
            if style.get(f"{_W}type") == "paragraph" and style.get(f"{_W}default") in _ON:
                self.default = style
        self.kinds: dict[str | None, str] = {}

    def of(self, paragraph: Any) -> str:
        """ "caption" for the Caption style, "heading" for Title and Heading styles, else
        "body" (a style based on one of them counts as it)."""
        style_id = paragraph._p.style
        if style_id not in self.kinds:
            style = self.by_id.get(style_id) if style_id else None
            if style is None or style.get(f"{_W}type") != "paragraph":
                style = self.default
            self.kinds[style_id] = self._kind(style)
        return self.kinds[style_id]

    def _kind(self, style: Any) -> str:
        for _ in range(_STYLE_DEPTH):
            if style is None:
                break
            name = (_value(style, "name") or "").lower()
            if name == "caption" or style.get(f"{_W}styleId") == "Caption":
                return "caption"
            if name == "title" or name.startswith("heading"):
                return "heading"
            based_on = _value(style, "basedOn")
            style = self.by_id.get(based_on) if based_on else None
        return "body"


_ON = {"1", "true", "on"}


def _value(style: Any, child: str) -> str | None:
    """The ``w:val`` of a style's child element (its name, the style it is based on)."""
    element = style.find(f"{_W}{child}")
    return None if element is None else element.get(f"{_W}val")
