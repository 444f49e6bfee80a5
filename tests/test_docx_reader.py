"""The DOCX reader: body text as Word shows it, Word's automatic numbering, safety of the package.

Fixtures are real DOCX files (tests/docx_factory.py) with numbering made by ``numbering.xml`` and
``w:numPr``, never typed. The oracle tests convert the same files with LibreOffice
(``soffice --convert-to txt:Text``; for tracked changes a Basic macro accepts them all first) and
require our number + text to equal LibreOffice's lines; they also read LibreOffice's own DOCX export
of each fixture (another producer's numbering.xml) and require the same lines. Where Word and
LibreOffice 7.4 render differently (see expertise/documents/docx_numbering.py) exact labels are
checked instead. The oracle is skipped only when ``soffice`` is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from docx_factory import (
    AbstractNum,
    DocxBuilder,
    Level,
    Num,
    W_NS,
    cell,
    complex_field,
    content_control,
    content_control_block,
    custom_xml,
    deleted,
    deleted_field,
    field_begin,
    field_end,
    field_instruction,
    field_separate,
    forge_declared_sizes,
    hyperlink,
    inserted,
    level_only_paragraph,
    moved_from,
    moved_to,
    paragraph_xml,
    raw_run,
    rewrite_package,
    run,
    simple_field,
    smart_tag,
    table_xml,
    text_box,
)
from expertise.documents.blocks import Paragraph, Table
from expertise.documents.docx_numbering import NumberingResolver, format_number
from expertise.documents.docx_reader import read_docx
from expertise.documents.xmlsafe import parse_xml
from expertise.errors import InputError

# --------------------------------------------------------------------------------------------
# Fixtures: each builder writes one DOCX and is checked both exactly and against LibreOffice.


def build_legal_multilevel(b: DocxBuilder) -> None:
    """Points «1.», «1.1.», «2.3.1.», subpoints «а)» and a separate «1)» list."""
    b.numbering(
        [AbstractNum(1, [Level(0, "decimal", "%1."), Level(1, "decimal", "%1.%2."),
                         Level(2, "decimal", "%1.%2.%3."), Level(3, "russianLower", "%4)")]),
         AbstractNum(2, [Level(0, "decimal", "%1)")])],
        [Num(1, 1), Num(2, 2)],
    )
    b.para("ПОРЯДОК предоставления субсидий")
    b.para("Общие положения.", num=1, ilvl=0)
    b.para("Настоящий Порядок определяет условия предоставления субсидий.", num=1, ilvl=1)
    b.para("Субсидии предоставляются в пределах бюджетных ассигнований.", num=1, ilvl=1)
    b.para("Условия предоставления субсидий.", num=1, ilvl=0)
    b.para("Получатель субсидии должен соответствовать требованиям.", num=1, ilvl=1)
    b.para("Решение принимается уполномоченным органом.", num=1, ilvl=1)
    b.para("Заявитель представляет:", num=1, ilvl=1)
    b.para("заявление, содержащее:", num=1, ilvl=2)
    b.para("сведения о заявителе;", num=1, ilvl=3)
    b.para("реквизиты счёта;", num=1, ilvl=3)
    b.para("копию устава.", num=1, ilvl=2)
    b.para("Уполномоченный орган вправе отказать в случаях:")
    b.para("непредставления документов;", num=2)
    b.para("недостоверности сведений;", num=2)
    b.para("иных случаях.", num=2)
    b.para("Заключительные положения.", num=1, ilvl=0)


LEGAL_MULTILEVEL = [
    (None, "ПОРЯДОК предоставления субсидий"),
    ("1.", "Общие положения."),
    ("1.1.", "Настоящий Порядок определяет условия предоставления субсидий."),
    ("1.2.", "Субсидии предоставляются в пределах бюджетных ассигнований."),
    ("2.", "Условия предоставления субсидий."),
    ("2.1.", "Получатель субсидии должен соответствовать требованиям."),
    ("2.2.", "Решение принимается уполномоченным органом."),
    ("2.3.", "Заявитель представляет:"),
    ("2.3.1.", "заявление, содержащее:"),
    ("а)", "сведения о заявителе;"),
    ("б)", "реквизиты счёта;"),
    ("2.3.2.", "копию устава."),
    (None, "Уполномоченный орган вправе отказать в случаях:"),
    ("1)", "непредставления документов;"),
    ("2)", "недостоверности сведений;"),
    ("3)", "иных случаях."),
    ("3.", "Заключительные положения."),
]


def build_sections_roman(b: DocxBuilder) -> None:
    """Sections «I.» … «IV.» and points numbered through the whole document."""
    b.numbering([AbstractNum(3, [Level(0, "upperRoman", "%1.")]), AbstractNum(4, [Level(0, "decimal", "%1.")])],
                [Num(3, 3), Num(4, 4)])
    for section, points in [("Общие положения", 2), ("Порядок подачи заявления", 1),
                            ("Порядок рассмотрения", 2), ("Заключительные положения", 1)]:
        b.para(section, num=3)
        for i in range(points):
            b.para(f"Пункт раздела «{section}» № {i + 1}.", num=4)


SECTIONS_ROMAN = [
    ("I.", "Общие положения"), ("1.", "Пункт раздела «Общие положения» № 1."),
    ("2.", "Пункт раздела «Общие положения» № 2."),
    ("II.", "Порядок подачи заявления"), ("3.", "Пункт раздела «Порядок подачи заявления» № 1."),
    ("III.", "Порядок рассмотрения"), ("4.", "Пункт раздела «Порядок рассмотрения» № 1."),
    ("5.", "Пункт раздела «Порядок рассмотрения» № 2."),
    ("IV.", "Заключительные положения"), ("6.", "Пункт раздела «Заключительные положения» № 1."),
]


def build_style_linked(b: DocxBuilder) -> None:
    """Articles and parts numbered through paragraph styles; sections through a numbering style."""
    b.numbering(
        [AbstractNum(5, [Level(0, "decimal", "Статья %1.", pstyle="Article"),
                         Level(1, "decimal", "%2.", pstyle="ArticlePart"),
                         Level(2, "decimal", "%3)")]),
         AbstractNum(6, [Level(0, "upperRoman", "Раздел %1.")], style_link="SectionList"),
         AbstractNum(7, [], num_style_link="SectionList")],
        [Num(5, 5), Num(6, 6), Num(7, 7)],
    )
    b.style("Article", "Статья", num=5, ilvl=0, outline=1)
    b.style("ArticlePart", "Часть статьи", num=5, ilvl=1)
    b.style("ArticlePartIndent", "Часть статьи с отступом", based_on="ArticlePart")
    b.style("SectionList", "Разделы", num=6, kind="numbering")
    b.para("Общие положения", num=7)
    b.para("Предмет регулирования", style="Article")
    b.para("Настоящий закон регулирует отношения в сфере закупок.", style="ArticlePart")
    b.para("Действие закона распространяется на:", style="ArticlePartIndent")
    b.para("государственные органы;", num=5, ilvl=2)
    b.para("органы местного самоуправления.", num=5, ilvl=2)
    b.para("Основные понятия", style="Article")
    b.para("Для целей закона используются следующие понятия.", style="ArticlePart")
    b.para("Примечание к статье", style="Article", num=0)
    b.para("Права и обязанности", num=7)
    b.para("Права заявителя", style="Article")
    b.block(level_only_paragraph(run("Заявитель вправе обжаловать решение."), "Article", 1))
    b.para("Глава 1. Заключительные положения", style="Heading1")


STYLE_LINKED = [
    ("Раздел I.", "Общие положения"),
    ("Статья 1.", "Предмет регулирования"),
    ("1.", "Настоящий закон регулирует отношения в сфере закупок."),
    ("2.", "Действие закона распространяется на:"),
    ("1)", "государственные органы;"),
    ("2)", "органы местного самоуправления."),
    ("Статья 2.", "Основные понятия"),
    ("1.", "Для целей закона используются следующие понятия."),
    (None, "Примечание к статье"),
    ("Раздел II.", "Права и обязанности"),
    ("Статья 3.", "Права заявителя"),
    ("1.", "Заявитель вправе обжаловать решение."),
    (None, "Глава 1. Заключительные положения"),
]


def build_restart(b: DocxBuilder) -> None:
    """Instances of one list: continued, restarted by w:startOverride, started at 10."""
    b.numbering(
        [AbstractNum(8, [Level(0, "decimal", "%1."), Level(1, "russianLower", "%2)")])],
        [Num(8, 8), Num(9, 8, start_overrides={0: 1}), Num(10, 8, start_overrides={0: 10}), Num(11, 8),
         Num(12, 8, start_overrides={1: 3}), Num(13, 8, start_overrides={1: 3}), Num(14, 8, start_overrides={0: 20})],
    )
    b.para("Первый список, пункт один.", num=8)
    b.para("Первый список, пункт два.", num=8)
    b.para("подпункт первого списка;", num=8, ilvl=1)
    b.para("Первый список, пункт три.", num=8)
    b.para("Текст между списками.")
    b.para("Второй список начат заново.", num=9)
    b.para("Второй список, пункт два.", num=9)
    b.para("подпункт с началом «в»;", num=12, ilvl=1)
    b.para("следующий подпункт;", num=12, ilvl=1)
    b.para("Список с десятого пункта.", num=10)
    b.para("Первый экземпляр продолжает общий счёт.", num=8)
    b.para("Другой экземпляр того же списка продолжает счёт.", num=11)
    b.para("Пункт экземпляра, у которого подпункты начинаются с «в».", num=13)
    b.para("подпункт «в»;", num=13, ilvl=1)
    b.para("подпункт экземпляра, начинающего пункты с 20;", num=14, ilvl=1)
    b.para("Пункт 20.", num=14)


RESTART = [
    ("1.", "Первый список, пункт один."),
    ("2.", "Первый список, пункт два."),
    ("а)", "подпункт первого списка;"),
    ("3.", "Первый список, пункт три."),
    (None, "Текст между списками."),
    ("1.", "Второй список начат заново."),
    ("2.", "Второй список, пункт два."),
    ("в)", "подпункт с началом «в»;"),
    ("г)", "следующий подпункт;"),
    ("10.", "Список с десятого пункта."),
    ("11.", "Первый экземпляр продолжает общий счёт."),
    ("12.", "Другой экземпляр того же списка продолжает счёт."),
    ("13.", "Пункт экземпляра, у которого подпункты начинаются с «в»."),
    ("в)", "подпункт «в»;"),
    ("г)", "подпункт экземпляра, начинающего пункты с 20;"),
    ("20.", "Пункт 20."),
]


def build_tracked(b: DocxBuilder) -> None:
    """Tracked changes: text and whole numbered paragraphs inserted, deleted, moved, joined."""
    b.numbering([AbstractNum(13, [Level(0, "decimal", "%1.")])], [Num(13, 13)])
    b.para("Первый пункт.", num=13)
    b.raw_para(deleted("Исключённый пункт."), num=13, mark="deleted")
    b.raw_para(run("Второй пункт") + inserted(" с дополнением") + deleted(" и удалённым текстом") + run("."), num=13)
    b.raw_para(run("Перенос: ") + moved_from("старое место, ") + run("текст ") + moved_to("новое место"), num=13)
    b.raw_para(inserted("Новый пункт."), num=13, mark="inserted")
    b.raw_para(run("Начало пункта ") + deleted("лишнее"), num=13, mark="deleted")
    b.para("и его продолжение.")
    b.para("Абзац после изменений.")
    b.raw_para(run("Ссылка ") + deleted_field('HYPERLINK "http://example.ru/"', "удалённая ссылка")
               + run("убрана, ") + complex_field('HYPERLINK "http://pravo.gov.ru/"', "эта") + run(" осталась."))
    # a row deleted as Word writes it: the row, its text and its paragraph mark marked deleted
    b.table([[cell("Строка 1")], [paragraph_xml(deleted("Удалённая строка"), mark="deleted")], [cell("Строка 3")]],
            deleted_rows=(1,))


TRACKED = [
    ("1.", "Первый пункт."),
    ("2.", "Второй пункт с дополнением."),
    ("3.", "Перенос: текст новое место"),
    ("4.", "Новый пункт."),
    ("5.", "Начало пункта и его продолжение."),
    (None, "Абзац после изменений."),
    (None, "Ссылка убрана, эта осталась."),
    (None, "Строка 1"),
    (None, "Строка 3"),
]


def build_fields(b: DocxBuilder) -> None:
    """Field results kept, instructions dropped (complex, simple, nested)."""
    b.numbering([AbstractNum(14, [Level(0, "decimal", "%1.")])], [Num(14, 14)])
    b.raw_para(run("Текст размещается на ")
               + complex_field('HYPERLINK "http://pravo.gov.ru/"', "официальном интернет-портале") + run("."), num=14)
    b.raw_para(run("Ссылка: ") + simple_field('HYPERLINK "http://publication.pravo.gov.ru/"', "портал опубликования"))
    b.raw_para(run("Уважаемый ") + complex_field("MERGEFIELD Имя", "«Имя»") + run("!"), num=14)
    nested = (field_begin() + field_instruction("IF") + complex_field("MERGEFIELD Вид", "ВНУТРЕННИЙ")
              + field_instruction('= "закон" "да" "нет"') + field_separate() + run("итог") + field_end())
    b.raw_para(run("Вложенное поле: ") + nested + run("."))


FIELDS = [
    ("1.", "Текст размещается на официальном интернет-портале."),
    (None, "Ссылка: портал опубликования"),
    ("2.", "Уважаемый «Имя»!"),
    (None, "Вложенное поле: итог."),
]


def build_tables(b: DocxBuilder) -> None:
    """A table read cell by cell, a nested table, numbering counted through cells."""
    b.numbering([AbstractNum(15, [Level(0, "decimal", "%1.")])], [Num(15, 15)])
    b.para("Перечень документов", num=15)
    nested = table_xml([[cell("10 дней"), cell("рабочих")]])
    b.table([
        [cell("Наименование"), cell("Срок")],
        [cell("Заявление", "(форма 1)"), nested + paragraph_xml(run("после вложенной таблицы"))],
        [paragraph_xml(run("Нумерованный абзац в ячейке"), num=15), ""],
    ])
    b.para("После таблицы", num=15)


TABLES = [
    ("1.", "Перечень документов"),
    (None, "Наименование"), (None, "Срок"),
    (None, "Заявление"), (None, "(форма 1)"),
    (None, "10 дней"), (None, "рабочих"), (None, "после вложенной таблицы"),
    ("2.", "Нумерованный абзац в ячейке"),
    ("3.", "После таблицы"),
]


def build_inline(b: DocxBuilder) -> None:
    """Tabs, breaks, hyphens, hyperlinks, smart tags, content controls, custom XML."""
    b.numbering([AbstractNum(16, [Level(0, "decimal", "%1.")])], [Num(16, 16)])
    b.raw_para(run("Статья 5.") + raw_run("<w:tab/>") + run("Срок") + raw_run("<w:br/>") + run("рассмотрения")
               + raw_run("<w:cr/>") + run("заявления"))
    b.raw_para(run("Санкт") + raw_run("<w:noBreakHyphen/>") + run("Петербург, пере") + raw_run("<w:softHyphen/>")
               + run("нос"))
    b.raw_para(run("Город ") + smart_tag("Москва") + run(", поле ") + content_control("значение")
               + run(", ") + custom_xml("фрагмент") + run(", ") + hyperlink("ссылка на раздел"))
    b.block(content_control_block(paragraph_xml(run("Пункт в элементе управления."), num=16)))
    b.para("Следующий пункт.", num=16)


INLINE = [
    (None, "Статья 5.\tСрок\nрассмотрения\nзаявления"),
    (None, "Санкт-Петербург, перенос"),
    (None, "Город Москва, поле значение, фрагмент, ссылка на раздел"),
    ("1.", "Пункт в элементе управления."),
    ("2.", "Следующий пункт."),
]


def build_formats(b: DocxBuilder) -> None:
    """Number formats: the 29 Russian letters, Latin letters past z, Roman, zero-padded."""
    b.numbering(
        [AbstractNum(17, [Level(0, "russianLower", "%1)")]), AbstractNum(18, [Level(0, "russianUpper", "%1.")]),
         AbstractNum(19, [Level(0, "lowerLetter", "%1)")]), AbstractNum(20, [Level(0, "lowerRoman", "%1)")]),
         AbstractNum(21, [Level(0, "decimalZero", "%1.")]), AbstractNum(22, [Level(0, "upperLetter", "(%1)")])],
        [Num(17, 17), Num(18, 18), Num(19, 19), Num(20, 20), Num(21, 21), Num(22, 22)],
    )
    for i in range(29):
        b.para(f"русская буква {i + 1}", num=17)
    for i in range(3):
        b.para(f"прописная {i + 1}", num=18)
    for i in range(28):
        b.para(f"latin {i + 1}", num=19)
    for i in range(4):
        b.para(f"roman {i + 1}", num=20)
    for i in range(10):
        b.para(f"zero {i + 1}", num=21)
    b.para("upper", num=22)


RUSSIAN_29 = list("абвгдежзиклмнопрстуфхцчшщыэюя")
FORMATS = (
    [(f"{ch})", f"русская буква {i + 1}") for i, ch in enumerate(RUSSIAN_29)]
    + [("А.", "прописная 1"), ("Б.", "прописная 2"), ("В.", "прописная 3")]
    + [(f"{chr(ord('a') + i)})", f"latin {i + 1}") for i in range(26)] + [("aa)", "latin 27"), ("bb)", "latin 28")]
    + [("i)", "roman 1"), ("ii)", "roman 2"), ("iii)", "roman 3"), ("iv)", "roman 4")]
    + [(f"0{i + 1}.", f"zero {i + 1}") for i in range(9)] + [("10.", "zero 10")]
    + [("(A)", "upper")]
)

ORACLE_FIXTURES = {
    "legal_multilevel": (build_legal_multilevel, LEGAL_MULTILEVEL),
    "sections_roman": (build_sections_roman, SECTIONS_ROMAN),
    "style_linked": (build_style_linked, STYLE_LINKED),
    "restart": (build_restart, RESTART),
    "tracked": (build_tracked, TRACKED),
    "fields": (build_fields, FIELDS),
    "tables": (build_tables, TABLES),
    "inline": (build_inline, INLINE),
    "formats": (build_formats, FORMATS),
}
TRACKED_FIXTURES = {"tracked"}  # LibreOffice must accept the changes before exporting


@pytest.fixture(scope="session")
def fixture_docs(tmp_path_factory) -> dict[str, str]:
    directory = tmp_path_factory.mktemp("docx")
    paths = {}
    for name, (build, _) in ORACLE_FIXTURES.items():
        builder = DocxBuilder()
        build(builder)
        paths[name] = builder.save(directory / f"{name}.docx")
    return paths


def paragraphs(blocks) -> list[Paragraph]:
    """All paragraphs in reading order: tables row by row, cell by cell, nested tables in place."""
    out: list[Paragraph] = []
    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows:
                for cell_blocks in row:
                    out.extend(paragraphs(cell_blocks))
        else:
            out.append(block)
    return out


def numbered(path: str) -> list[tuple[str | None, str]]:
    return [(p.number, p.text) for p in paragraphs(read_docx(path).blocks)]


@pytest.mark.parametrize("name", sorted(ORACLE_FIXTURES))
def test_fixture_reads_exactly(fixture_docs, name):
    assert numbered(fixture_docs[name]) == ORACLE_FIXTURES[name][1]


# --------------------------------------------------------------------------------------------
# The LibreOffice oracle

LO_TIMEOUT = 120
_ACCEPT_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub AcceptAndExport(sIn As String, sOut As String)
  Dim aLoad(0) As New com.sun.star.beans.PropertyValue
  aLoad(0).Name = &quot;Hidden&quot;
  aLoad(0).Value = True
  oDoc = StarDesktop.loadComponentFromURL(ConvertToURL(sIn), &quot;_blank&quot;, 0, aLoad())
  oDispatcher = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  oDispatcher.executeDispatch(oDoc.getCurrentController().getFrame(), &quot;.uno:AcceptAllTrackedChanges&quot;, &quot;&quot;, 0, Array())
  Dim aSave(0) As New com.sun.star.beans.PropertyValue
  aSave(0).Name = &quot;FilterName&quot;
  aSave(0).Value = &quot;Text&quot;
  oDoc.storeToURL(ConvertToURL(sOut), aSave())
  oDoc.close(True)
End Sub
</script:module>
"""


