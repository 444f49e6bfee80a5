"""DOCX drafts: the body of word/document.xml as paragraphs and tables, numbering rendered.

The package is opened with :mod:`zipfile` directly (not python-docx) so that every step is under
our control: legacy and encrypted Word files (OLE containers) are recognised, declared sizes are
checked before anything is inflated (zip bombs), and every XML part goes through
:func:`expertise.documents.xmlsafe.parse_xml` (no entities, no DTDs, no network).

Reading order and ``Location``
------------------------------
The walker goes through ``w:body`` in document order: block by block (``w:p``, ``w:tbl``, and the
contents of block-level ``w:sdt``/``w:customXml``), a table row by row (``w:tr``) and cell by cell
(``w:tc``), each cell's blocks in order, nested tables recursively where they stand. Every
paragraph block carries ``Location("body", index)`` where ``index`` is the position of its ``w:p``
among **all** ``w:p`` elements of ``w:body`` in document order — exactly
``list(body.iter("{w}p")).index(p)``, i.e. a pre-order walk of the XML tree that counts paragraphs
in table cells, and also paragraphs this reader does not turn into blocks (text boxes inside
drawings, both branches of ``mc:AlternateContent``, empty paragraphs, paragraphs deleted as tracked
changes). An annotator that counts ``body.iter(w:p)`` finds the same paragraph again. A ``Table``
carries the location of its first paragraph block.

Text of a paragraph (what Word shows with all tracked changes accepted)
------------------------------------------------------------------------
* runs' ``w:t``; ``w:tab``/``w:ptab`` → "\\t"; ``w:br`` (any type) and ``w:cr`` → "\\n" (a line break
  inside a paragraph often separates a heading from its name, so it is kept as a line break, not
  flattened to a space); ``w:noBreakHyphen`` → "-"; ``w:softHyphen`` dropped; ``w:sym`` → its
  character unless it is a private-use symbol-font code;
* inserted (``w:ins``) and moved-to (``w:moveTo``) text is included; deleted (``w:del``,
  ``w:delText``) and moved-from (``w:moveFrom``) text is not. A deleted row (``w:trPr/w:del``) is
  dropped. A paragraph whose mark is deleted (``w:pPr/w:rPr/w:del``) joins the next paragraph of the
  same container, keeping the first paragraph's style and numbering (as LibreOffice does when it
  accepts the change); its ``Location`` is that of the first ``w:p``. When nothing of such a
  paragraph remains (the whole paragraph was deleted), it simply disappears and the next paragraph
  keeps its own style and numbering — a choice: LibreOffice 7.4 gives the next paragraph the deleted
  one's properties, which would, say, strip the number from a point that follows a deleted
  unnumbered абзац. Where both paragraphs have the same properties (the usual case of a deleted
  point) the two agree, and the oracle test checks that case;
* fields: for complex fields (``w:fldChar`` begin/separate/end, nested) only the result — the runs
  between "separate" and "end" — is kept, the instruction (``w:instrText``) is dropped; a
  ``w:fldSimple`` contributes its result runs. Field marks inside deleted runs still open and close
  fields (Word keeps the marks balanced only counting those); if a damaged file's marks do not pair
  up, open fields are closed at the end of each paragraph;
* contents of ``w:hyperlink``, ``w:smartTag``, ``w:sdt/w:sdtContent``, ``w:customXml``, ``w:dir``,
  ``w:bdo`` are included; for ``mc:AlternateContent`` the ``mc:Fallback`` (else the first
  ``mc:Choice``) is read; math (``m:oMath``) contributes its ``m:t`` text;
* hidden text (``w:vanish``/``w:specVanish`` on the run or its character style) is not shown or
  printed by Word and not included (LibreOffice's text export does include it); drawings, text
  boxes, footnote references and comments are skipped.

Paragraphs with no visible text and no automatic number are not returned (as empty lines of a plain
text file). ``Paragraph.number`` is the label of Word's automatic numbering
(:mod:`expertise.documents.docx_numbering`), ``style`` the paragraph style's name (Word's lowercase
built-in names such as "heading 1" are capitalised: "Heading 1"), ``heading_level`` the outline
level of the paragraph or its style, or N of a "Heading N"/"Заголовок N" style.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from expertise.documents.blocks import Block, Location, Paragraph, RawDocument, Table, first_location
from expertise.documents.docx_numbering import W_MAIN, NumberingResolver
from expertise.documents.xmlsafe import parse_xml
from expertise.errors import InputError

MAX_MEMBER_BYTES = 200 * 1024 * 1024  # declared uncompressed size of one package part
MAX_TOTAL_BYTES = 500 * 1024 * 1024  # declared uncompressed size of the whole package
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .doc, or encrypted OOXML

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
DC_NS = "http://purl.org/dc/elements/1.1/"
_MB = 1024 * 1024

_HEADING_NAME = re.compile(r"^\s*(?:heading|заголовок)\s*([1-9])\s*$", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# The package


class _Package:
    """A DOCX package opened for reading, with Russian errors for everything that can go wrong."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._refuse_ole(path)
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            raise InputError(
                f"Файл «{path}» не является документом DOCX: это не ZIP-архив Office Open XML "
                "(возможно, файл повреждён или сохранён в другом формате)."
            ) from None
        except OSError as exc:
            raise InputError(f"Не удалось открыть «{path}»: {exc.strerror or exc}.") from None
        self._names = {info.filename.lower(): info for info in self.zip.infolist()}
        try:
            self._check_sizes()
        except InputError:
            self.zip.close()
            raise

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> _Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _refuse_ole(self, path: str) -> None:
        try:
            with open(path, "rb") as fh:
                head = fh.read(len(CFB_MAGIC))
                if head != CFB_MAGIC:
                    return
                data = fh.read()
        except OSError as exc:
            raise InputError(f"Не удалось открыть «{path}»: {exc.strerror or exc}.") from None
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            raise InputError(
                f"Файл «{path}» защищён паролем: снимите пароль в Word (Файл → Сведения → "
                "Защита документа → Зашифровать с использованием пароля) и сохраните документ заново."
            )
        raise InputError(
            f"Файл «{path}» — документ Word 97–2003 (.doc), а не DOCX: откройте его в Word "
            "и сохраните в формате «Документ Word (*.docx)»."
        )

    def _check_sizes(self) -> None:
        total = 0
        for info in self.zip.infolist():
            if info.file_size > MAX_MEMBER_BYTES:
                raise InputError(
                    f"Файл «{self.path}» отклонён: часть «{info.filename}» после распаковки заняла бы "
                    f"{info.file_size // _MB} МБ (допускается не более {MAX_MEMBER_BYTES // _MB} МБ)."
                )
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise InputError(
                f"Файл «{self.path}» отклонён: после распаковки его содержимое заняло бы "
                f"{total // _MB} МБ (допускается не более {MAX_TOTAL_BYTES // _MB} МБ)."
            )

    def has(self, name: str) -> bool:
        return name.lower() in self._names

    def read(self, name: str) -> bytes:
        info = self._names[name.lower()]
        if info.flag_bits & 0x1:
            raise InputError(f"Файл «{self.path}» защищён паролем: снимите пароль и сохраните документ заново.")
        try:
            with self.zip.open(info) as fh:
                data = fh.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
            raise InputError(
                f"Файл «{self.path}» повреждён: не удалось распаковать часть «{info.filename}»."
            ) from None
        if len(data) > MAX_MEMBER_BYTES:  # the header lied about the size
            raise InputError(
                f"Файл «{self.path}» отклонён: часть «{info.filename}» после распаковки больше "
                f"{MAX_MEMBER_BYTES // _MB} МБ."
            )
        return data

    def xml(self, name: str) -> Any:
        return parse_xml(self.read(name), part=name, source=self.path)

    def relationships(self, part: str) -> list[tuple[str, str]]:
        """(type, target part name) of the internal relationships of a part ("" for the package)."""
        directory, base = posixpath.split(part)
        rels_name = posixpath.join(directory, "_rels", base + ".rels")
        if not self.has(rels_name):
            return []
        root = self.xml(rels_name)
        found = []
        for rel in root.iter(f"{{{REL_NS}}}Relationship"):
            if (rel.get("TargetMode") or "").lower() == "external":
                continue
            rtype, target = rel.get("Type") or "", rel.get("Target") or ""
            if not target:
                continue
            target = unquote(target)
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(directory, target))
            found.append((rtype, name))
        return found

    def related(self, part: str, type_suffix: str) -> str | None:
        for rtype, name in self.relationships(part):
            if rtype.endswith(type_suffix) and self.has(name) and not name.startswith(".."):
                return name
        return None


