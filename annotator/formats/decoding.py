"""Turning a file's bytes into text without ever guessing silently.

UTF-8 (with or without BOM) and UTF-16/UTF-32 with a BOM are read as they are. Anything else
is handed to charset-normalizer; what it finds is named in the import summary so the analyst
can check it, and a file it cannot place is refused.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SNIFF = 8192
# Candidates within this much "chaos" of the best are treated as equally plausible, and among
# those the web's default for Western text wins: short Latin texts are otherwise often placed
# in a Baltic or DOS code page, which would be mojibake.
_CHAOS_MARGIN = 0.1
_MAX_CHAOS = 0.2
_PREFERRED = ("cp1252", "latin_1", "iso8859_15")
_WESTERN_PUNCTUATION = set("\u00a0«»‹›“”‘’„‚–—…•·°±×÷€£¥¢§¶©®™¿¡¹²³¼½¾ªº´¨¸¯¦¤µ")


class DecodeError(ValueError):
    """The file is not text annotator can read; the message says why, ``line`` where."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Decoded:
    text: str
    encoding: str
    detected: bool  # True when the encoding was inferred rather than declared or UTF-8

    @property
    def note(self) -> str | None:
        if not self.detected:
            return None
        return f"not UTF-8; read as {self.encoding} (detected). Check the text, or save the file as UTF-8"


def sniff_bom(head: bytes) -> str | None:
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return None


def looks_binary(head: bytes) -> bool:
    return b"\x00" in head


_BAD_BYTE = re.compile("[\udc80-\udcff]")
_GOOD_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


@dataclass
class Utf8Damage:
    """How a file that is not valid UTF-8 reads as UTF-8: characters that decode, bytes that
    do not."""

    good: int = 0  # characters outside ASCII that decoded as UTF-8
    bad: int = 0  # bytes that are not part of any UTF-8 character

    def add(self, text: str) -> None:
        self.bad += len(_BAD_BYTE.findall(text))
        self.good += len(_GOOD_NON_ASCII.findall(text))

    @property
    def mostly_utf8(self) -> bool:
        """UTF-8 with a few bad bytes, rather than text in another encoding.

        Text in a single-byte encoding such as cp1252 almost never forms a valid UTF-8
        character (an accented letter is followed by a plain one), so a file where valid
        UTF-8 characters outnumber the bad bytes (or a handful of bad bytes sit among valid
        ones) was written as UTF-8. Reading it as anything else would garble every valid
        character in it.
        """
        return self.good > 0 and self.bad <= max(self.good, 4)


def utf8_damage(data: bytes) -> Utf8Damage:
    damage = Utf8Damage()
    damage.add(data.decode("utf-8", "surrogateescape"))
    return damage


def file_utf8_damage(path: Path, chunk: int = 1 << 20) -> Utf8Damage:
    """The same count over a file, read a block at a time."""
    damage = Utf8Damage()
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    with open(path, "rb") as f:
        while block := f.read(chunk):
            damage.add(decoder.decode(block))
        damage.add(decoder.decode(b"", final=True))
    return damage


def bad_utf8_reason(error: UnicodeDecodeError, offset: int = 0) -> str:
    """``not valid UTF-8 at byte N``: N counts from the start of the file, from 0."""
    bad = error.object[error.start : error.start + 1]
    return f"not valid UTF-8 at byte {offset + error.start} (0x{bad.hex()})"


def decode_bytes(data: bytes) -> Decoded:
    """Decode a whole file's bytes, or raise DecodeError with a reason for the user."""
    if not data:
        raise DecodeError("the file is empty")
    bom = sniff_bom(data[:4])
    if bom:
        try:
            text = data.decode(bom)
        except UnicodeDecodeError as e:
            raise DecodeError(
                f"it starts with a {bom} byte-order mark but is not {bom}: {e.reason}"
            ) from None
        return Decoded(text, "utf-8" if bom == "utf-8-sig" else bom, False)
    if looks_binary(data[:_SNIFF]):
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        raise DecodeError("it is a binary file, not text (it holds NUL bytes)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError as e:
        if utf8_damage(data).mostly_utf8:
            raise DecodeError(bad_utf8_reason(e), data.count(b"\n", 0, e.start) + 1) from None
    return _detect(data)


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 saved without a byte-order mark, recognised by its NUL high bytes.

    Text in Latin script has a NUL in every other byte; the file is taken as UTF-16 only if it
    then decodes cleanly into printable text, which binary data practically never does.
    """
    if len(data) % 2:
        return None
    half = len(data) // 2
    for encoding, nuls in (("utf-16-le", data[1::2].count(0)), ("utf-16-be", data[0::2].count(0))):
        if nuls < half * 0.3:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if all(ch.isprintable() or ch in "\n\r\t" for ch in text):
            return Decoded(text, encoding, True)
    return None


def _western(data: bytes) -> str | None:
    """The text as Windows-1252 when that reads as Western European prose, else None.

    Short Latin-script texts are where detectors go wrong most (one "é" is little evidence),
    so this common case is decided first: accented letters must be sparse among plain ones,
    as in French, German or Spanish, and everything outside ASCII must be a letter or common
    punctuation. Cyrillic or Greek bytes read this way come out as runs of accented letters.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = accented = 0
    for ch in text:
        if ch.isascii():
            letters += ch.isalpha()
            continue
        if ch.isalpha():
            letters += 1
            accented += 1
            if not unicodedata.name(ch, "").startswith("LATIN"):
                return None
        elif ch not in _WESTERN_PUNCTUATION:
            return None
    if letters == 0 or accented / letters > 0.3:
        return None
    return text


def _detect(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    western = _western(data)
    if western is not None:
        return Decoded(western, "cp1252", True)

    results = list(from_bytes(data))
    if not results:
        raise DecodeError(
            "it is not UTF-8 and its encoding could not be recognised; save it as UTF-8"
        )
    best = results[0]
    if best.chaos > _MAX_CHAOS:
        raise DecodeError(
            f"it is not UTF-8 and reads as garbled text in every encoding tried (best guess "
            f"{best.encoding}); save it as UTF-8"
        )
    chosen = best
    for candidate in results:
        if candidate.encoding in _PREFERRED and candidate.chaos <= best.chaos + _CHAOS_MARGIN:
            chosen = candidate
            break
    text = str(chosen)
    if any("\x80" <= ch <= "\x9f" for ch in text):
        raise DecodeError(
            f"it is not UTF-8, and read as {chosen.encoding} it holds control characters; "
            "save it as UTF-8"
        )
    return Decoded(text, chosen.encoding, True)
