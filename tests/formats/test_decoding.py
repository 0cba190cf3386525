"""Bytes to text: declared encodings read exactly, others detected and named, binary refused."""

from __future__ import annotations

import codecs

import pytest

from annotator.formats.decoding import (
    DecodeError,
    decode_bytes,
    file_utf8_damage,
    looks_binary,
    sniff_bom,
    utf8_damage,
)

TEXT = "Café “quoted” — 🚀 👍🏽\u00a0tab\there\r\nnext\rline e\u0301 \u2028 مرحبا שלום"


def test_utf8_without_bom_is_read_exactly_and_not_flagged():
    decoded = decode_bytes(TEXT.encode("utf-8"))
    assert decoded.text == TEXT
    assert (decoded.encoding, decoded.detected, decoded.note) == ("utf-8", False, None)


def test_utf8_bom_is_removed_and_not_flagged():
    decoded = decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert decoded.text == TEXT
    assert (decoded.encoding, decoded.detected) == ("utf-8", False)


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
    ids=["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"],
)
def test_text_with_a_utf16_or_utf32_bom_is_read_exactly_without_the_bom(bom, codec):
    decoded = decode_bytes(bom + TEXT.encode(codec))
    assert decoded.text == TEXT
    assert not decoded.detected


def test_utf32_le_bom_is_not_taken_for_a_utf16_bom():
    assert sniff_bom(codecs.BOM_UTF32_LE + b"a\x00\x00\x00") == "utf-32"
    assert sniff_bom(codecs.BOM_UTF16_LE + b"a\x00") == "utf-16"
    assert sniff_bom(b"plain") is None


def test_utf16_bom_with_an_unpaired_surrogate_is_refused():
    data = codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8" + "x".encode("utf-16-le")
    with pytest.raises(DecodeError, match="byte-order mark"):
        decode_bytes(data)


def test_utf8_bom_followed_by_invalid_utf8_is_refused():
    with pytest.raises(DecodeError, match="byte-order mark"):
        decode_bytes(codecs.BOM_UTF8 + b"caf\xe9 and more")


def test_latin1_text_is_detected_and_reported():
    text = "Le café de la gare a fermé ses portes après trente ans; les habitués regrettent."
    decoded = decode_bytes(text.encode("latin-1"))
    assert decoded.text == text
    assert decoded.detected
    assert decoded.encoding == "cp1252"
    assert "not UTF-8" in decoded.note and "cp1252" in decoded.note


def test_cp1252_curly_quotes_and_dashes_are_detected_and_read_right():
    text = "“We won’t close,” said the owner — but the café shut on Friday…"
    decoded = decode_bytes(text.encode("cp1252"))
    assert decoded.text == text
    assert decoded.detected


def test_cyrillic_windows_1251_is_not_read_as_western_mojibake():
    text = "Городской совет одобрил продление трамвайной линии до восточного пригорода."
    decoded = decode_bytes(text.encode("cp1251"))
    assert decoded.text == text
    assert decoded.detected


def test_empty_bytes_are_refused():
    with pytest.raises(DecodeError, match="empty"):
        decode_bytes(b"")


def test_bytes_with_nul_are_refused_as_binary():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(png)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_recognised_and_reported(encoding):
    text = "Plain words, an accent (é), Arabic سلام and a rocket 🚀\r\n"
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.text == text
    assert decoded.detected and encoding in decoded.note


def test_binary_with_nul_bytes_in_every_other_place_is_still_binary():
    data = bytes(b for i in range(2000) for b in (i % 7 + 1, 0))  # control characters
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(data)


def test_bytes_that_read_as_nothing_are_refused():
    with pytest.raises(DecodeError, match="UTF-8"):
        decode_bytes(bytes(range(128, 256)) * 4)


def test_looks_binary_checks_for_nul():
    assert looks_binary(b"abc\x00def")
    assert not looks_binary("naïve".encode())


def test_utf8_damage_reads_characters_split_across_chunks(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes("🚀é".encode() * 100)
    damage = file_utf8_damage(path, chunk=3)
    assert (damage.good, damage.bad) == (200, 0)


def test_utf8_damage_finds_a_bad_byte_at_the_very_end(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes("é".encode() * 10 + b"ok " * 1000 + b"\xf0\x9f")  # a cut 4-byte character
    damage = file_utf8_damage(path, chunk=64)
    assert (damage.good, damage.bad) == (10, 2)
    assert damage.mostly_utf8


def test_text_in_a_single_byte_encoding_is_not_mostly_utf8():
    assert not utf8_damage("Crème brûlée, déjà vu, où ça".encode("cp1252")).mostly_utf8
    assert not utf8_damage(b"plain ascii \xff").mostly_utf8  # no valid character to go by
