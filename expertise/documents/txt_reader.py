"""Plain-text drafts: encoding detected from the bytes (BOM, strict UTF-8, then Cyrillic code pages).

Each non-empty line is a paragraph; its Location carries the line number and the character offset
of the line in the decoded text.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from expertise.documents.blocks import Location, Paragraph, RawDocument
from expertise.errors import InputError

_CYRILLIC_CODEPAGES = ("cp1251", "koi8_r", "cp866", "mac_cyrillic")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(data: bytes, name: str) -> str:
    """Decode a text file's bytes, refusing binary data with a Russian message."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, name)
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM: every other byte of Cyrillic or ASCII text is a NUL of the same parity
        # UTF-16 without a BOM: the high byte of every character is 0x00 (ASCII) or 0x04 (Cyrillic)
        sample = data[:4096]
        for high, low, encoding in ((sample[1::2], sample[::2], "utf-16-le"), (sample[::2], sample[1::2], "utf-16-be")):
            if sum(b in (0, 4) for b in high) > 0.9 * len(high) and low.count(0) < 0.05 * len(low):
                return _strict(data, encoding, name)
        raise InputError(f"Файл «{name}» не является текстовым документом (содержит двоичные данные).")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data, cp_isolation=list(_CYRILLIC_CODEPAGES)).best()
        if best is None:
            raise InputError(
                f"Не удалось определить кодировку файла «{name}»: сохраните его в UTF-8 или Windows-1251."
            ) from None
        text = str(best)
    _refuse_binary(text, name)
    return text


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(f"Файл «{name}» повреждён: текст не читается в кодировке {encoding}.") from None
    _refuse_binary(text, name)
    return text.lstrip("\ufeff")


def _refuse_binary(text: str, name: str) -> None:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    if sample and controls / len(sample) > 0.01:
        raise InputError(f"Файл «{name}» не является текстовым документом (содержит двоичные данные).")


def paragraphs_from_text(text: str) -> list[Paragraph]:
    paragraphs = []
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True)):
        content = line.rstrip("\r\n")
        if content.strip():
            paragraphs.append(Paragraph(content.replace("\u00a0", " "), Location("text", number, offset)))
        offset += len(line)
    return paragraphs


def read_text(text: str, path: str = "-") -> RawDocument:
    return RawDocument(path=path, format="txt", blocks=list(paragraphs_from_text(text)))


def read_txt(path: str, data: bytes) -> RawDocument:
    return read_text(decode_text(data, path), path)
