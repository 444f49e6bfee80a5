"""Generate the DOCX templates of the opinion (templates/{independent,departmental,table}.docx).

The templates are Word documents with Jinja2 tags for docxtpl (``{{ … }}``, ``{%p … %}`` for whole
paragraphs, ``{%tr … %}`` for table rows). Their look lives in named styles, not in direct formatting:

* «Обычный» (Normal): Times New Roman 14, justified, first-line indent 1.25 cm, single spacing, Russian;
* «Заключение — адресат»: the addressee block on the right (indent 9 cm);
* «Заключение — заголовок»: the title, centred and bold;
* «Заключение — раздел»: a heading inside the opinion (a factor group, «Иные положения»), bold;
* «Заключение — пункт»: a finding (space before it, kept with its justification);
* «Заключение — таблица»: text in the table of factors, 12 pt, no indent, left-aligned;
* «Заключение — шапка таблицы»: the table's header row, 12 pt bold centred;
* «Заключение — подпись», «Заключение — подпись в таблице», «Заключение — расшифровка»: the signature
  block (position; date, signature, initials and surname) and the captions under it;
* table style «Table Grid» (single borders) for the table of factors, header row repeated on every page.

A4, margins 2 / 2 / 3 / 1.5 cm, page numbers at the top centre from the second page.

Run from the repository root after changing it: ``.venv/bin/python scripts/make_opinion_templates.py``
(``tests/test_opinion.py`` checks that the shipped templates are what this script makes).
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Times New Roman"
ROOT = Path(__file__).resolve().parents[1]

LAW_172 = ("Федерального закона от 17.07.2009 № 172-ФЗ «Об антикоррупционной экспертизе нормативных правовых "
           "актов и проектов нормативных правовых актов»")
METHODIKA_INSTR = ("Методикой проведения антикоррупционной экспертизы нормативных правовых актов и проектов "
                   "нормативных правовых актов, утвержденной постановлением Правительства Российской Федерации "
                   "от 26.02.2010 № 96 (далее — Методика)")
BLANK = "____________________"


def _fonts(rpr_owner, size: float | None = None, bold: bool | None = None) -> None:
    font = rpr_owner.font
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = rpr_owner.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), FONT)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "ru-RU")
    lang.set(qn("w:eastAsia"), "ru-RU")
    lang.set(qn("w:bidi"), "ar-SA")
    if size is not None:
        szcs = rpr.find(qn("w:szCs"))
        if szcs is None:
            szcs = OxmlElement("w:szCs")
            rpr.append(szcs)
        szcs.set(qn("w:val"), str(int(size * 2)))


def _paragraph_style(doc, name: str, *, size=14, bold=False, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first=1.25,
                     left=0.0, before=0, after=0, keep_next=False):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    _fonts(style, size, bold)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Cm(first) if first else Cm(0)
    fmt.left_indent = Cm(left)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.keep_with_next = keep_next
    fmt.widow_control = True
    return style


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _fonts(normal, 14, False)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Cm(1.25)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    fmt.widow_control = True
    _paragraph_style(doc, "Заключение — адресат", align=WD_ALIGN_PARAGRAPH.LEFT, first=0, left=9, after=18)
    _paragraph_style(doc, "Заключение — заголовок", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, first=0,
                     keep_next=True)
    _paragraph_style(doc, "Заключение — подзаголовок", align=WD_ALIGN_PARAGRAPH.CENTER, first=0, after=12,
                     keep_next=True)
    _paragraph_style(doc, "Заключение — раздел", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, before=12, after=6,
                     keep_next=True)
    _paragraph_style(doc, "Заключение — пункт", before=6, keep_next=True)
    _paragraph_style(doc, "Заключение — таблица", size=12, align=WD_ALIGN_PARAGRAPH.LEFT, first=0, after=3)
    _paragraph_style(doc, "Заключение — шапка таблицы", size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                     first=0)
    _paragraph_style(doc, "Заключение — подпись", align=WD_ALIGN_PARAGRAPH.LEFT, first=0, before=24,
                     keep_next=True)
    _paragraph_style(doc, "Заключение — подпись в таблице", align=WD_ALIGN_PARAGRAPH.CENTER, first=0, before=18)
    _paragraph_style(doc, "Заключение — расшифровка", size=10, align=WD_ALIGN_PARAGRAPH.CENTER, first=0)
    _paragraph_style(doc, "Заключение — колонтитул", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, first=0)


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.header_distance = Cm(1)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.style = doc.styles["Заключение — колонтитул"]
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    header._p.append(field)


def _p(doc_or_cell, text: str = "", style: str | None = None, runs: list[tuple[str, bool]] | None = None):
    paragraph = doc_or_cell.add_paragraph(style=style)
    for chunk, bold in runs or [(text, False)]:
        run = paragraph.add_run(chunk)
        if bold:
            run.bold = True
    return paragraph


def _tag(doc_or_cell, tag: str) -> None:
    """A paragraph that docxtpl replaces by a Jinja2 block tag ({%p if … %})."""
    doc_or_cell.add_paragraph(tag)


def _new() -> docx.Document:
    doc = docx.Document()
    _styles(doc)
    _page(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    props = doc.core_properties
    props.author = "expertise"
    props.title = ""
    props.subject = ""
    props.comments = ""
    props.keywords = ""
    props.last_modified_by = "expertise"
    props.revision = 1
    import datetime as dt

    props.created = props.modified = dt.datetime(2026, 1, 1)
    return doc


def _head(doc, title_lines: list[str]) -> None:
    _tag(doc, "{%p if addressee %}")
    _p(doc, "{{ addressee }}", "Заключение — адресат")
    _tag(doc, "{%p endif %}")
    for line in title_lines[:-1]:
        _p(doc, line, "Заключение — заголовок")
    _p(doc, title_lines[-1], "Заключение — заголовок")
    _tag(doc, "{%p if number %}")
    _p(doc, "№ {{ number }}", "Заключение — заголовок")
    _tag(doc, "{%p endif %}")
    _p(doc, "", "Заключение — подзаголовок")


def _findings(doc) -> None:
    _tag(doc, "{%p if has_findings %}")
    _p(doc, "В представленном {{ act.short_prepositional }} выявлены следующие коррупциогенные факторы.")
    _tag(doc, "{%p for group in groups %}")
    _p(doc, "{{ group.number }}. {{ group.factor.name|capfirst }} ({{ group.factor.citation }})", "Заключение — раздел")
    _tag(doc, "{%p for f in group.findings %}")
    _p(doc, style="Заключение — пункт", runs=[
        ("{{ f.number }}.", True),
        (" {{ f.unit|capfirst }}{% if f.related_units %} (см. также: {{ f.related_units|join(', ') }})"
         "{% endif %}: «{{ f.quote }}».", False),
    ])
    _p(doc, "Обоснование: {{ f.explanation }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endfor %}")
    _p(doc, "В целях устранения выявленных коррупциогенных факторов предлагается:", "Заключение — пункт")
    _tag(doc, "{%p for f in findings %}")
    _p(doc, "{{ f.number }}. {{ f.units|capfirst }}: {{ f.recommendation|lowerfirst }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p else %}")
    _p(doc, "В представленном {{ act.short_prepositional }} коррупциогенные факторы не выявлены.")
    _tag(doc, "{%p endif %}")


def _other(doc) -> None:
    _tag(doc, "{%p if has_other %}")
    _p(doc, "Иные положения", "Заключение — раздел")
    _p(doc, "В {{ act.short_prepositional }} выявлены также положения, не отнесенные настоящим заключением к "
            "коррупциогенным факторам, но которые могут способствовать созданию условий для проявления коррупции "
            "и требуют проверки:")
    _tag(doc, "{%p for f in other %}")
    _p(doc, "{{ f.number }}. {{ f.units|capfirst }}: «{{ f.quote }}». {{ f.explanation }} Положение требует проверки "
            "на наличие коррупциогенного фактора ({{ f.citation }}: {{ f.factor_name }}). Рекомендуется: "
            "{{ f.recommendation|lowerfirst }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def _widths(table, widths_cm: list[float]) -> None:
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.iterchildren(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)


def _signature(doc) -> None:
    _tag(doc, "{%p if expert.position %}")
    _p(doc, "{{ expert.position }}", "Заключение — подпись")
    _tag(doc, "{%p endif %}")
    table = doc.add_table(rows=2, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _widths(table, [5.5, 5.5, 5.5])
    top = ["{{ date }}", BLANK, "{% if expert.signature %}{{ expert.signature }}{% else %}" + BLANK + "{% endif %}"]
    captions = ["(дата)", "(подпись)", "(инициалы, фамилия)"]
    for cell, text in zip(table.rows[0].cells, top):
        paragraph = cell.paragraphs[0]
        paragraph.style = doc.styles["Заключение — подпись в таблице"]
        paragraph.add_run(text)
    for cell, text in zip(table.rows[1].cells, captions):
        paragraph = cell.paragraphs[0]
        paragraph.style = doc.styles["Заключение — расшифровка"]
        paragraph.add_run(text)


def _basis_departmental(tail: str) -> str:
    return (f"В соответствии с частью 4 статьи 3 {LAW_172} и {METHODIKA_INSTR}, проведена антикоррупционная "
            "экспертиза {{ act.name_genitive }} (далее — {{ act.short }})" + tail)


def independent() -> docx.Document:
    doc = _new()
    _head(doc, ["ЗАКЛЮЧЕНИЕ", "по результатам независимой антикоррупционной экспертизы"])
    _p(doc, "Независимый эксперт: {% if expert.display %}{{ expert.display }}{% else %}" + BLANK + "{% endif %}"
            "{% if expert.address %}, {{ expert.address }}{% endif %}.")
    _p(doc, "Аккредитация: {% if expert.accreditation %}{{ expert.accreditation }}{% else %}" + BLANK +
            " (дата и номер распоряжения Минюста России об аккредитации){% endif %}.")
    _p(doc, f"В соответствии с частью 1 статьи 5 {LAW_172} и пунктом 4 Правил проведения антикоррупционной "
            "экспертизы нормативных правовых актов и проектов нормативных правовых актов, утвержденных "
            "постановлением Правительства Российской Федерации от 26.02.2010 № 96, проведена антикоррупционная "
            "экспертиза {{ act.name_genitive }} (далее — {{ act.short }}) в целях выявления в нем коррупциогенных "
            "факторов и их последующего устранения.")
    _p(doc, "Экспертиза проведена по Методике проведения антикоррупционной экспертизы нормативных правовых актов и "
            "проектов нормативных правовых актов, утвержденной постановлением Правительства Российской Федерации от "
            "26.02.2010 № 96 (далее — Методика).")
    _findings(doc)
    _other(doc)
    _signature(doc)
    return doc


def departmental() -> docx.Document:
    doc = _new()
    _head(doc, ["ЗАКЛЮЧЕНИЕ", "по результатам антикоррупционной экспертизы"])
    _tag(doc, "{%p if expert.organization %}")
    _p(doc, "{{ expert.organization }}", "Заключение — подзаголовок")
    _tag(doc, "{%p endif %}")
    _p(doc, _basis_departmental(" в целях выявления в нем коррупциогенных факторов и их последующего устранения."))
    _findings(doc)
    _other(doc)
    _signature(doc)
    return doc


TABLE_WIDTHS = [1.3, 4.2, 6.0, 5.0]
TABLE_HEADER = ["№ п/п", "Коррупциогенный фактор", "Структурная единица проекта, содержащая фактор",
                "Предложение по устранению"]


def table() -> docx.Document:
    doc = _new()
    _head(doc, ["ЗАКЛЮЧЕНИЕ", "по результатам антикоррупционной экспертизы"])
    _tag(doc, "{%p if expert.organization %}")
    _p(doc, "{{ expert.organization }}", "Заключение — подзаголовок")
    _tag(doc, "{%p endif %}")
    _p(doc, _basis_departmental(". Результаты экспертизы приведены в таблице."))
    _p(doc, "", "Заключение — таблица")
    grid = doc.add_table(rows=4, cols=4)
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(grid, TABLE_WIDTHS)
    header, loop_start, data, loop_end = grid.rows
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    tr_pr.append(repeat)
    for cell, text in zip(header.cells, TABLE_HEADER):
        cell.paragraphs[0].style = doc.styles["Заключение — шапка таблицы"]
        cell.paragraphs[0].add_run(text)
    loop_start.cells[0].paragraphs[0].add_run("{%tr for row in factors %}")
    loop_end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    cells = data.cells
    for cell in cells:
        cell.paragraphs[0].style = doc.styles["Заключение — таблица"]
    cells[0].paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cells[0].paragraphs[0].add_run("{{ row.number }}")
    cells[1].paragraphs[0].add_run("{{ row.name|capfirst }} ({{ row.citation }})")
    for cell, found_text, empty in (
        (cells[2], "{{ f.units|capfirst }}: «{{ f.quote }}». {{ f.explanation }}", "не выявлено"),
        (cells[3], "{{ f.units|capfirst }}: {{ f.recommendation|lowerfirst }}", "—"),
    ):
        cell.paragraphs[0].add_run("{%p if row.found %}")
        for text in ("{%p for f in row.findings %}", found_text, "{%p endfor %}", "{%p else %}", empty, "{%p endif %}"):
            _p(cell, text, "Заключение — таблица")
    _tag(doc, "{%p if has_findings %}")
    _p(doc, "В {{ act.short_prepositional }} выявлены коррупциогенные факторы, указанные в таблице. В целях устранения "
            "выявленных коррупциогенных факторов предлагается внести в {{ act.short }} изменения, указанные в графе "
            "«Предложение по устранению».", "Заключение — пункт")
    _tag(doc, "{%p else %}")
    _p(doc, "В представленном {{ act.short_prepositional }} коррупциогенные факторы не выявлены.", "Заключение — пункт")
    _tag(doc, "{%p endif %}")
    _other(doc)
    _signature(doc)
    return doc


BUILDERS = {"independent": independent, "departmental": departmental, "table": table}


def main(out_dir: str | None = None) -> None:
    target = Path(out_dir) if out_dir else ROOT / "templates"
    target.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        build().save(str(target / f"{name}.docx"))
        print(f"{target / f'{name}.docx'}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
