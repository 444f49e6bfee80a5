"""Real DOCX fixtures for the reader tests: python-docx's default template plus hand-written parts.

Automatic numbering is made the way Word makes it — a ``word/numbering.xml`` with ``w:abstractNum``
and ``w:num`` definitions and ``w:numPr`` on the paragraphs (or on a paragraph style) — never typed
into the text. Tracked changes, fields and nested tables are written as the WordprocessingML that
Word itself writes, so both our reader and LibreOffice (the oracle) read the same file.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
V_NS = "urn:schemas-microsoft-com:vml"
NSDECL = f'xmlns:w="{W_NS}"'
_REVISION = 'w:author="Редактор" w:date="2025-01-01T00:00:00Z"'


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


# --------------------------------------------------------------------------------------------
# numbering.xml


@dataclass
class Level:
    """One ``w:lvl`` of an abstract numbering definition."""

    ilvl: int
    fmt: str = "decimal"
    text: str = "%1."
    start: int | None = 1  # None: no w:start
    restart: int | None = None  # w:lvlRestart
    is_lgl: bool = False
    pstyle: str | None = None  # w:pStyle: the paragraph style linked to this level

    def xml(self) -> str:
        parts = [f'<w:lvl w:ilvl="{self.ilvl}">']
        if self.start is not None:
            parts.append(f'<w:start w:val="{self.start}"/>')
        parts.append(f'<w:numFmt w:val="{self.fmt}"/>')
        if self.restart is not None:
            parts.append(f'<w:lvlRestart w:val="{self.restart}"/>')
        if self.pstyle:
            parts.append(f'<w:pStyle w:val="{self.pstyle}"/>')
        if self.is_lgl:
            parts.append("<w:isLgl/>")
        parts.append(f'<w:lvlText w:val="{_attr(self.text)}"/>')
        parts.append('<w:lvlJc w:val="left"/>')
        indent = 360 * (self.ilvl + 1)
        parts.append(f'<w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr>')
        parts.append("</w:lvl>")
        return "".join(parts)


@dataclass
class AbstractNum:
    """A ``w:abstractNum``: the levels of a list (or a link to a numbering style)."""

    aid: int
    levels: list[Level] = field(default_factory=list)
    style_link: str | None = None  # w:styleLink: this definition is the numbering style's
    num_style_link: str | None = None  # w:numStyleLink: take the levels from a numbering style

    def xml(self) -> str:
        parts = [f'<w:abstractNum w:abstractNumId="{self.aid}">',
                 '<w:multiLevelType w:val="multilevel"/>']
        if self.style_link:
            parts.append(f'<w:styleLink w:val="{self.style_link}"/>')
        if self.num_style_link:
            parts.append(f'<w:numStyleLink w:val="{self.num_style_link}"/>')
        parts.extend(level.xml() for level in self.levels)
        parts.append("</w:abstractNum>")
        return "".join(parts)


@dataclass
class Num:
    """A ``w:num`` (list instance) with optional ``w:lvlOverride``s."""

    num_id: int
    aid: int
    start_overrides: dict[int, int] = field(default_factory=dict)  # ilvl → w:startOverride
    level_overrides: list[Level] = field(default_factory=list)  # whole w:lvl replaced

    def xml(self) -> str:
        parts = [f'<w:num w:numId="{self.num_id}"><w:abstractNumId w:val="{self.aid}"/>']
        levels = {lv.ilvl: lv for lv in self.level_overrides}
        for ilvl in sorted(set(self.start_overrides) | set(levels)):
            parts.append(f'<w:lvlOverride w:ilvl="{ilvl}">')
            if ilvl in self.start_overrides:
                parts.append(f'<w:startOverride w:val="{self.start_overrides[ilvl]}"/>')
            if ilvl in levels:
                parts.append(levels[ilvl].xml())
            parts.append("</w:lvlOverride>")
        parts.append("</w:num>")
        return "".join(parts)


def numbering_xml(abstracts: list[AbstractNum], nums: list[Num]) -> str:
    body = "".join(a.xml() for a in abstracts) + "".join(n.xml() for n in nums)
    return f"<w:numbering {NSDECL}>{body}</w:numbering>"


# --------------------------------------------------------------------------------------------
# run-level content


def run(text: str, hidden: bool = False) -> str:
    """A plain run (``w:r``/``w:t``) with spaces preserved."""
    rpr = "<w:rPr><w:vanish/></w:rPr>" if hidden else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def raw_run(inner: str) -> str:
    """A run with hand-written content (``w:tab``, ``w:br``, ``w:noBreakHyphen`` …)."""
    return f"<w:r>{inner}</w:r>"


def inserted(text: str, rid: int = 101) -> str:
    return f'<w:ins w:id="{rid}" {_REVISION}>{run(text)}</w:ins>'


def deleted(text: str, rid: int = 102) -> str:
    return (f'<w:del w:id="{rid}" {_REVISION}>'
            f'<w:r><w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>')


def moved_from(text: str, rid: int = 103) -> str:
    return (f'<w:moveFromRangeStart w:id="{rid}" w:name="move1" {_REVISION}/>'
            f'<w:moveFrom w:id="{rid + 1}" {_REVISION}>'
            f'<w:r><w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:moveFrom>'
            f'<w:moveFromRangeEnd w:id="{rid}"/>')


def moved_to(text: str, rid: int = 105) -> str:
    return (f'<w:moveToRangeStart w:id="{rid}" w:name="move1" {_REVISION}/>'
            f'<w:moveTo w:id="{rid + 1}" {_REVISION}>{run(text)}</w:moveTo>'
            f'<w:moveToRangeEnd w:id="{rid}"/>')


def deleted_field(instruction: str, result: str, rid: int = 107) -> str:
    """A whole complex field deleted as a tracked change."""
    return (f'<w:del w:id="{rid}" {_REVISION}><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:delInstrText xml:space="preserve"> {escape(instruction)} </w:delInstrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:delText xml:space="preserve">{escape(result)}</w:delText></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:del>')


def field_begin() -> str:
    return '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'


def field_instruction(instruction: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'


def field_separate() -> str:
    return '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'


def field_end() -> str:
    return '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def complex_field(instruction: str, result: str) -> str:
    """A field as Word writes it: begin, instruction, separate, result, end."""
    return field_begin() + field_instruction(instruction) + field_separate() + run(result) + field_end()


def simple_field(instruction: str, result: str) -> str:
    return f'<w:fldSimple w:instr=" {_attr(instruction)} ">{run(result)}</w:fldSimple>'


def hyperlink(text: str, anchor: str = "_Toc1") -> str:
    return f'<w:hyperlink w:anchor="{anchor}">{run(text)}</w:hyperlink>'


def smart_tag(text: str) -> str:
    return f'<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">{run(text)}</w:smartTag>'


def content_control(text: str) -> str:
    return f'<w:sdt><w:sdtPr><w:alias w:val="Поле"/></w:sdtPr><w:sdtContent>{run(text)}</w:sdtContent></w:sdt>'


def custom_xml(text: str) -> str:
    return f'<w:customXml w:element="fragment">{run(text)}</w:customXml>'


def text_box(*texts: str) -> str:
    """A VML text box in a run: its paragraphs are ``w:p`` elements inside the body's paragraph."""
    inner = "".join(paragraph_xml(run(t)) for t in texts)
    return (f'<w:r><w:pict><v:shape xmlns:v="{V_NS}" style="width:100pt;height:40pt">'
            f"<v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>")