def _soffice(exe: str, profile: Path, args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", *args],
        capture_output=True, text=True, timeout=LO_TIMEOUT, check=False,
    )


@pytest.fixture(scope="session")
def libreoffice_text(fixture_docs, tmp_path_factory) -> dict[str, str]:
    """LibreOffice's plain-text export of every fixture (tracked changes accepted first)."""
    exe = shutil.which("soffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) не установлен: оракул нумерации недоступен")
    profile = tmp_path_factory.mktemp("lo-profile")
    out = tmp_path_factory.mktemp("lo-out")
    plain = [path for name, path in fixture_docs.items() if name not in TRACKED_FIXTURES]
    done = _soffice(exe, profile, ["--convert-to", "txt:Text", "--outdir", str(out), *plain])
    texts = {}
    for name, path in fixture_docs.items():
        if name in TRACKED_FIXTURES:
            continue
        result = out / (Path(path).stem + ".txt")
        assert result.exists(), f"LibreOffice did not convert {name}: {done.stdout} {done.stderr}"
        texts[name] = result.read_text(encoding="utf-8-sig")
    # the first run created the profile; a Basic macro in it accepts all changes, then exports
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    assert module.parent.is_dir(), "LibreOffice did not create its user profile"
    module.write_text(_ACCEPT_MACRO, encoding="utf-8")
    for name in sorted(TRACKED_FIXTURES):
        result = out / f"{name}.accepted.txt"
        done = _soffice(exe, profile, [f'macro:///Standard.Module1.AcceptAndExport("{fixture_docs[name]}","{result}")'])
        assert result.exists(), f"LibreOffice did not export {name}: {done.stdout} {done.stderr}"
        texts[name] = result.read_text(encoding="utf-8-sig")
    return texts


