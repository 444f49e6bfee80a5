"""Real DOCX fixtures for the reader tests: python-docx's default template plus hand-written parts.

Automatic numbering is made the way Word makes it — a ``word/numbering.xml`` with ``w:abstractNum``
and ``w:num`` definitions and ``w:numPr`` on the paragraphs (or on a paragraph style) — never typed
into the text. Tracked changes, fields and nested tables are written as the WordprocessingML that
Word itself writes, so both our reader and LibreOffice (the oracle) see the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = f'xmlns:w="{W_NS}"'


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


@dataclass
class Level:
    """One ``w:lvl`` of an abstract numbering definition."""

    ilvl: int
    fmt: str = "decimal"
    text: str = "%1."
    start: int | None = 1
    restart: int | None = None  # w:lvlRestart
    is_lgl: bool = False
    pstyle: str | None = None  # w:pStyle: the level is linked to a paragraph style
    suff: str | None = None  # "tab" (default), "space", "nothing"

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
        if self.suff:
            parts.append(f'<w:suff w:val="{self.suff}"/>')
        parts.append(f'<w:lvlText w:val="{_attr(self.text)}"/>')
        parts.append('<w:lvlJc w:val="left"/>')
        indent = 360 * (self.ilvl + 1)
        parts.append(f'<w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr>')
        parts.append("</w:lvl>")
        return "".join(parts)


@dataclass
class AbstractNum:
    aid: int
    levels: list[Level] = field(default_factory=list)
    style_link: str | None = None  # w:styleLink: this definition *is* the numbering style
    num_style_link: str | None = None  # w:numStyleLink: take the levels from a numbering style
    multi: str = "multilevel"

    def xml(self) -> str:
        parts = [f'<w:abstractNum w:abstractNumId="{self.aid}">',
                 f'<w:multiLevelType w:val="{self.multi}"/>']
        if self.style_link:
            parts.append(f'<w:styleLink w:val="{self.style_link}"/>')
        if self.num_style_link:
            parts.append(f'<w:numStyleLink w:val="{self.num_style_link}"/>')
        parts.extend(level.xml() for level in self.levels)
        parts.append("</w:abstractNum>")
        return "".join(parts)


@dataclass
class Num:
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
    return f'<w:numbering {NSDECL}>{body}</w:numbering>'


def run(text: str) -> str:
    """A plain run (``w:r``/``w:t``) with spaces preserved."""
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def inserted(text: str, rid: int = 1) -> str:
    return (f'<w:ins w:id="{rid}" w:author="Редактор" w:date="2025-01-01T00:00:00Z">'
            f"{run(text)}</w:ins>")


def deleted(text: str, rid: int = 2) -> str:
    return (f'<w:del w:id="{rid}" w:author="Редактор" w:date="2025-01-01T00:00:00Z">'
            f'<w:r><w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>')


def complex_field(instruction: str, result: str) -> str:
    """A field as Word writes it: begin, instruction, separate, result, end."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f"{run(result)}"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def simple_field(instruction: str, result: str) -> str:
    return f'<w:fldSimple w:instr=" {_attr(instruction)} ">{run(result)}</w:fldSimple>'


def paragraph_xml(content: str, num: int | None = None, ilvl: int | None = 0,
                  style: str | None = None) -> str:
    """A ``w:p`` with optional style and numbering; ``content`` is run-level XML."""
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if num is not None:
        lvl = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
        ppr += f'<w:numPr>{lvl}<w:numId w:val="{num}"/></w:numPr>'
    ppr = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    return f"<w:p {NSDECL}>{ppr}{content}</w:p>"


def table_xml(rows: list[list[str]]) -> str:
    """A ``w:tbl``; each cell is block-level XML (paragraphs, nested tables)."""
    ncols = max(len(r) for r in rows)
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(ncols))
    trs = []
    for row in rows:
        tcs = "".join(f'<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>{cell}</w:tc>' for cell in row)
        trs.append(f"<w:tr>{tcs}</w:tr>")
    return (f'<w:tbl {NSDECL}><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(trs)}</w:tbl>")


def cell(*paragraph_texts: str) -> str:
    return "".join(paragraph_xml(run(t)) for t in paragraph_texts)


class DocxBuilder:
    """Build a DOCX: paragraphs, tables and numbering definitions appended in order."""

    def __init__(self) -> None:
        self.doc = docx.Document()
        body = self.doc.element.body
        for child in list(body):
            if child.tag != f"{{{W_NS}}}sectPr":
                body.remove(child)
        self._sect = body.find(f"{{{W_NS}}}sectPr")

    def _append(self, xml: str) -> None:
        element = parse_xml(xml)
        if self._sect is not None:
            self._sect.addprevious(element)
        else:
            self.doc.element.body.append(element)

    def para(self, text: str = "", num: int | None = None, ilvl: int | None = 0,
             style: str | None = None) -> DocxBuilder:
        return self.raw_para(run(text) if text else "", num=num, ilvl=ilvl, style=style)

    def raw_para(self, content: str, num: int | None = None, ilvl: int | None = 0,
                 style: str | None = None) -> DocxBuilder:
        self._append(paragraph_xml(content, num=num, ilvl=ilvl, style=style))
        return self

    def table(self, rows: list[list[str]]) -> DocxBuilder:
        self._append(table_xml(rows))
        return self

    def numbering(self, abstracts: list[AbstractNum], nums: list[Num]) -> DocxBuilder:
        """Replace the template's numbering part with these definitions."""
        part = self.doc.part.numbering_part
        part._element = parse_xml(numbering_xml(abstracts, nums))
        return self

    def style(self, style_id: str, name: str, *, num: int | None = None, ilvl: int | None = None,
              based_on: str | None = None, outline: int | None = None,
              kind: str = "paragraph") -> DocxBuilder:
        """Add a style; a paragraph style may carry ``w:numPr`` (style-linked numbering)."""
        ppr = ""
        if num is not None:
            lvl = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
            ppr += f'<w:numPr>{lvl}<w:numId w:val="{num}"/></w:numPr>'
        if outline is not None:
            ppr += f'<w:outlineLvl w:val="{outline}"/>'
        xml = (f'<w:style {NSDECL} w:type="{kind}" w:customStyle="1" w:styleId="{style_id}">'
               f'<w:name w:val="{escape(name)}"/>'
               + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
               + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
               + "</w:style>")
        self.doc.styles.element.append(parse_xml(xml))
        return self

    def title(self, title: str) -> DocxBuilder:
        self.doc.core_properties.title = title
        return self

    def save(self, path) -> str:
        self.doc.save(str(path))
        return str(path)


__all__ = ["AbstractNum", "DocxBuilder", "Level", "Num", "RT", "cell", "complex_field", "deleted",
           "inserted", "numbering_xml", "paragraph_xml", "run", "simple_field", "table_xml"]