# --------------------------------------------------------------------------------------------
# block-level content


def paragraph_xml(content: str = "", num: int | None = None, ilvl: int | None = 0,
                  style: str | None = None, mark: str | None = None) -> str:
    """A ``w:p`` with optional style, numbering and tracked paragraph mark ("inserted"/"deleted").

    ``content`` is run-level XML; ``ilvl=None`` writes a ``w:numPr`` without ``w:ilvl`` (for a
    ``w:numPr`` with only ``w:ilvl`` use :func:`level_only_paragraph`).
    """
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if num is not None:
        lvl = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
        ppr += f'<w:numPr>{lvl}<w:numId w:val="{num}"/></w:numPr>'
    if mark == "deleted":
        ppr += f'<w:rPr><w:del w:id="201" {_REVISION}/></w:rPr>'
    elif mark == "inserted":
        ppr += f'<w:rPr><w:ins w:id="202" {_REVISION}/></w:rPr>'
    ppr = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    return f"<w:p {NSDECL}>{ppr}{content}</w:p>"


def level_only_paragraph(content: str, style: str, ilvl: int) -> str:
    """A paragraph whose ``w:numPr`` has only ``w:ilvl``: the list comes from its style."""
    return (f'<w:p {NSDECL}><w:pPr><w:pStyle w:val="{style}"/><w:numPr><w:ilvl w:val="{ilvl}"/>'
            f"</w:numPr></w:pPr>{content}</w:p>")


def cell(*paragraph_texts: str) -> str:
    """Block-level XML of a table cell: one paragraph per text."""
    return "".join(paragraph_xml(run(t)) for t in paragraph_texts)