@pytest.fixture(scope="session")
def libreoffice_docx(fixture_docs, libreoffice_text, tmp_path_factory) -> dict[str, str]:
    """Every fixture saved again as DOCX by LibreOffice: another producer's numbering.xml."""
    exe = shutil.which("soffice")
    profile = tmp_path_factory.mktemp("lo-profile-docx")
    out = tmp_path_factory.mktemp("lo-docx")
    done = _soffice(exe, profile, ["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out),
                                   *fixture_docs.values()])
    paths = {}
    for name, path in fixture_docs.items():
        result = out / Path(path).name
        assert result.exists(), f"LibreOffice did not save {name} as DOCX: {done.stdout} {done.stderr}"
        paths[name] = str(result)
    return paths


def _normal(line: str) -> str:
    """One line with LibreOffice's renderings folded: U+2011 for w:noBreakHyphen, kept U+00AD."""
    line = line.replace("\u2011", "-").replace("\u00ad", "").replace("\ufeff", "")
    return " ".join(line.split())


def our_lines(path: str) -> list[str]:
    lines = []
    for p in paragraphs(read_docx(path).blocks):
        text_lines = p.text.split("\n")
        if p.number:
            text_lines[0] = f"{p.number} {text_lines[0]}"
        lines.extend(text_lines)
    return [n for n in map(_normal, lines) if n]