def _main_part(package: _Package) -> str:
    name = package.related("", "/officeDocument")
    if name is not None:
        return name
    if package.has("word/document.xml"):
        return "word/document.xml"
    raise InputError(
        f"Файл «{package.path}» не является документом Word DOCX: в архиве нет основной части "
        "документа (word/document.xml)."
    )


def _core_title(package: _Package) -> str | None:
    name = package.related("", "/core-properties") or "docProps/core.xml"
    if not package.has(name):
        return None
    try:
        root = package.xml(name)
    except InputError:
        return None  # document properties are not worth refusing the draft over
    element = root.find(f"{{{DC_NS}}}title")
    if element is None or not (element.text or "").strip():
        return None
    return " ".join(element.text.split())


@dataclass
class LoadedDocx:
    """A DOCX read for annotation: the parsed main part and where each paragraph's text came from."""

    main: str  # part name of the main document («word/document.xml»)
    root: Any  # the parsed main part
    body: Any
    raw: RawDocument
    pieces: dict[Any, list[tuple[int, str, Any, Any]]]  # w:p → (offset, text, element, w:r)
    paragraphs: list[Any]  # every w:p of the body in document order (Location.index)


def load_docx(path: str, record_pieces: bool = False) -> LoadedDocx:
    """Read a DOCX draft; with ``record_pieces`` also keep the XML and the text-to-run mapping."""
    with _Package(path) as package:
        main = _main_part(package)
        document_root = package.xml(main)
        styles_name = package.related(main, "/styles")
        numbering_name = package.related(main, "/numbering")
        if styles_name is None and package.has("word/styles.xml"):
            styles_name = "word/styles.xml"
        if numbering_name is None and package.has("word/numbering.xml"):
            numbering_name = "word/numbering.xml"
        styles_root = package.xml(styles_name) if styles_name else None
        numbering_root = package.xml(numbering_name) if numbering_name else None
        title = _core_title(package)
        extra_roots = _other_part_roots(package, main)
    ns = _namespace(document_root)
    body = document_root.find(f"{{{ns}}}body")
    blocks: list[Block] = []
    pieces: dict[Any, list[tuple[int, str, Any, Any]]] = {}
    paragraphs: list[Any] = []
    if body is not None:
        walker = BodyWalker(body, NumberingResolver(numbering_root, styles_root), _Styles(styles_root, ns), ns)
        if record_pieces:
            walker.pieces = pieces
        blocks = walker.walk()
        paragraphs = list(body.iter(f"{{{ns}}}p"))
    raw = RawDocument(path=path, format="docx", blocks=blocks, title=title)
    styles = _Styles(styles_root, ns)
    for part_name, root in extra_roots:
        walker = BodyWalker(root, NumberingResolver(numbering_root, styles_root), styles, ns, part=part_name)
        if root.tag == f"{{{ns}}}footnotes" or root.tag == f"{{{ns}}}endnotes":
            notes = [n for n in root if n.get(f"{{{ns}}}type") in (None, "normal")]
            part_blocks = [b for note in notes for b in walker._blocks(note)]
        else:
            part_blocks = walker.walk()
        if part_blocks:
            raw.other_parts[part_name] = part_blocks
    return LoadedDocx(main, document_root, body, raw, pieces, paragraphs)


