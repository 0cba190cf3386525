"""A saved web page's bytes as text: in the charset the page declares, as a browser reads
it, unless its bytes say otherwise; else the way annotator reads any text file.
"""

from __future__ import annotations

import codecs
import re

from annotator.formats.decoding import Decoded, decode_bytes, sniff_bom

_DECLARED = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([a-z0-9_.:-]+)""",
    re.IGNORECASE,
)
# A page that says it is Latin-1 or ASCII is read as Windows-1252, as browsers read it.
_AS_BROWSERS_READ = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}


def decode_page(data: bytes) -> Decoded:
    """The page's text, in the charset it declares (``<meta charset>``, or the http-equiv
    Content-Type); without one, or when its bytes do not fit the declared charset, the way
    annotator reads any text file (UTF-8, else a detected encoding named in the report).

    Bytes that are valid UTF-8 beyond ASCII are read as UTF-8 whatever the page declares: a
    page saved again by an editor keeps its old declaration, and text in another encoding
    practically never forms valid UTF-8.
    """
    if sniff_bom(data[:4]) is None:
        declared = declared_charset(data)
        if declared is not None and not _utf8_beyond_ascii(data):
            try:
                return Decoded(data.decode(declared), declared, False)
            except UnicodeDecodeError:
                pass
    return decode_bytes(data)


def _utf8_beyond_ascii(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def declared_charset(data: bytes) -> str | None:
    """The charset the page names in its first few kilobytes, when it is one Python reads and
    not a Unicode one (UTF-8 is read as annotator reads any file; a page cannot truly be
    UTF-16 and also say so in bytes readable as ASCII)."""
    match = _DECLARED.search(data[:4096])
    if match is None:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if codec.startswith("utf"):
        return None
    return _AS_BROWSERS_READ.get(codec, codec)