@pytest.mark.parametrize("name", sorted(ORACLE_FIXTURES))
def test_numbering_and_text_match_libreoffice(fixture_docs, libreoffice_text, name):
    theirs = [n for n in map(_normal, libreoffice_text[name].splitlines()) if n]
    assert our_lines(fixture_docs[name]) == theirs


@pytest.mark.parametrize("name", sorted(ORACLE_FIXTURES))
def test_docx_written_by_libreoffice_reads_the_same(libreoffice_docx, libreoffice_text, name):
    theirs = [n for n in map(_normal, libreoffice_text[name].splitlines()) if n]
    assert our_lines(libreoffice_docx[name]) == theirs


# --------------------------------------------------------------------------------------------
# Where Word and LibreOffice 7.4 differ, the reader follows Word (checked here exactly)


def build(tmp_path, fn, name="doc.docx") -> str:
    builder = DocxBuilder()
    fn(builder)
    return builder.save(tmp_path / name)


def test_points_numbered_through_sections_with_lvl_restart_zero(tmp_path):
    """Sections «I.», points «1.» … never restarted (w:lvlRestart 0) in one multilevel list."""
    def fn(b):
        b.numbering([AbstractNum(1, [Level(0, "upperRoman", "%1."), Level(1, "decimal", "%2.", restart=0),
                                     Level(2, "russianLower", "%3)", restart=1)])], [Num(1, 1)])
        b.para("Общие положения", num=1)
        b.para("пункт", num=1, ilvl=1)
        b.para("подпункт", num=1, ilvl=2)
        b.para("пункт", num=1, ilvl=1)
        b.para("подпункт", num=1, ilvl=2)
        b.para("Порядок", num=1)
        b.para("пункт", num=1, ilvl=1)
        b.para("подпункт", num=1, ilvl=2)
    labels = [n for n, _ in numbered(build(tmp_path, fn))]
    assert labels == ["I.", "1.", "а)", "2.", "б)", "II.", "3.", "а)"]