def _other_part_roots(package: _Package, main: str) -> list[tuple[str, Any]]:
    """Headers, footers, footnotes and endnotes of the main part, named «header1», «footnotes» …"""
    out = []
    for rtype, name in package.relationships(main):
        kind = rtype.rsplit("/", 1)[-1]
        if kind in ("header", "footer", "footnotes", "endnotes") and package.has(name):
            label = posixpath.splitext(posixpath.basename(name))[0]
            out.append((label, package.xml(name)))
    return sorted(out, key=lambda item: item[0])


def read_docx(path: str) -> RawDocument:
    """Read a DOCX draft: body paragraphs and tables in reading order, numbering rendered."""
    return load_docx(path).raw


def _namespace(root: Any) -> str:
    tag = root.tag if isinstance(root.tag, str) else ""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else W_MAIN


# --------------------------------------------------------------------------------------------
# Styles: names, outline levels, hidden character styles


class _Styles:
    def __init__(self, root: Any | None, ns: str) -> None:
        self._ns = ns
        self._styles: dict[str, Any] = {}
        self.default_paragraph: str | None = None
        if root is None:
            return
        for style in root.findall(self._w("style")):
            sid = style.get(self._w("styleId"))
            if sid is None or sid in self._styles:
                continue
            self._styles[sid] = style
            default = style.get(self._w("default"))
            if (style.get(self._w("type")) == "paragraph" and default is not None
                    and default.lower() in ("1", "true", "on") and self.default_paragraph is None):
                self.default_paragraph = sid

    def _w(self, name: str) -> str:
        return f"{{{self._ns}}}{name}"

    def _chain(self, sid: str | None) -> list[Any]:
        chain: list[Any] = []
        seen: set[str] = set()
        while sid and sid in self._styles and sid not in seen and len(chain) < 32:
            seen.add(sid)
            style = self._styles[sid]
            chain.append(style)
            based = style.find(self._w("basedOn"))
            sid = based.get(self._w("val")) if based is not None else None
        return chain

    def name(self, sid: str | None) -> str | None:
        style = self._styles.get(sid or "")
        if style is None:
            return None
        element = style.find(self._w("name"))
        name = element.get(self._w("val")) if element is not None else None
        if not name:
            return sid
        if name.isascii() and name[:1].islower():
            name = name[0].upper() + name[1:]  # Word's built-in "heading 1" is shown as "Heading 1"
        return name

    def outline_level(self, sid: str | None) -> int | None:
        for style in self._chain(sid):
            ppr = style.find(self._w("pPr"))
            level = ppr.find(self._w("outlineLvl")) if ppr is not None else None
            if level is not None:
                return _outline(level.get(self._w("val")))
        return None

    def hides(self, sid: str | None) -> bool:
        """Whether a character style makes its text hidden."""
        for style in self._chain(sid):
            rpr = style.find(self._w("rPr"))
            if rpr is not None:
                for tag in ("vanish", "specVanish"):
                    element = rpr.find(self._w(tag))
                    if element is not None:
                        return _on(element.get(self._w("val")))
        return False