def table_xml(rows: list[list[str]], deleted_rows: tuple[int, ...] = ()) -> str:
    """A ``w:tbl``; each cell is block-level XML (paragraphs, nested tables)."""
    ncols = max(len(r) for r in rows)
    grid = "".join('<w:gridCol w:w="2400"/>' for _ in range(ncols))
    trs = []
    for i, row in enumerate(rows):
        trpr = f'<w:trPr><w:del w:id="{300 + i}" {_REVISION}/></w:trPr>' if i in deleted_rows else ""
        tcs = "".join(f'<w:tc><w:tcPr><w:tcW w:w="2400" w:type="dxa"/></w:tcPr>{c or paragraph_xml()}</w:tc>'
                      for c in row)
        trs.append(f"<w:tr>{trpr}{tcs}</w:tr>")
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    return (f'<w:tbl {NSDECL}><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}'
            f"</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(trs)}</w:tbl>")


def content_control_block(block_xml: str) -> str:
    return f"<w:sdt {NSDECL}><w:sdtPr/><w:sdtContent>{block_xml}</w:sdtContent></w:sdt>"


# --------------------------------------------------------------------------------------------
# the document


class DocxBuilder:
    """Build a DOCX: blocks appended in order, numbering definitions and styles added."""

    def __init__(self) -> None:
        self.doc = docx.Document()
        body = self.doc.element.body
        for child in list(body):
            if child.tag != f"{{{W_NS}}}sectPr":
                body.remove(child)
        self._sect = body.find(f"{{{W_NS}}}sectPr")

    def block(self, xml: str) -> DocxBuilder:
        """Append block-level XML (``w:p``, ``w:tbl``, ``w:sdt``) before the section properties."""
        element = parse_xml(xml)
        if self._sect is not None:
            self._sect.addprevious(element)
        else:
            self.doc.element.body.append(element)
        return self

    def para(self, text: str = "", num: int | None = None, ilvl: int | None = 0,
             style: str | None = None) -> DocxBuilder:
        return self.block(paragraph_xml(run(text) if text else "", num=num, ilvl=ilvl, style=style))

    def raw_para(self, content: str, num: int | None = None, ilvl: int | None = 0,
                 style: str | None = None, mark: str | None = None) -> DocxBuilder:
        return self.block(paragraph_xml(content, num=num, ilvl=ilvl, style=style, mark=mark))

    def table(self, rows: list[list[str]], deleted_rows: tuple[int, ...] = ()) -> DocxBuilder:
        return self.block(table_xml(rows, deleted_rows))

    def numbering(self, abstracts: list[AbstractNum], nums: list[Num]) -> DocxBuilder:
        """Replace the template's numbering part with these definitions."""
        self.doc.part.numbering_part._element = parse_xml(numbering_xml(abstracts, nums))
        return self

    def style(self, style_id: str, name: str, *, num: int | None = None, ilvl: int | None = None,
              based_on: str | None = None, outline: int | None = None, kind: str = "paragraph",
              hidden: bool = False) -> DocxBuilder:
        """Add a style; a paragraph (or numbering) style may carry ``w:numPr``."""
        ppr = ""
        if num is not None:
            lvl = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
            ppr += f'<w:numPr>{lvl}<w:numId w:val="{num}"/></w:numPr>'
        if outline is not None:
            ppr += f'<w:outlineLvl w:val="{outline}"/>'
        xml = (f'<w:style {NSDECL} w:type="{kind}" w:customStyle="1" w:styleId="{style_id}">'
               f'<w:name w:val="{_attr(name)}"/>'
               + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
               + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
               + ("<w:rPr><w:vanish/></w:rPr>" if hidden else "")
               + "</w:style>")
        self.doc.styles.element.append(parse_xml(xml))
        return self

    def title(self, title: str) -> DocxBuilder:
        self.doc.core_properties.title = title
        return self

    def save(self, path: str | Path) -> str:
        self.doc.save(str(path))
        return str(path)


def rewrite_package(src: str | Path, dst: str | Path, replace: dict[str, bytes | None]) -> str:
    """Copy a DOCX, replacing (bytes), dropping (None) or adding package members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in replace:
                continue
            zout.writestr(info, zin.read(info))
        for name, data in replace.items():
            if data is not None:
                zout.writestr(name, data)
    return str(dst)


def forge_declared_sizes(src: str | Path, dst: str | Path, sizes: dict[str, int]) -> str:
    """Copy a zip, lying in the central directory about members' uncompressed sizes (zip bomb)."""
    data = bytearray(Path(src).read_bytes())
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        name_len = int.from_bytes(data[pos + 28:pos + 30], "little")
        name = bytes(data[pos + 46:pos + 46 + name_len]).decode("utf-8")
        if name in sizes:
            data[pos + 24:pos + 28] = sizes[name].to_bytes(4, "little")
        pos += 46
    Path(dst).write_bytes(bytes(data))
    return str(dst)