def test_legal_style_renders_upper_levels_as_decimal(tmp_path):
    def fn(b):
        b.numbering([AbstractNum(1, [Level(0, "upperRoman", "%1."), Level(1, "decimal", "%1.%2.", is_lgl=True),
                                     Level(2, "lowerLetter", "%1.%2.%3.", is_lgl=True)])], [Num(1, 1)])
        b.para("Раздел", num=1)
        b.para("Раздел", num=1)
        b.para("пункт", num=1, ilvl=1)
        b.para("подпункт", num=1, ilvl=2)
    assert [n for n, _ in numbered(build(tmp_path, fn))] == ["I.", "II.", "2.1.", "2.1.1."]


def test_level_linked_to_style_wins_over_missing_ilvl(tmp_path):
    def fn(b):
        b.numbering([AbstractNum(1, [Level(0, "decimal", "Статья %1.", pstyle="Art"),
                                     Level(1, "decimal", "%2.", pstyle="Part")])], [Num(1, 1)])
        b.style("Art", "Статья", num=1, ilvl=0)
        b.style("Part", "Часть", num=1)  # no w:ilvl: the level is the one whose w:pStyle is "Part"
        b.para("Статья", style="Art")
        b.para("часть", style="Part")
        b.para("часть", style="Part")
    assert [n for n, _ in numbered(build(tmp_path, fn))] == ["Статья 1.", "1.", "2."]


