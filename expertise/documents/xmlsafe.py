"""Parsing XML from untrusted files (the parts of a DOCX package) without trusting them.

The parser never resolves entities, never loads a DTD and never touches the network, and it keeps
libxml2's limits on huge documents. On top of that a part whose DOCTYPE declares entities is
refused outright: Word never writes one, and such a declaration is how «billion laughs» and
external-entity (XXE) attacks begin.
"""

from __future__ import annotations

import re

from lxml import etree

from expertise.errors import InputError

# The start of an internal DTD subset with an entity declaration. Checked on the raw bytes in the
# encodings an XML part may use (OOXML parts are UTF-8 or UTF-16), before any parsing.
_DOCTYPE = "<!DOCTYPE"
_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _decoded_prolog(data: bytes) -> str:
    """The bytes as text, well enough to look for a DOCTYPE (UTF-16 by BOM or zero bytes)."""
    head = data[:2]
    if head in (b"\xff\xfe", b"\xfe\xff") or (len(data) > 1 and (data[0] == 0 or data[1] == 0)):
        if head == b"\xfe\xff" or data[0] == 0:
            return data.decode("utf-16-be", errors="replace")
        return data.decode("utf-16-le", errors="replace")
    return data.decode("utf-8", errors="replace")


def _declares_entities(data: bytes) -> bool:
    text = _decoded_prolog(data)
    start = text.find(_DOCTYPE)
    if start < 0:
        return False
    return _ENTITY.search(text, start) is not None


def parse_xml(data: bytes, part: str | None = None, source: str | None = None) -> etree._Element:
    """The root element of an XML document, or InputError in Russian if it is broken or hostile.

    ``part`` names the package part (e.g. "word/document.xml") and ``source`` the file, for the
    message.
    """
    file = f"Файл «{source}»" if source else "Файл"
    where = f" (часть «{part}»)" if part else ""
    hostile = (
        f"{file} повреждён или небезопасен{where}: XML объявляет сущности (DOCTYPE), "
        "чего в документах Word не бывает, поэтому файл не будет прочитан."
    )
    if _declares_entities(data):
        raise InputError(hostile)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():
            raise InputError(f"{file} не может быть прочитан: слишком глубокая вложенность элементов "
                             f"(таблиц в таблицах){where}.") from None
        line = f", строка {exc.lineno}" if getattr(exc, "lineno", None) else ""
        raise InputError(f"{file} повреждён: некорректный XML{where}{line}.") from None
    if root is None:
        raise InputError(f"{file} повреждён: пустой XML{where}.")
    # A DOCTYPE that slipped past the byte check (another encoding): look at the parsed DTD.
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError(hostile)
    return root
