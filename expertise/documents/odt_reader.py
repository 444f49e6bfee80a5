"""ODT drafts (OpenDocument text): the body of content.xml as paragraphs and tables, list numbers rendered.

The package is opened with :mod:`zipfile` directly: declared sizes are checked before anything is
inflated (zip bombs), an encrypted package (``manifest:encryption-data`` in META-INF/manifest.xml)
is refused with a Russian message, and every XML part goes through
:func:`expertise.documents.xmlsafe.parse_xml` (no entities, no DTDs, no network).

Reading order and ``Location``
------------------------------
``office:text`` is walked in document order: ``text:p`` and ``text:h``; ``text:list`` items
(nested lists recursively); ``table:table`` row by row (``table:table-row``, also inside
``table:table-header-rows``/``table:table-rows``/``table:table-row-group``) and cell by cell
(``table:table-cell``; covered cells of merged ranges are skipped), nested tables where they stand;
the contents of ``text:section``, ``text:index-body`` (a table of contents as shown) and
``text:numbered-paragraph``. ``Location("body", index)``: ``index`` is the position of the
paragraph's ``text:p``/``text:h`` among all ``text:p``/``text:h`` elements of ``office:text`` in
document order (those in table cells, notes and frames included), not counting the deleted text kept
in ``text:tracked-changes``. A ``Table`` carries the location of its first paragraph.

Text of a paragraph
-------------------
Character data with OpenDocument's white-space rule (runs of spaces, tabs and line feeds in the XML
collapse to one space, leading ones are dropped), ``text:s`` → as many spaces as ``text:c``,
``text:tab`` → "\\t", ``text:line-break`` → "\\n"; spans, links, fields (their shown value), ruby
bases are included; notes (``text:note``), annotations, drawings and frames, ruby annotations and
hidden text are not. Tracked changes: deleted text lives only in ``text:tracked-changes`` and is not
read; inserted text stands in the body and is read (the text with all changes accepted).

Numbering
---------
A ``text:number`` written inside a list item or a paragraph (LibreOffice writes it in some
exports) is taken as the rendered number. Otherwise the number is computed as LibreOffice shows it:
the list style (``text:style-name`` of the outermost ``text:list``, else the paragraph style's
``style:list-style-name``) gives each level's ``style:num-format`` (1, a, A, i, I, LibreOffice's
Russian alphabets «а, б, …», none), ``style:num-prefix``/``style:num-suffix``,
``text:display-levels``, ``text:start-value`` (and LibreOffice's ``loext:num-list-format`` such as
``%1%.%2%.``, used when present). Counters run per list: a list item increments its level and
resets the deeper ones, ``text:start-value`` on an item restarts it, a top-level list starts afresh
unless it has ``text:continue-numbering="true"`` (it continues the previous list of the same style)
or ``text:continue-list`` (it continues that list). Headings (``text:h``) outside lists are numbered
by the document's outline style. Bullets and unnumbered items give no number.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from expertise.documents.blocks import Block, Location, Paragraph, RawDocument, Table, first_location
from expertise.documents.docx_numbering import LATIN_LOWER, RUSSIAN_LOWER, _int, _roman
from expertise.documents.xmlsafe import parse_xml
from expertise.errors import InputError

MAX_MEMBER_BYTES = 200 * 1024 * 1024  # declared uncompressed size of one package member
MAX_TOTAL_BYTES = 500 * 1024 * 1024  # declared uncompressed size of the whole package
_MB = 1024 * 1024

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"
DC = "http://purl.org/dc/elements/1.1/"
XML = "http://www.w3.org/XML/1998/namespace"

_TEXT_MIMETYPES = (
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.text-template",
    "application/vnd.oasis.opendocument.text-master",
)


def _t(name: str) -> str:
    return f"{{{TEXT}}}{name}"


def _tb(name: str) -> str:
    return f"{{{TABLE}}}{name}"


def _s(name: str) -> str:
    return f"{{{STYLE}}}{name}"


P, H = _t("p"), _t("h")
LIST, LIST_ITEM, LIST_HEADER = _t("list"), _t("list-item"), _t("list-header")
NUMBER = _t("number")
TRACKED = _t("tracked-changes")


# --------------------------------------------------------------------------------------------
# The package


class _Package:
    def __init__(self, path: str, data: bytes) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            raise InputError(
                f"Файл «{path}» не является документом ODT: это не ZIP-архив OpenDocument "
                "(возможно, файл повреждён или сохранён в другом формате)."
            ) from None
        self._names = {info.filename: info for info in self.zip.infolist()}
        total = 0
        for info in self.zip.infolist():
            if info.file_size > MAX_MEMBER_BYTES:
                raise InputError(
                    f"Файл «{path}» отклонён: часть «{info.filename}» после распаковки заняла бы "
                    f"{info.file_size // _MB} МБ (допускается не более {MAX_MEMBER_BYTES // _MB} МБ)."
                )
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise InputError(
                f"Файл «{path}» отклонён: после распаковки его содержимое заняло бы "
                f"{total // _MB} МБ (допускается не более {MAX_TOTAL_BYTES // _MB} МБ)."
            )

    def has(self, name: str) -> bool:
        return name in self._names

    def read(self, name: str) -> bytes:
        info = self._names[name]
        if info.flag_bits & 0x1:
            raise _protected(self.path)
        try:
            with self.zip.open(info) as fh:
                data = fh.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
            raise InputError(f"Файл «{self.path}» повреждён: не удалось распаковать часть «{name}».") from None
        if len(data) > MAX_MEMBER_BYTES:  # the header lied about the size
            raise InputError(
                f"Файл «{self.path}» отклонён: часть «{name}» после распаковки больше "
                f"{MAX_MEMBER_BYTES // _MB} МБ."
            )
        return data

    def xml(self, name: str) -> Any:
        try:
            return parse_xml(self.read(name), part=name, source=self.path)
        except InputError as exc:
            if "DOCTYPE" in str(exc):
                raise InputError(
                    f"Файл «{self.path}» повреждён или небезопасен (часть «{name}»): XML объявляет "
                    "сущности (DOCTYPE), чего в документах ODT не бывает, поэтому файл не будет прочитан."
                ) from None
            if "некорректный XML" in str(exc) or "пустой XML" in str(exc):
                raise InputError(
                    f"Файл «{self.path}» повреждён: часть «{name}» документа ODT содержит некорректный XML."
                ) from None
            raise


def _protected(path: str) -> InputError:
    return InputError(
        f"Файл «{path}» защищён паролем: откройте его в LibreOffice, снимите пароль "
        "(Файл → Свойства → Безопасность) и сохраните документ заново."
    )


def _check_package(package: _Package) -> None:
    path = package.path
    if package.has("mimetype"):
        mimetype = package.read("mimetype").decode("ascii", errors="replace").strip()
        if mimetype and mimetype not in _TEXT_MIMETYPES:
            raise InputError(
                f"Файл «{path}» не является текстовым документом ODT (тип содержимого «{mimetype}»): "
                "сохраните проект как текстовый документ (ODT или DOCX)."
            )
    if package.has("META-INF/manifest.xml"):
        manifest = package.xml("META-INF/manifest.xml")
        if manifest.find(f".//{{{MANIFEST}}}encryption-data") is not None:
            raise _protected(path)
    if not package.has("content.xml"):
        raise InputError(
            f"Файл «{path}» не является документом ODT: в архиве нет основной части документа (content.xml)."
        )


# --------------------------------------------------------------------------------------------
# Styles and list styles


@dataclass
class _Level:
    kind: str  # "number", "bullet", "image"
    fmt: str = "1"
    prefix: str = ""
    suffix: str = ""
    display: int = 1
    start: int = 1
    list_format: str | None = None  # LibreOffice's loext:num-list-format, e.g. "%1%.%2%."
    letter_sync: bool = False


@dataclass
class _ParaStyle:
    name: str
    display: str | None
    parent: str | None
    list_style: str | None
    outline: int | None
    automatic: bool


@dataclass
class _Styles:
    paragraph: dict[str, _ParaStyle] = field(default_factory=dict)
    lists: dict[str, dict[int, _Level]] = field(default_factory=dict)
    outline: dict[int, _Level] = field(default_factory=dict)

    def add(self, root: Any | None, automatic_only: bool = False) -> None:
        if root is None:
            return
        for container_name in ("styles", "automatic-styles", "master-styles"):
            container = root.find(f"{{{OFFICE}}}{container_name}")
            if container is None:
                continue
            automatic = container_name == "automatic-styles"
            for element in container:
                if element.tag == _s("style") and element.get(_s("family")) == "paragraph":
                    name = element.get(_s("name"))
                    if name:
                        self.paragraph[name] = _ParaStyle(
                            name=name,
                            display=element.get(_s("display-name")),
                            parent=element.get(_s("parent-style-name")),
                            list_style=element.get(_s("list-style-name")),
                            outline=_int(element.get(_s("default-outline-level"))),
                            automatic=automatic,
                        )
                elif element.tag == _t("list-style"):
                    name = element.get(_s("name"))
                    if name:
                        self.lists[name] = _levels(element)
                elif element.tag == _t("outline-style"):
                    self.outline = _levels(element)

    def _chain(self, name: str | None) -> list[_ParaStyle]:
        chain: list[_ParaStyle] = []
        seen: set[str] = set()
        while name and name not in seen and len(chain) < 16:
            seen.add(name)
            style = self.paragraph.get(name)
            if style is None:
                break
            chain.append(style)
            name = style.parent
        return chain

    def display_name(self, name: str | None) -> str | None:
        for style in self._chain(name):
            if not style.automatic:
                return style.display or style.name.replace("_20_", " ")
        return None

    def list_style_of(self, name: str | None) -> str | None:
        for style in self._chain(name):
            if style.list_style is not None:
                return style.list_style or None  # an empty name switches numbering off
        return None

    def outline_of(self, name: str | None) -> int | None:
        for style in self._chain(name):
            if style.outline is not None:
                return style.outline
        return None


def _levels(list_style: Any) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for element in list_style:
        tag = element.tag
        if tag in (_t("list-level-style-number"), _t("outline-level-style")):
            kind = "number"
        elif tag == _t("list-level-style-bullet"):
            kind = "bullet"
        elif tag == _t("list-level-style-image"):
            kind = "image"
        else:
            continue
        level = _int(element.get(_t("level"))) or 1
        levels[level] = _Level(
            kind=kind,
            fmt=element.get(_s("num-format"), "" if tag == _t("outline-level-style") else "1")
            if kind == "number" else "",
            prefix=element.get(_s("num-prefix"), ""),
            suffix=element.get(_s("num-suffix"), ""),
            display=_int(element.get(_t("display-levels"))) or 1,
            start=_int(element.get(_t("start-value"))) or 1,
            list_format=element.get(f"{{{LOEXT}}}num-list-format"),
            letter_sync=element.get(_s("num-letter-sync")) == "true",
        )
    return levels


def _alpha(value: int, alphabet: str, sync: bool) -> str:
    """a…z then aa, ab … (spreadsheet style) or, with ``sync``, aa, bb … (LibreOffice's two kinds)."""
    if value <= 0:
        return str(value)
    if sync:
        repeat, index = divmod(value - 1, len(alphabet))
        return alphabet[index] * (repeat + 1)
    out = ""
    while value > 0:
        value, rem = divmod(value - 1, len(alphabet))
        out = alphabet[rem] + out
    return out


def format_value(value: int, fmt: str, sync: bool = False) -> str:
    """One counter in an ODF ``style:num-format`` (with LibreOffice's Russian alphabets)."""
    if fmt == "":
        return ""
    if fmt == "1":
        return str(value)
    if fmt in ("a", "A"):
        text = _alpha(value, LATIN_LOWER, sync)
        return text.upper() if fmt == "A" else text
    if fmt in ("i", "I"):
        text = _roman(value)
        return text.lower() if fmt == "i" else text
    if fmt[:1] in ("а", "А"):  # "а, б, .., аа, аб, ... (ru)" and relatives
        sync = sync or "бб" in fmt.lower()
        text = _alpha(value, RUSSIAN_LOWER, sync)
        if fmt[:1] == "А":
            text = text.upper() if ("ББ" in fmt or "АА" in fmt) else text[:1].upper() + text[1:]
        return text
    if fmt.startswith("01"):
        return f"{value:02d}"
    return str(value)


def _render(levels: dict[int, _Level], level: int, values: dict[int, int]) -> str | None:
    spec = levels.get(level)
    if spec is None or spec.kind != "number":
        return None

    def value_of(n: int) -> str:
        lv = levels.get(n)
        fmt = lv.fmt if lv is not None and lv.kind == "number" else "1"
        start = lv.start if lv is not None else 1
        return format_value(values.get(n, start), fmt, lv.letter_sync if lv is not None else False)

    if spec.list_format is not None:
        out = spec.list_format
        for n in range(level, 0, -1):
            out = out.replace(f"%{n}%", value_of(n))
        label = out
    else:
        if spec.fmt == "":
            label = spec.prefix + spec.suffix
        else:
            first = max(1, level - spec.display + 1)
            label = spec.prefix + ".".join(value_of(n) for n in range(first, level + 1)) + spec.suffix
    label = label.strip()
    return label or None


class _Counters:
    def __init__(self) -> None:
        self.values: dict[int, int] = {}

    def advance(self, level: int, start: int, override: int | None) -> dict[int, int]:
        if override is not None:
            value = override
        elif level in self.values:
            value = self.values[level] + 1
        else:
            value = start
        self.values[level] = value
        for deeper in [k for k in self.values if k > level]:
            del self.values[deeper]
        return self.values


# --------------------------------------------------------------------------------------------
# The body


_SKIP_INLINE = {
    _t("note"), f"{{{OFFICE}}}annotation", f"{{{OFFICE}}}annotation-end", _t("ruby-text"), NUMBER,
    _t("change"), _t("change-start"), _t("change-end"), _t("bookmark"), _t("bookmark-start"),
    _t("bookmark-end"), _t("reference-mark"), _t("reference-mark-start"), _t("reference-mark-end"),
    _t("soft-page-break"), _t("alphabetical-index-mark"), _t("toc-mark"), _t("user-index-mark"),
    _t("toc-mark-start"), _t("toc-mark-end"), _t("alphabetical-index-mark-start"),
    _t("alphabetical-index-mark-end"), _t("bibliography-mark"),
}
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_BLOCK_CONTAINERS = {_t("section"), _t("index-body"), _t("index-title"), _t("table-of-content"),
                     _t("illustration-index"), _t("table-index"), _t("object-index"), _t("user-index"),
                     _t("alphabetical-index"), _t("bibliography")}
_ROW_GROUPS = {_tb("table-header-rows"), _tb("table-rows"), _tb("table-row-group")}
_WS_RUN = re.compile(r"[ \t\r\n]+")


class _Text:
    """A paragraph's text under OpenDocument's white-space rule."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.space = True  # True at the start and after a collapsible space: drop further ones

    def chars(self, data: str | None) -> None:
        if not data:
            return
        text = _WS_RUN.sub(" ", data)
        if self.space and text.startswith(" "):
            text = text[1:]
        if text:
            self.parts.append(text)
            self.space = text.endswith(" ")

    def literal(self, text: str) -> None:
        self.parts.append(text)
        self.space = False

    def value(self) -> str:
        text = "".join(self.parts)
        if self.space and text.endswith(" "):
            text = text[:-1]
        return text


class _Walker:
    def __init__(self, office_text: Any, styles: _Styles) -> None:
        self.styles = styles
        self.index_of: dict[Any, int] = {}
        count = 0
        stack = [office_text]
        # pre-order over the body, skipping the deleted text of tracked changes
        order: list[Any] = []
        while stack:
            element = stack.pop()
            if element.tag == TRACKED:
                continue
            if element is not office_text and element.tag in (P, H):
                order.append(element)
            stack.extend(reversed([c for c in element if isinstance(c.tag, str)]))
        for element in order:
            self.index_of[element] = count
            count += 1
        self.lists_by_id: dict[str, _Counters] = {}
        self.last_by_style: dict[str | None, _Counters] = {}
        self.outline = _Counters()

    # -- blocks ------------------------------------------------------------------------------

    def blocks(self, container: Any) -> list[Block]:
        out: list[Block] = []
        for child in container:
            self._block(child, out)
        return out

    def _block(self, child: Any, out: list[Block]) -> None:
        tag = child.tag
        if not isinstance(tag, str):
            return
        if tag in (P, H):
            self._paragraph(child, out, number=self._heading_number(child) if tag == H else None)
        elif tag == LIST:
            self._list(child, out, level=1, counters=None, levels=None)
        elif tag == _tb("table"):
            table = self._table(child)
            if table is not None:
                out.append(table)
        elif tag == _t("numbered-paragraph"):
            number = self._explicit_number(child)
            for inner in child:
                if inner.tag in (P, H):
                    self._paragraph(inner, out, number=number)
                    number = None
        elif tag in _BLOCK_CONTAINERS:
            for inner in child:
                if isinstance(inner.tag, str) and inner.tag.endswith("-source"):
                    continue  # the templates of an index, not its text
                self._block(inner, out)
        # tracked-changes, sequence-decls, forms, frames at block level: not text of the draft

    def _explicit_number(self, element: Any) -> str | None:
        number = element.find(NUMBER)
        if number is None:
            return None
        text = " ".join("".join(number.itertext()).split())
        return text or None

    def _heading_number(self, h: Any) -> str | None:
        explicit = self._explicit_number(h)
        if explicit is not None:
            return explicit
        if h.get(_t("is-list-header")) == "true":
            return None
        level = _int(h.get(_t("outline-level")))
        if level is None:
            level = self.styles.outline_of(h.get(_t("style-name")))
        if not level or level not in self.styles.outline:
            return None
        spec = self.styles.outline[level]
        if spec.kind != "number" or (spec.fmt == "" and not spec.list_format):
            return None
        override = _int(h.get(_t("start-value"))) if h.get(_t("restart-numbering")) == "true" else None
        values = self.outline.advance(level, spec.start, override)
        return _render(self.styles.outline, level, values)

    def _paragraph(self, p: Any, out: list[Block], number: str | None = None) -> None:
        explicit = self._explicit_number(p)
        if explicit is not None:
            number = explicit
        text = _Text()
        self._inline(p, text)
        value = text.value()
        if number is None and not value.strip():
            return
        style_name = p.get(_t("style-name"))
        heading = _int(p.get(_t("outline-level"))) if p.tag == H else None
        if p.tag == H and heading is None:
            heading = self.styles.outline_of(style_name) or 1
        out.append(Paragraph(
            text=value,
            location=Location("body", self.index_of.get(p, -1)),
            number=number,
            style=self.styles.display_name(style_name),
            heading_level=heading,
        ))

    def _list(self, lst: Any, out: list[Block], level: int, counters: _Counters | None,
              levels: dict[int, _Level] | None) -> None:
        if counters is None:  # a top-level list
            style = lst.get(_t("style-name")) or self._first_paragraph_list_style(lst)
            levels = self.styles.lists.get(style or "", {})
            continue_list = lst.get(_t("continue-list"))
            if continue_list and continue_list in self.lists_by_id:
                counters = self.lists_by_id[continue_list]
            elif lst.get(_t("continue-numbering")) == "true" and style in self.last_by_style:
                counters = self.last_by_style[style]
            else:
                counters = _Counters()
            self.last_by_style[style] = counters
            list_id = lst.get(f"{{{XML}}}id")
            if list_id:
                self.lists_by_id[list_id] = counters
        assert levels is not None
        for item in lst:
            if item.tag not in (LIST_ITEM, LIST_HEADER):
                continue
            blocks = [c for c in item if isinstance(c.tag, str) and c.tag != NUMBER]
            number: str | None = None
            numbered = item.tag == LIST_ITEM and bool(blocks) and blocks[0].tag in (P, H)
            if numbered:
                spec = levels.get(level)
                start = spec.start if spec is not None else 1
                values = counters.advance(level, start, _int(item.get(_t("start-value"))))
                number = self._explicit_number(item) or _render(levels, level, values)
            first = True
            for child in blocks:
                if child.tag in (P, H):
                    self._paragraph(child, out, number=number if first and numbered else None)
                    first = False
                elif child.tag == LIST:
                    self._list(child, out, level + 1, counters, levels)
                else:
                    self._block(child, out)

    def _first_paragraph_list_style(self, lst: Any) -> str | None:
        for p in lst.iter(P, H):
            return self.styles.list_style_of(p.get(_t("style-name")))
        return None

    # -- tables --------------------------------------------------------------------------------

    def _rows(self, table: Any):
        for child in table:
            if child.tag == _tb("table-row"):
                yield child
            elif child.tag in _ROW_GROUPS:
                yield from self._rows(child)

    def _table(self, table: Any) -> Table | None:
        rows: list[list[list[Block]]] = []
        for tr in self._rows(table):
            cells = [self.blocks(tc) for tc in tr if tc.tag == _tb("table-cell")]
            rows.append(cells)
        location = first_location(rows)
        if location is None:
            return None
        return Table(rows=rows, location=location)

    # -- inline --------------------------------------------------------------------------------

    def _inline(self, element: Any, text: _Text) -> None:
        text.chars(element.text)
        for child in element:
            tag = child.tag
            if isinstance(tag, str):
                if tag == _t("s"):
                    text.literal(" " * max(1, _int(child.get(_t("c"))) or 1))
                elif tag == _t("tab"):
                    text.literal("\t")
                elif tag == _t("line-break"):
                    text.literal("\n")
                elif tag in _SKIP_INLINE or tag.startswith(f"{{{_DRAW}}}"):
                    pass
                elif tag == _t("hidden-text") and child.get(_t("is-hidden"), "true") != "false":
                    pass
                elif tag in (P, H, LIST, _tb("table")):
                    pass  # block content inside inline content (only in damaged files)
                else:
                    self._inline(child, text)
            text.chars(child.tail)


def _title(package: _Package) -> str | None:
    if not package.has("meta.xml"):
        return None
    try:
        root = package.xml("meta.xml")
    except InputError:
        return None
    element = root.find(f".//{{{DC}}}title")
    if element is None or not (element.text or "").strip():
        return None
    return " ".join(element.text.split())


def read_odt(path: str, data: bytes) -> RawDocument:
    """Read an ODT draft: body paragraphs and tables in reading order, list numbers rendered."""
    package = _Package(path, data)
    with package.zip:
        _check_package(package)
        content = package.xml("content.xml")
        styles = _Styles()
        if package.has("styles.xml"):
            styles.add(package.xml("styles.xml"))
        styles.add(content)
        title = _title(package)
    body = content.find(f"{{{OFFICE}}}body")
    office_text = body.find(f"{{{OFFICE}}}text") if body is not None else None
    if office_text is None:
        kind = next((c.tag.split("}")[-1] for c in body if isinstance(c.tag, str)), "") if body is not None else ""
        if kind:
            raise InputError(
                f"Файл «{path}» не является текстовым документом ODT (это документ вида «{kind}»): "
                "сохраните проект как текстовый документ (ODT или DOCX)."
            )
        raise InputError(f"Файл «{path}» повреждён: в content.xml нет текста документа (office:text).")
    walker = _Walker(office_text, styles)
    blocks = walker.blocks(office_text)
    return RawDocument(path=path, format="odt", blocks=blocks, title=title)