def test_russian_letters_after_the_29th_repeat_like_word():
    assert format_number(26, "russianLower") == "ы"
    assert format_number(29, "russianLower") == "я"
    assert format_number(30, "russianLower") == "аа"
    assert format_number(31, "russianLower") == "бб"
    assert format_number(30, "russianUpper") == "АА"
    assert format_number(53, "lowerLetter") == "aaa"
    assert format_number(1994, "upperRoman") == "MCMXCIV"
    assert format_number(7, "decimalZero") == "07"
    assert format_number(3, "unknownFormat") == "3"


def test_bullets_and_none_have_no_number_but_keep_counting(tmp_path):
    def fn(b):
        b.numbering([AbstractNum(1, [Level(0, "bullet", "\u2022"), Level(1, "decimal", "%2."),
                                     Level(2, "none", "")])], [Num(1, 1)])
        b.para("маркер", num=1)
        b.para("один", num=1, ilvl=1)
        b.para("без номера", num=1, ilvl=2)
        b.para("два", num=1, ilvl=1)
        b.para("маркер", num=1)
        b.para("снова один", num=1, ilvl=1)
    assert numbered(build(tmp_path, fn)) == [
        (None, "маркер"), ("1.", "один"), (None, "без номера"), ("2.", "два"), (None, "маркер"),
        ("1.", "снова один")]