def _outline(value: str | None) -> int | None:
    try:
        level = int(value or "")
    except ValueError:
        return None
    return level + 1 if 0 <= level <= 8 else None


def _on(value: str | None) -> bool:
    return value is None or value.strip().lower() not in ("0", "false", "off")


# --------------------------------------------------------------------------------------------
# The body walker


class BodyWalker:
    """Walks ``w:body`` in document order into blocks (see the module docstring for the rules)."""

    def __init__(self, body: Any, resolver: NumberingResolver, styles: _Styles, ns: str = W_MAIN,
                 part: str = "body") -> None:
        self._ns = ns
        self.part = part  # Location.part of what this walker emits: "body", "header1", "footnotes" …
        self.body = body
        self.resolver = resolver
        self.styles = styles
        t = self._w
        self.index_of: dict[Any, int] = {p: i for i, p in enumerate(body.iter(t("p")))}
        self._fields: list[bool] = []  # complex fields: True once past "separate" (in the result)
        # When not None, every piece of visible text is recorded per paragraph as
        # (offset in the paragraph's text, text, source element, its w:r) — the annotator uses
        # this to find the exact runs of a quote again.
        self.pieces: dict[Any, list[tuple[int, str, Any, Any]]] | None = None
        self._current_p: Any = None
        self._current_len = 0
        # Fields may span paragraphs (a table of contents), so the stack normally lives through the
        # whole body; in a damaged file whose begin/end marks do not pair up it is reset at every
        # paragraph, so that one broken field cannot swallow the rest of the draft.
        kinds = [f.get(t("fldCharType")) for f in body.iter(t("fldChar"))]
        self._fields_balanced = kinds.count("begin") == kinds.count("end")
        self._P, self._TBL, self._R = t("p"), t("tbl"), t("r")
        self._INLINE_CONTAINERS = {t("hyperlink"), t("smartTag"), t("customXml"), t("ins"),
                                   t("moveTo"), t("fldSimple"), t("dir"), t("bdo")}

    def _w(self, name: str) -> str:
        return f"{{{self._ns}}}{name}"

    def walk(self) -> list[Block]:
        return self._blocks(self.body)

    # -- blocks ------------------------------------------------------------------------------

    def _block_children(self, container: Any):
        """Block-level children, looking through w:sdt, w:customXml and mc:AlternateContent."""
        for child in container:
            tag = child.tag
            if tag == self._P or tag == self._TBL:
                yield child
            elif tag == self._w("sdt"):
                content = child.find(self._w("sdtContent"))
                if content is not None:
                    yield from self._block_children(content)
            elif tag == self._w("customXml"):
                yield from self._block_children(child)
            elif tag == f"{{{MC_NS}}}AlternateContent":
                branch = _alternate_branch(child)
                if branch is not None:
                    yield from self._block_children(branch)

    def _blocks(self, container: Any) -> list[Block]:
        blocks: list[Block] = []
        carry: tuple[Any, list[str]] | None = None  # a paragraph whose mark was deleted, joining on
        for child in self._block_children(container):
            if child.tag == self._TBL:
                if carry is not None:
                    self._emit(blocks, carry[0], "".join(carry[1]))
                    carry = None
                table = self._table(child)
                if table is not None:
                    blocks.append(table)
                continue
            parts: list[str] = []
            self._current_p, self._current_len = child, 0
            self._inline(child, parts)
            text = "".join(parts)
            if not self._fields_balanced:
                self._fields.clear()
            if self._mark_deleted(child):
                if carry is None:
                    if text.strip():  # a wholly deleted paragraph just disappears
                        carry = (child, [text])
                else:
                    carry[1].append(text)
                continue
            if carry is not None:
                self._emit(blocks, carry[0], "".join(carry[1]) + text)
                carry = None
            else:
                self._emit(blocks, child, text)
        if carry is not None:
            self._emit(blocks, carry[0], "".join(carry[1]))
        return blocks

    def _emit(self, blocks: list[Block], p: Any, text: str) -> None:
        number = self.resolver.label_for(p)
        if number is None and not text.strip():
            return
        ppr = p.find(self._w("pPr"))
        style_id = self._val(ppr, "pStyle") or self.styles.default_paragraph
        direct = ppr.find(self._w("outlineLvl")) if ppr is not None else None
        if direct is not None:
            heading = _outline(direct.get(self._w("val")))
        else:
            heading = self.styles.outline_level(style_id)
        style = self.styles.name(style_id)
        if heading is None and direct is None and style:
            match = _HEADING_NAME.match(style)
            if match:
                heading = int(match.group(1))
        blocks.append(Paragraph(text=text, location=Location(self.part, self.index_of.get(p, -1)),
                                number=number, style=style, heading_level=heading))

    def _mark_deleted(self, p: Any) -> bool:
        ppr = p.find(self._w("pPr"))
        rpr = ppr.find(self._w("rPr")) if ppr is not None else None
        return rpr is not None and (rpr.find(self._w("del")) is not None
                                    or rpr.find(self._w("moveFrom")) is not None)

    def _val(self, element: Any, name: str) -> str | None:
        if element is None:
            return None
        child = element.find(self._w(name))
        return child.get(self._w("val")) if child is not None else None

    # -- tables ------------------------------------------------------------------------------

    def _rows(self, tbl: Any):
        yield from self._wrapped(tbl, self._w("tr"))

    def _wrapped(self, parent: Any, tag: str):
        """Children with ``tag``, looking through w:sdt/w:sdtContent and w:customXml wrappers."""
        for child in parent:
            if child.tag == tag:
                yield child
            elif child.tag == self._w("sdt"):
                content = child.find(self._w("sdtContent"))
                if content is not None:
                    yield from self._wrapped(content, tag)
            elif child.tag == self._w("customXml"):
                yield from self._wrapped(child, tag)

    def _table(self, tbl: Any) -> Table | None:
        """A table row by row, cell by cell; None when every row was deleted."""
        rows: list[list[list[Block]]] = []
        for tr in self._rows(tbl):
            trpr = tr.find(self._w("trPr"))
            if trpr is not None and trpr.find(self._w("del")) is not None:
                continue  # a deleted row (tracked change)
            rows.append([self._blocks(tc) for tc in self._wrapped(tr, self._w("tc"))])
        if not rows:
            return None
        location = first_location(rows)
        if location is None:
            first = next(tbl.iter(self._P), None)
            location = Location(self.part, self.index_of.get(first, -1) if first is not None else -1)
        return Table(rows=rows, location=location)

    # -- inline content ----------------------------------------------------------------------

    def _inline(self, element: Any, parts: list[str]) -> None:
        for child in element:
            tag = child.tag
            if tag == self._R:
                self._run(child, parts)
            elif tag in self._INLINE_CONTAINERS:
                self._inline(child, parts)
            elif tag == self._w("sdt"):
                content = child.find(self._w("sdtContent"))
                if content is not None:
                    self._inline(content, parts)
            elif tag == f"{{{MC_NS}}}AlternateContent":
                branch = _alternate_branch(child)
                if branch is not None:
                    self._inline(branch, parts)
            elif tag in (f"{{{MATH_NS}}}oMath", f"{{{MATH_NS}}}oMathPara"):
                if all(self._fields):
                    parts.extend(t.text or "" for t in child.iter(f"{{{MATH_NS}}}t"))
            elif tag in (self._w("del"), self._w("moveFrom")):
                # no text, but field boundaries inside still count: the XML keeps fields balanced
                # only when deleted runs are included, so a half-deleted field cannot swallow the rest
                for fld in child.iter(self._w("fldChar")):
                    self._field_char(fld)
            # w:pPr, bookmarks, comments, proofing marks: nothing to show

    def _field_char(self, fld: Any) -> None:
        kind = fld.get(self._w("fldCharType"))
        if kind == "begin":
            self._fields.append(False)
        elif kind == "separate" and self._fields:
            self._fields[-1] = True
        elif kind == "end" and self._fields:
            self._fields.pop()

    def _run_hidden(self, r: Any) -> bool:
        rpr = r.find(self._w("rPr"))
        if rpr is None:
            return False
        for tag in ("vanish", "specVanish"):
            element = rpr.find(self._w(tag))
            if element is not None:
                return _on(element.get(self._w("val")))
        return self.styles.hides(self._val(rpr, "rStyle"))

    def _run(self, r: Any, parts: list[str]) -> None:
        hidden = self._run_hidden(r)
        self._run_content(r, parts, hidden)

    def _run_content(self, r: Any, parts: list[str], hidden: bool) -> None:
        w = self._w
        for child in r:
            tag = child.tag
            if tag == w("fldChar"):
                self._field_char(child)
                continue
            if tag == f"{{{MC_NS}}}AlternateContent":
                branch = _alternate_branch(child)
                if branch is not None:
                    self._run_content(branch, parts, hidden)
                continue
            if hidden or not all(self._fields):
                continue
            if tag == w("t"):
                piece = child.text or ""
            elif tag in (w("tab"), w("ptab")):
                piece = "\t"
            elif tag in (w("br"), w("cr")):
                piece = "\n"
            elif tag == w("noBreakHyphen"):
                piece = "-"
            elif tag == w("sym"):
                piece = _symbol(child.get(w("char")))
            else:
                continue  # w:softHyphen, w:instrText, w:delText, drawings, note references: nothing
            parts.append(piece)
            if self.pieces is not None and piece:
                self.pieces.setdefault(self._current_p, []).append((self._current_len, piece, child, r))
            self._current_len += len(piece)


def _symbol(code: str | None) -> str:
    try:
        value = int(code or "", 16)
    except ValueError:
        return ""
    if 0xE000 <= value <= 0xF8FF or value < 0x20 or value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return ""  # a symbol-font glyph with no Unicode meaning
    return chr(value)


def _alternate_branch(element: Any) -> Any | None:
    fallback = element.find(f"{{{MC_NS}}}Fallback")
    if fallback is not None:
        return fallback
    return element.find(f"{{{MC_NS}}}Choice")


__all__ = ["BodyWalker", "MAX_MEMBER_BYTES", "MAX_TOTAL_BYTES", "read_docx"]
