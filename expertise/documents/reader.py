"""Opening a draft: checks on the path, format sniffed from the bytes, the matching reader.

Readers are registered by format name; the format is decided from the file's content (magic
bytes), the extension only breaks ties, so a renamed file is read as what it is.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from expertise.documents.blocks import RawDocument
from expertise.documents.model import Document
from expertise.documents.structure import build_document
from expertise.errors import InputError

MAX_FILE_BYTES = 100 * 1024 * 1024  # a draft larger than this is not a draft

ReaderFn = Callable[[str, bytes], RawDocument]
READERS: dict[str, ReaderFn] = {}
EXTENSIONS = {".docx": "docx", ".docm": "docx", ".txt": "txt", ".text": "txt"}


def register_reader(fmt: str, *extensions: str) -> Callable[[ReaderFn], ReaderFn]:
    def wrap(fn: ReaderFn) -> ReaderFn:
        READERS[fmt] = fn
        for ext in extensions:
            EXTENSIONS[ext] = fmt
        return fn

    return wrap


@register_reader("txt", ".txt")
def _txt(path: str, data: bytes) -> RawDocument:
    from expertise.documents.txt_reader import read_txt

    return read_txt(path, data)


@register_reader("docx", ".docx", ".docm")
def _docx(path: str, data: bytes) -> RawDocument:
    from expertise.documents.docx_reader import read_docx

    return read_docx(path)


@register_reader("odt", ".odt")
def _odt(path: str, data: bytes) -> RawDocument:
    from expertise.documents.odt_reader import read_odt

    return read_odt(path, data)


@register_reader("rtf", ".rtf")
def _rtf(path: str, data: bytes) -> RawDocument:
    from expertise.documents.rtf_reader import read_rtf

    return read_rtf(path, data)


@register_reader("pdf", ".pdf")
def _pdf(path: str, data: bytes) -> RawDocument:
    from expertise.documents.pdf_reader import read_pdf

    return read_pdf(path, data)


@register_reader("doc", ".doc")
def _doc(path: str, data: bytes) -> RawDocument:
    from expertise.documents.doc_converter import read_doc

    return read_doc(path, data)


def sniff(data: bytes, path: str) -> str:
    """The format of a file from its first bytes (and its extension for ZIP packages)."""
    ext = Path(path).suffix.lower()
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        if ext == ".odt":
            return "odt"
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if ext in (".docx", ".docm"):
            raise InputError(
                f"Файл «{path}» защищён паролем или является документом Word 97–2003, переименованным в .docx: "
                "снимите пароль или сохраните его в формате DOCX."
            )
        return "doc"
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    if ext in EXTENSIONS and EXTENSIONS[ext] in ("docx",):
        raise InputError(f"Файл «{path}» повреждён или не является документом DOCX.")
    if ext and ext not in EXTENSIONS and ext not in (".md",):
        raise InputError(
            f"Формат файла «{path}» не поддерживается: проверяются документы DOCX, ODT, RTF, PDF, DOC и TXT."
        )
    return "txt"


def check_path(path: str) -> None:
    """Refuse what is not a readable regular file, with a Russian sentence."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"Файл «{path}» не найден.") from None
    except PermissionError:
        raise InputError(f"Нет доступа к файлу «{path}».") from None
    except OSError as exc:
        raise InputError(f"Не удалось открыть «{path}»: {exc.strerror or exc}.") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"«{path}» — это каталог, а не файл.")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"«{path}» не является обычным файлом.")
    if st.st_size == 0:
        raise InputError(f"Файл «{path}» пуст.")
    if st.st_size > MAX_FILE_BYTES:
        raise InputError(
            f"Файл «{path}» слишком велик ({st.st_size // (1024 * 1024)} МБ; предел {MAX_FILE_BYTES // (1024 * 1024)} МБ)."
        )
    if not os.access(path, os.R_OK):
        raise InputError(f"Нет прав на чтение файла «{path}».")


def read_raw(path: str) -> RawDocument:
    check_path(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        raise InputError(f"Нет прав на чтение файла «{path}».") from None
    except OSError as exc:
        raise InputError(f"Не удалось прочитать «{path}»: {exc.strerror or exc}.") from None
    fmt = sniff(data, path)
    reader = READERS.get(fmt)
    if reader is None:
        raise InputError(f"Формат «{fmt.upper()}» файла «{path}» пока не поддерживается: сохраните документ в DOCX.")
    return reader(path, data)


def read_document(path: str) -> Document:
    """Read a draft from a file into structural units."""
    raw = read_raw(path)
    document = build_document(raw)
    if not document.units:
        raise InputError(f"В файле «{path}» нет текста для проверки.")
    return document


def read_stdin_text(data: bytes) -> Document:
    from expertise.documents.txt_reader import decode_text, read_text

    text = decode_text(data, "стандартный ввод")
    document = build_document(read_text(text, "-"))
    if not document.units:
        raise InputError("На стандартный ввод не поступил текст для проверки.")
    return document


def is_draft_file(path: Path) -> bool:
    return path.suffix.lower() in EXTENSIONS and not path.name.startswith((".", "~$"))
