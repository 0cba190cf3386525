"""A page's blocks as its reader sees them, so that the extractor sees the same: a table used
for layout read as the rows and cells it lays out (without its narrow side columns), and
text broken by ``<br><br>`` made into paragraphs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.formats.webpages.markup import text_size

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

# A layout table (a page of the 2000s) holds blocks in its cells, or tables, or pictures; a
# table of data holds words and numbers. Layout is read as the blocks it lays out.
BLOCKS = {"p", "div", "table", "ul", "ol", "dl", "blockquote", "figure", "form", "section"}
BLOCKS |= {"article", "aside", "header", "footer", "nav", "main", "h1", "h2", "h3", "h4"}
BLOCKS |= {"h5", "h6", "pre", "hr", "address", "img", "picture", "iframe", "object"}

_NO_SPLIT = {"pre", "code", "textarea", "script", "style", "li", "h1", "h2", "h3", "h4"}
_NO_SPLIT |= {"h5", "h6", "a", "button", "option", "select", "caption", "figcaption"}

_COLUMN_CHARS = 500  # a layout row's cell this large is the article, not a side column


def _own_cells(table: Element) -> list[Element]:
    """The cells of a table's own rows (not those of a table inside one of them)."""
    rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    return [cell for row in rows for cell in row if cell.tag in ("td", "th")]


def lays_out(table: Element) -> bool:
    """A table used for layout: said so (``role="presentation"``), or with blocks, tables or
    pictures in its cells rather than words and numbers under headings."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    cells = _own_cells(table)
    if table.xpath("./caption|./thead") or any(cell.tag == "th" for cell in cells):
        return False  # headings: a table of data (a table inside one of its cells may be)
    for cell in cells:
        if next((d for d in cell.iterdescendants() if d.tag in BLOCKS), None) is not None:
            return True
        if _blank_line(cell):
            return True
    return False


def as_blocks(table: Element) -> None:
    """A layout table's rows and cells as the blocks they are to a reader; beside the cell
    that holds the article, the narrow columns of menus and adverts are left out."""
    for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        cells = [cell for cell in row if cell.tag in ("td", "th")]
        sizes = [text_size(cell) for cell in cells]
        if len(cells) > 1 and max(sizes) >= _COLUMN_CHARS:
            for cell, size in zip(cells, sizes, strict=True):
                if size * 3 < max(sizes) and next(cell.iter("h1"), None) is None:
                    cell.drop_tree()
        for cell in row:
            if cell.tag in ("td", "th"):
                cell.tag = "div"
        row.tag = "div"
    for section in table.xpath("./thead|./tbody|./tfoot"):
        section.tag = "div"
    table.tag = "div"


def _blank_line(element: Element) -> bool:
    """Whether two line breaks in a row (``<br><br>``, text between them only white space)
    stand among the element's children: how paragraphs were made before CSS."""
    for child in element:
        if child.tag == "br" and not (child.tail or "").strip():
            following = child.getnext()
            if following is not None and following.tag == "br":
                return True
    return False


def split_at_blank_lines(tree: Element) -> None:
    """Text that runs on between ``<br><br>`` breaks made into ``<p>`` paragraphs, so the
    extractor sees the paragraphs the reader sees."""
    for element in reversed(list(tree.iter())):  # the innermost first
        if isinstance(element.tag, str) and element.tag not in _NO_SPLIT and _blank_line(element):
            regroup(element)


_BLANK = object()  # where a blank line stood among an element's children


def regroup(element: Element) -> None:
    """An element's children and text as paragraphs, split where a blank line stood and
    around the blocks among them."""
    from lxml import etree

    pieces: list[Any] = [element.text]
    children = list(element)
    for child in children:
        pieces.append(child)
        pieces.append(child.tail)
        child.tail = None
        element.remove(child)
    element.text = None
    # Runs of breaks with only white space between them are one blank line.
    flat: list[Any] = []
    for piece in pieces:
        if piece is None:
            continue
        if isinstance(piece, str) and not piece.strip() and flat and _is_break(flat[-1]):
            continue
        if _is_break(piece) and flat and (_is_break(flat[-1]) or flat[-1] is _BLANK):
            flat[-1] = _BLANK
            continue
        flat.append(piece)

    groups: list[Element] = []
    current = etree.Element("p")

    def close() -> None:
        nonlocal current
        if len(current) or (current.text or "").strip():
            groups.append(current)
        current = etree.Element("p")

    for piece in flat:
        if piece is _BLANK:
            close()
        elif isinstance(piece, str):
            if len(current):
                current[-1].tail = (current[-1].tail or "") + piece
            else:
                current.text = (current.text or "") + piece
        elif isinstance(piece.tag, str) and piece.tag in BLOCKS:
            close()
            groups.append(piece)
        else:
            current.append(piece)
    close()
    element.extend(groups)
    if element.tag == "p" or element.tag not in BLOCKS:
        element.tag = "div"  # a <p>, <font> or <span> that holds paragraphs now


def _is_break(piece: Any) -> bool:
    return piece is not _BLANK and not isinstance(piece, str) and piece.tag == "br"