def test_wholly_deleted_paragraph_leaves_the_next_one_its_numbering(tmp_path):
    """Word drops a wholly deleted paragraph (LO 7.4 gives the next one the deleted one's properties)."""
    def fn(b):
        b.numbering([AbstractNum(1, [Level(0, "decimal", "%1.")])], [Num(1, 1)])
        b.para("Первый.", num=1)
        b.raw_para(deleted("Удалённый абзац без номера."), mark="deleted")
        b.para("Второй.", num=1)
        b.raw_para(deleted("Удалённый пункт."), num=1, mark="deleted")
        b.para("Абзац без номера.")
    assert numbered(build(tmp_path, fn)) == [("1.", "Первый."), ("2.", "Второй."), (None, "Абзац без номера.")]


def test_hidden_text_is_not_read(tmp_path):
    def fn(b):
        b.style("HiddenChar", "Скрытый", kind="character", hidden=True)
        b.raw_para(run("Видимый ") + run("скрытый ", hidden=True)
                   + '<w:r><w:rPr><w:rStyle w:val="HiddenChar"/></w:rPr><w:t>стиль </w:t></w:r>' + run("текст"))
    assert numbered(build(tmp_path, fn)) == [(None, "Видимый текст")]


def test_empty_numbered_paragraph_is_kept_and_counted(tmp_path):
    def fn(b):
        b.numbering([AbstractNum(1, [Level(0, "decimal", "%1.")])], [Num(1, 1)])
        b.para("Первый", num=1)
        b.para("", num=1)
        b.para("")
        b.para("Третий", num=1)
    assert numbered(build(tmp_path, fn)) == [("1.", "Первый"), ("2.", ""), ("3.", "Третий")]


# --------------------------------------------------------------------------------------------
# Locations, styles, title


def test_locations_count_every_body_paragraph_in_document_order(tmp_path):
    def fn(b):
        b.para("первый")
        b.para("")  # empty: not a block, but counted
        b.raw_para(run("с надписью ") + text_box("в надписи 1", "в надписи 2") + run("после"))
        b.table([[cell("ячейка 1"), cell("ячейка 2")]])
        b.para("последний")
    path = build(tmp_path, fn)
    doc = read_docx(path)
    with zipfile.ZipFile(path) as z:
        body = parse_xml(z.read("word/document.xml")).find(f"{{{W_NS}}}body")
    all_p = list(body.iter(f"{{{W_NS}}}p"))
    texts = {}
    for p in paragraphs(doc.blocks):
        texts[p.location.index] = p.text
        assert p.location.part == "body"
        own = "".join(t.text or "" for t in all_p[p.location.index].iter(f"{{{W_NS}}}t"))
        assert own.startswith(p.text[:5])
    # 0 первый, 1 empty, 2 host paragraph, 3-4 text box paragraphs, 5-6 cells, 7 последний
    assert texts == {0: "первый", 2: "с надписью после", 5: "ячейка 1", 6: "ячейка 2", 7: "последний"}
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert table.location.index == 5


def test_styles_headings_and_title(tmp_path):
    def fn(b):
        b.title("  Об утверждении Порядка  ")
        b.style("Chapter", "Глава", outline=1)
        b.style("Sub", "Подглава", based_on="Chapter")
        b.style("Zag", "Заголовок 3")
        b.para("ГЛАВА 1", style="Heading1")
        b.para("Глава", style="Chapter")
        b.para("Подглава", style="Sub")
        b.para("Заголовок", style="Zag")
        b.para("Обычный абзац")
    doc = read_docx(build(tmp_path, fn))
    assert doc.title == "Об утверждении Порядка"
    assert doc.format == "docx"
    got = [(p.style, p.heading_level) for p in paragraphs(doc.blocks)]
    assert got == [("Heading 1", 1), ("Глава", 2), ("Подглава", 2), ("Заголовок 3", 3), ("Normal", None)]


def test_no_title_when_core_properties_have_none(tmp_path):
    assert read_docx(build(tmp_path, lambda b: b.para("текст"))).title is None


def test_main_part_found_through_package_relationships(tmp_path):
    src = build(tmp_path, lambda b: b.para("Текст основной части"), "src.docx")
    with zipfile.ZipFile(src) as z:
        document = z.read("word/document.xml")
        rels = z.read("_rels/.rels").decode("utf-8")
        types = z.read("[Content_Types].xml").decode("utf-8")
    moved = rewrite_package(src, tmp_path / "moved.docx", {
        "word/document.xml": None,
        "word/main.xml": document,
        "_rels/.rels": rels.replace("word/document.xml", "word/main.xml").encode("utf-8"),
        "[Content_Types].xml": types.replace("/word/document.xml", "/word/main.xml").encode("utf-8"),
        "word/_rels/main.xml.rels": zipfile.ZipFile(src).read("word/_rels/document.xml.rels"),
    })
    assert numbered(moved) == [(None, "Текст основной части")]


def test_strict_ooxml_namespace_is_read(tmp_path, fixture_docs):
    transitional, strict = W_NS.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main"
    src = fixture_docs["legal_multilevel"]
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n).replace(transitional, strict)
                 for n in ("word/document.xml", "word/styles.xml", "word/numbering.xml")}
    assert numbered(rewrite_package(src, tmp_path / "strict.docx", parts)) == LEGAL_MULTILEVEL


