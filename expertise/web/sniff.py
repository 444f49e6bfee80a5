"""The type of an uploaded file from its bytes — never from its name.

DOCX and ODT are told apart by what the ZIP package contains (``[Content_Types].xml`` and
``word/…``; ODT's ``mimetype`` member), PDF and RTF by their signatures, text by the absence of
binary bytes. Anything else — junk, images, archives, Word 97–2003 — is refused with a Russian
sentence (HTTP 415). Whether a recognised file is *well-formed* is the reader's business (the same
guarantees as the CLI: zip bombs, XML entities, nesting…), decided in the worker.
"""

from __future__ import annotations

import codecs
import io
import zipfile

ODT_MIME = b"application/vnd.oasis.opendocument.text"
ACCEPTED = "Проверяются документы DOCX, ODT, RTF, PDF и TXT."


class Unsupported(Exception):
    """The upload is not a draft the tool reads (HTTP 415); the message is one Russian sentence."""


def sniff_upload(data: bytes, name: str = "") -> str:
    """``docx``, ``odt``, ``rtf``, ``pdf`` or ``txt`` — or :class:`Unsupported` (the message names the file)."""
    try:
        return _sniff(data)
    except Unsupported as exc:
        text = str(exc)
        if name and text.startswith("Файл "):
            text = f"Файл «{name}» " + text[len("Файл "):]
        raise Unsupported(text) from None


def _sniff(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        return _package(data)
    if data.startswith((b"PK\x05\x06", b"PK\x07\x08")):
        raise Unsupported("Файл — пустой или составной архив, а не документ. " + ACCEPTED)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise Unsupported("Файл — документ Word 97–2003 (DOC) или документ, защищенный паролем: "
                          "снимите пароль и сохраните его в формате DOCX.")
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    if _looks_like_text(data[:65536]):
        return "txt"
    raise Unsupported("Файл не является документом: его содержимое не похоже ни на текст, ни на DOCX, ODT, "
                      "RTF или PDF. " + ACCEPTED)


def _package(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                with zf.open("mimetype") as fh:
                    mime = fh.read(len(ODT_MIME) + 1).strip()
                if mime == ODT_MIME:
                    return "odt"
                raise Unsupported("Файл — документ OpenDocument, но не текстовый (не ODT). " + ACCEPTED)
            if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
                return "docx"
    except zipfile.BadZipFile:
        raise Unsupported("Файл поврежден: это архив ZIP, который не читается, а не документ DOCX или ODT.") from None
    except (OSError, RuntimeError, NotImplementedError, EOFError, ValueError):
        raise Unsupported("Файл поврежден или зашифрован: это не документ DOCX или ODT.") from None
    raise Unsupported("Файл — архив ZIP, но не документ DOCX или ODT. " + ACCEPTED)


def _looks_like_text(sample: bytes) -> bool:
    if not sample.strip():
        return False
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if sample.startswith(bom):
            text = sample[len(bom):].decode(encoding, errors="ignore")
            return _few_controls(text)
    if b"\x00" in sample:
        # UTF-16 without a BOM: every other byte is 0x00 (ASCII) or 0x04 (Cyrillic)
        for high, low in ((sample[1::2], sample[::2]), (sample[::2], sample[1::2])):
            if high and sum(b in (0, 4) for b in high) > 0.9 * len(high) and low.count(0) < 0.05 * len(low):
                return True
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:  # a character cut at the end of the sample
            text = sample[: exc.start].decode("utf-8")
        else:
            text = sample.decode("cp1251", errors="replace")
    return _few_controls(text)


def _few_controls(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t\f\v") or ch == "\ufffd")
    return controls / len(sample) <= 0.01