def test_unterminated_field_does_not_swallow_the_rest(tmp_path):
    def fn(b):
        b.raw_para(run("Поле ") + field_begin() + field_instruction("PAGE") + run("скрыто"))
        b.para("Следующий абзац.")
        b.raw_para(run("Оглавление: ") + field_begin() + field_instruction("TOC") + field_separate() + run("Глава 1"))
        b.raw_para(run("Глава 2") + field_end() + run(" конец"))
    # the first field never ends: marks are unbalanced, so fields close with their paragraph
    assert numbered(build(tmp_path, fn)) == [
        (None, "Поле "), (None, "Следующий абзац."), (None, "Оглавление: Глава 1"), (None, "Глава 2 конец")]


def test_field_result_spanning_paragraphs_is_kept(tmp_path):
    def fn(b):
        b.raw_para(field_begin() + field_instruction('TOC \\o "1-3"') + field_separate() + run("Глава 1"))
        b.raw_para(run("Глава 2") + field_end())
        b.para("Текст")
    assert numbered(build(tmp_path, fn)) == [(None, "Глава 1"), (None, "Глава 2"), (None, "Текст")]


def test_resolver_without_parts_numbers_nothing():
    resolver = NumberingResolver(None, None)
    p = parse_xml(paragraph_xml(run("x"), num=1).encode("utf-8"))
    assert resolver.label_for(p) is None


# --------------------------------------------------------------------------------------------
# Refusals: each a Russian sentence


@pytest.fixture
def simple_docx(tmp_path) -> str:
    return build(tmp_path, lambda b: b.para("Текст"), "simple.docx")


def test_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_bytes("Просто текст, а не документ".encode("utf-8"))
    with pytest.raises(InputError, match=r"^Файл «.*fake\.docx» не является документом DOCX"):
        read_docx(str(path))


def test_encrypted_office_file_is_refused_as_password_protected(tmp_path):
    path = tmp_path / "secret.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le")
                     + b"\0" * 100)
    with pytest.raises(InputError, match="защищён паролем"):
        read_docx(str(path))


def test_legacy_doc_renamed_is_refused_with_advice(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "WordDocument".encode("utf-16-le"))
    with pytest.raises(InputError, match=r"Word 97–2003 \(\.doc\).*сохраните в формате «Документ Word"):
        read_docx(str(path))


def test_package_without_document_part_is_refused(tmp_path, simple_docx):
    no_rels = b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
    path = rewrite_package(simple_docx, tmp_path / "nodoc.docx", {"word/document.xml": None, "_rels/.rels": no_rels})
    with pytest.raises(InputError, match=r"нет основной части документа \(word/document\.xml\)"):
        read_docx(path)


def test_member_declared_too_large_is_refused_before_inflating(tmp_path, simple_docx):
    path = forge_declared_sizes(simple_docx, tmp_path / "bomb.docx", {"word/document.xml": 300 * 1024 * 1024})
    with pytest.raises(InputError, match=r"часть «word/document\.xml» после распаковки заняла бы 300 МБ"):
        read_docx(path)


def test_package_declared_too_large_in_total_is_refused(tmp_path, simple_docx):
    size = 190 * 1024 * 1024
    path = forge_declared_sizes(simple_docx, tmp_path / "bomb2.docx", {
        "word/styles.xml": size, "word/stylesWithEffects.xml": size, "word/theme/theme1.xml": size})
    with pytest.raises(InputError, match=r"после распаковки его содержимое заняло бы 570 МБ"):
        read_docx(path)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE w:document [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_hostile_xml_is_refused(tmp_path, simple_docx, payload):
    path = rewrite_package(simple_docx, tmp_path / "hostile.docx", {"word/document.xml": payload})
    with pytest.raises(InputError, match=r"небезопасен \(часть «word/document\.xml»\)"):
        read_docx(path)


def test_broken_xml_is_refused(tmp_path, simple_docx):
    path = rewrite_package(simple_docx, tmp_path / "broken.docx", {"word/document.xml": b"<w:document><w:body>"})
    with pytest.raises(InputError, match=r"повреждён: некорректный XML \(часть «word/document\.xml»\)"):
        read_docx(path)


def test_parse_xml_refuses_entities_in_utf16():
    data = BILLION_LAUGHS.replace(b'version="1.0"', b'version="1.0" encoding="UTF-16"').decode("utf-8").encode("utf-16")
    with pytest.raises(InputError, match="объявляет сущности"):
        parse_xml(data)


def test_parse_xml_reads_plain_utf16():
    root = parse_xml('<?xml version="1.0" encoding="UTF-16"?><a>пункт</a>'.encode("utf-16"))
    assert root.text == "пункт"
