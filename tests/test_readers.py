"""ODT, RTF, PDF and Word 97–2003 readers on real files that the tests make themselves.

* A municipal постановление with Word's automatic numbering (decimal «2.3.» and Russian letters
  «а)»), a tracked change, a tab, a line break and a table with a nested table is built as DOCX
  (python-docx + tests/docx_factory.py) and converted by LibreOffice to ODT, RTF and DOC
  (``soffice --convert-to``, one call per format, one session-scoped profile). Each converted
  file must read exactly as our DOCX reader reads the DOCX — same numbers, same texts, same table
  shape — and get the same structure labels. LibreOffice also saves password-protected ODT and DOC
  (a Basic macro with the ``Password`` property).
* A two-page постановление (running head, «- N -» page numbers in the footer, a word broken at a
  soft hyphen, words broken after real hyphens) is printed to PDF by LibreOffice; its paragraphs
  must equal the source paragraphs. The act above printed to PDF (ragged single-line paragraphs
  with spacing, a table) keeps its paragraphs apart. A scan (image-only page, Pillow), a
  password-protected PDF (pypdf) and junk are refused.
* Hand-written ODT and RTF files cover what LibreOffice does not write: explicit ``text:number``,
  ``continue-numbering``, list headers, outline numbering, cp1251 bytes, ``\\listtext`` bullets,
  hidden and deleted text, fields, ``\\bin``, nested ``\\itap2`` tables, surrogate pairs.

Every refused file gives an InputError with a Russian message and keeps its bytes. Tests that need
LibreOffice are skipped only when ``soffice`` is not installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from docx_factory import (
    AbstractNum,
    DocxBuilder,
    Level,
    Num,
    deleted,
    forge_declared_sizes,
    inserted,
    raw_run,
    run,
)
from expertise.documents import doc_converter, pdf_reader
from expertise.documents.blocks import Paragraph, Table
from expertise.documents.reader import read_document, read_raw
from expertise.documents.structure import build_document
from expertise.errors import InputError

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) не установлен")
LO_TIMEOUT = 180


def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def refused(path, *words: str) -> str:
    """read_raw must refuse the file with a Russian message containing ``words``; bytes unchanged."""
    before = sha(path)
    with pytest.raises(InputError) as info:
        read_raw(str(path))
    message = str(info.value)
    assert any("а" <= ch <= "я" for ch in message.lower()), message
    assert "\n" not in message and message.endswith("."), message
    for word in words:
        assert word in message, message
    assert sha(path) == before
    return message


def shape(blocks) -> list:
    """Blocks without locations and styles: (number, text) and nested lists for tables."""
    out = []
    for block in blocks:
        if isinstance(block, Table):
            out.append([[shape(cell) for cell in row] for row in block.rows])
        else:
            out.append((block.number, block.text))
    return out


def labels(raw) -> dict[str, str]:
    document = build_document(raw)
    return {u.label: u.text for u in document.units}


# --------------------------------------------------------------------------------------------
# Sources


def build_act(path: Path) -> Path:
    """A municipal постановление with automatic numbering, a tracked change and nested tables."""
    b = DocxBuilder()
    b.numbering(
        [AbstractNum(1, [Level(0, text="%1."), Level(1, text="%1.%2.")]),
         AbstractNum(2, [Level(0, fmt="russianLower", text="%1)")])],
        [Num(1, 1), Num(2, 2)],
    )
    b.para("АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ")
    b.para("ПОСТАНОВЛЕНИЕ")
    b.para("от 12.03.2025 № 45")
    b.para("Об утверждении Порядка предоставления субсидий")
    b.para("В соответствии со статьей 78 Бюджетного кодекса Российской Федерации администрация ПОСТАНОВЛЯЕТ:")
    b.para("Утвердить Порядок предоставления субсидий.", num=1, ilvl=0)
    b.para("Установить, что:", num=1, ilvl=0)
    b.para("Субсидии предоставляются в пределах бюджетных ассигнований.", num=1, ilvl=1)
    b.para("Уполномоченным органом является отдел экономики.", num=1, ilvl=1)
    b.raw_para(
        run("Уполномоченный орган рассматривает заявление ") + deleted("в течение трех дней")
        + inserted("в течение десяти рабочих дней") + run(".") + raw_run("<w:tab/>")
        + run("Срок  продлевается") + raw_run("<w:br/>") + run("по решению руководителя."),
        num=1, ilvl=1,
    )
    b.para("Абзац без номера внутри пункта 2.3.")
    b.para("Решение о предоставлении субсидии принимается в форме распоряжения.", num=1, ilvl=0)
    b.para("Основаниями для отказа являются:", num=1, ilvl=0)
    b.para("несоответствие документов требованиям;", num=2, ilvl=0)
    b.para("недостоверность информации.", num=2, ilvl=0)
    b.para("Перечень документов приведен в таблице:")
    table = b.doc.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = "Наименование документа"
    table.cell(0, 1).text = "Срок представления"
    table.cell(1, 0).text = "Заявление"
    cell = table.cell(1, 1)
    cell.text = "10 рабочих дней"
    inner = cell.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "вложенная 1"
    inner.cell(0, 1).text = "вложенная 2"
    cell.add_paragraph("после вложенной")
    b.para("Контроль за исполнением постановления возложить на заместителя главы.", num=1, ilvl=0)
    b.para("Глава городского округа И.И. Иванов")
    return Path(b.save(path))


ACT_EXPECTED = [
    (None, "АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ"),
    (None, "ПОСТАНОВЛЕНИЕ"),
    (None, "от 12.03.2025 № 45"),
    (None, "Об утверждении Порядка предоставления субсидий"),
    (None, "В соответствии со статьей 78 Бюджетного кодекса Российской Федерации администрация ПОСТАНОВЛЯЕТ:"),
    ("1.", "Утвердить Порядок предоставления субсидий."),
    ("2.", "Установить, что:"),
    ("2.1.", "Субсидии предоставляются в пределах бюджетных ассигнований."),
    ("2.2.", "Уполномоченным органом является отдел экономики."),
    ("2.3.", "Уполномоченный орган рассматривает заявление в течение десяти рабочих дней.\tСрок  продлевается\n"
             "по решению руководителя."),
    (None, "Абзац без номера внутри пункта 2.3."),
    ("3.", "Решение о предоставлении субсидии принимается в форме распоряжения."),
    ("4.", "Основаниями для отказа являются:"),
    ("а)", "несоответствие документов требованиям;"),
    ("б)", "недостоверность информации."),
    (None, "Перечень документов приведен в таблице:"),
    [
        [[(None, "Наименование документа")], [(None, "Срок представления")]],
        [[(None, "Заявление")],
         [(None, "10 рабочих дней"), [[[(None, "вложенная 1")], [(None, "вложенная 2")]]], (None, "после вложенной")]],
    ],
    ("5.", "Контроль за исполнением постановления возложить на заместителя главы."),
    (None, "Глава городского округа И.И. Иванов"),
]

ACT_LABELS = {
    "пункт 2.3": ACT_EXPECTED[9][1],
    "абзац второй пункта 2.3": "Абзац без номера внутри пункта 2.3.",
    "пункт 3": "Решение о предоставлении субсидии принимается в форме распоряжения.",
    "подпункт «а» пункта 4": "несоответствие документов требованиям;",
    "подпункт «б» пункта 4": "недостоверность информации.",
    "графа 2 строки 2 таблицы 1": "10 рабочих дней",
    "графа 1 строки 1 таблицы 2 графы 2 строки 2 таблицы 1": "вложенная 1",
    "пункт 5": "Контроль за исполнением постановления возложить на заместителя главы.",
    "подпись": "Глава городского округа И.И. Иванов",
}

SHY = "\u00ad"
# The two-page постановление for the PDF: (alignment, text); "\n" is a manual line break.
POST = [
    ("center", "АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ"),
    ("center+", "ПОСТАНОВЛЕНИЕ"),
    ("center+", "от 12.03.2025 № 45"),
    ("center+", "Об утверждении Порядка предоставления субсидий субъектам малого и среднего "
                "предпринимательства городского округа Заречный"),
    ("body", "В соответствии со статьей 78 Бюджетного кодекса Российской Федерации, Федеральным законом "
             "от 06.10.2003 № 131-ФЗ «Об общих принципах организации местного самоуправления в Российской "
             "Федерации» администрация городского округа Заречный ПОСТАНОВЛЯЕТ:"),
    ("body", "1. Утвердить прилагаемый Порядок предоставления субсидий субъектам малого и среднего "
             "предпринимательства."),
    ("body", "2. Установить, что:"),
    ("body", "2.1. Субсидии предоставляются в пределах бюджетных ассигнований, предусмотренных решением "
             "о бюджете на соответствующий финансовый год."),
    ("body", "2.2. Уполномоченным органом по предоставлению субсидий является отдел экономического "
             "развития администрации городского округа Заречный."),
    ("body", "2.3. Уполномоченный орган вправе запросить у заявителя иные документы, если это необходимо "
             "для рассмотрения заявления, в том числе сведения о ком-либо из учредителей."),
    *[("body", f"{i}. Уполномоченный орган в течение десяти рабочих дней со дня поступления заявления "
               "рассматривает его и принимает решение о предоставлении субсидии либо об отказе в ее "
               "предоставлении, о чем уведомляет заявителя в письменной форме.") for i in range(3, 9)],
    ("body", "9. Основаниями для отказа в предоставлении субсидии являются:"),
    ("body", "а) несоответствие представленных заявителем документов требованиям, определенным настоящим "
             "Порядком, или непредставление (представление не в полном объеме) указанных документов;"),
    ("body", "б) установление факта недостоверности представленной заявителем информации;"),
    ("body", "в) иные основания, предусмотренные муниципальными правовыми актами."),
    ("body", "10. Субсидия предоставляется заявителям, зарегистрированным на территории Ханты-\nМансийского "
             "автономного округа, и не может быть использована на что-\nлибо иное, кроме целей ее "
             "предостав-\nления."),
    ("body", "10.1. Порядок и сроки возврата субсидии в случае нарушения условий ее предоставления "
             "определяются соглашением о предоставлении субсидии, заключаемым между уполномоченным органом "
             "и получателем субсидии в соответствии с типовой формой, утвержденной финансовым органом, с "
             f"учетом необходимости обеспе{SHY}че{SHY}ния достижения результатов."),
    ("body", "11. Контроль за исполнением настоящего постановления возложить на заместителя главы "
             "администрации городского округа по экономическим вопросам."),
    ("body", "12. Настоящее постановление вступает в силу со дня его официального опубликования."),
    ("left+", "Глава городского округа\tИ.И. Иванов"),
]
RUNNING_HEAD = "Проект постановления администрации городского округа Заречный"


def post_paragraphs() -> list[str]:
    """What the PDF reader must give back: the source paragraphs as one line each."""
    out = []
    for _, text in POST:
        text = text.replace(SHY, "").replace("-\n", "-").replace("\t", " ")
        text = text.replace("предостав-ления", "предоставления")
        out.append(text)
    return out


def build_post(path: Path) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Cm, Pt

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = "DejaVu Serif"
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    section = d.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2)
    head = section.header.paragraphs[0]
    head.text = RUNNING_HEAD
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot._p.append(parse_xml(f'<w:r {w}><w:t xml:space="preserve">- </w:t></w:r>'))
    foot._p.append(parse_xml(f'<w:fldSimple {w} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    foot._p.append(parse_xml(f'<w:r {w}><w:t xml:space="preserve"> -</w:t></w:r>'))
    for kind, text in POST:
        p = d.add_paragraph()
        if kind.startswith("center"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "body":
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Cm(1.25)
        if kind.endswith("+"):
            p.paragraph_format.space_before = Pt(12)
        parts = text.split("\n")
        for i, part in enumerate(parts):
            r = p.add_run(part)
            if i < len(parts) - 1:
                r.add_break()
    d.save(str(path))
    return path


_PROTECT_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub SaveProtected(sIn As String, sOdt As String, sDoc As String)
  Dim aLoad(0) As New com.sun.star.beans.PropertyValue
  aLoad(0).Name = &quot;Hidden&quot;
  aLoad(0).Value = True
  oDoc = StarDesktop.loadComponentFromURL(ConvertToURL(sIn), &quot;_blank&quot;, 0, aLoad())
  Dim aSave(1) As New com.sun.star.beans.PropertyValue
  aSave(0).Name = &quot;FilterName&quot;
  aSave(0).Value = &quot;writer8&quot;
  aSave(1).Name = &quot;Password&quot;
  aSave(1).Value = &quot;secret&quot;
  oDoc.storeToURL(ConvertToURL(sOdt), aSave())
  aSave(0).Value = &quot;MS Word 97&quot;
  oDoc.storeToURL(ConvertToURL(sDoc), aSave())
  oDoc.close(True)
End Sub
</script:module>
"""


def _soffice(profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", *args],
        capture_output=True, text=True, timeout=LO_TIMEOUT, check=False,
    )


@pytest.fixture(scope="session")
def lo(tmp_path_factory) -> dict[str, Path]:
    """The sources and LibreOffice's conversions of them."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) не установлен")
    src = tmp_path_factory.mktemp("src")
    out = tmp_path_factory.mktemp("lo-out")
    profile = tmp_path_factory.mktemp("lo-profile")
    act = build_act(src / "act.docx")
    post = build_post(src / "post.docx")
    files = {"act.docx": act, "post.docx": post}
    for fmt, sources in (("pdf", [post, act]), ("odt", [act]), ("rtf", [act]), ("doc", [act])):
        done = _soffice(profile, "--convert-to", fmt, "--outdir", str(out), *map(str, sources))
        for source in sources:
            result = out / f"{source.stem}.{fmt}"
            assert result.is_file(), f"LibreOffice did not convert {source.name} to {fmt}: {done.stderr}"
            files[result.name] = result
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    assert module.parent.is_dir(), "LibreOffice did not create its user profile"
    module.write_text(_PROTECT_MACRO, encoding="utf-8")
    enc_odt, enc_doc = out / "locked.odt", out / "locked.doc"
    done = _soffice(profile, f'macro:///Standard.Module1.SaveProtected("{act}","{enc_odt}","{enc_doc}")')
    assert enc_odt.is_file() and enc_doc.is_file(), f"LibreOffice did not save protected copies: {done.stderr}"
    files["locked.odt"], files["locked.doc"] = enc_odt, enc_doc
    return files


def copy_to(tmp_path: Path, source: Path, name: str | None = None) -> Path:
    target = tmp_path / (name or source.name)
    shutil.copyfile(source, target)
    return target


# --------------------------------------------------------------------------------------------
# Converted files read like the DOCX


@needs_soffice
def test_docx_source_reads_as_expected(lo):
    assert shape(read_raw(str(lo["act.docx"])).blocks) == ACT_EXPECTED


@needs_soffice
@pytest.mark.parametrize("fmt", ["odt", "rtf", "doc"])
def test_converted_act_reads_like_the_docx(lo, fmt):
    raw = read_raw(str(lo[f"act.{fmt}"]))
    assert raw.format == fmt
    assert raw.path == str(lo[f"act.{fmt}"])
    assert shape(raw.blocks) == ACT_EXPECTED
    got = labels(raw)
    for label, text in ACT_LABELS.items():
        assert got.get(label) == text, (label, got.get(label))
    assert "в течение трех дней" not in str(shape(raw.blocks))  # the tracked deletion


@needs_soffice
def test_odt_locations_index_the_paragraphs_of_content_xml(lo):
    raw = read_raw(str(lo["act.odt"]))
    with zipfile.ZipFile(lo["act.odt"]) as z:
        root = etree.fromstring(z.read("content.xml"))
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    office_text = root.find(".//{urn:oasis:names:tc:opendocument:xmlns:office:1.0}text")
    order = [e for e in office_text.iter(f"{{{text_ns}}}p", f"{{{text_ns}}}h")
             if not any(a.tag == f"{{{text_ns}}}tracked-changes" for a in e.iterancestors())]

    def paragraphs(blocks):
        for block in blocks:
            if isinstance(block, Table):
                for row in block.rows:
                    for cell in row:
                        yield from paragraphs(cell)
            else:
                yield block

    seen = list(paragraphs(raw.blocks))
    assert len(seen) == 25
    for p in seen:
        source = "".join(order[p.location.index].itertext())
        assert p.text.split()[0] in source, (p.location, p.text, source)
    assert [p.location.index for p in seen] == sorted(p.location.index for p in seen)


@needs_soffice
def test_doc_is_converted_in_a_sandbox_and_the_input_is_untouched(lo, tmp_path):
    path = copy_to(tmp_path, lo["act.doc"], "Проект постановления.doc")
    before = sha(path)
    document = read_document(str(path))
    assert document.format == "doc" and document.path == str(path)
    assert document.find("подпункт «а» пункта 4").text == "несоответствие документов требованиям;"
    assert sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Проект постановления.doc"]


# --------------------------------------------------------------------------------------------
# PDF


@pytest.fixture(scope="session")
def post_pdf(lo) -> Path:
    return lo["post.pdf"]


@needs_soffice
def test_pdf_paragraphs_equal_the_source_paragraphs(post_pdf):
    data = post_pdf.read_bytes()
    pages, _ = pdf_reader._extract(str(post_pdf), data)
    lines = [ln.text for page in pages for ln in page.lines]
    # the preconditions: two pages, running heads and page numbers printed, words broken at line ends
    assert len(pages) == 2
    assert lines.count(RUNNING_HEAD) == 2 and "- 1 -" in lines and "- 2 -" in lines
    assert any(line.endswith("обеспече-") for line in lines), "LibreOffice did not break «обеспечения»"
    assert any(line.endswith("Ханты-") for line in lines) and any(line.endswith("что-") for line in lines)
    raw = read_raw(str(post_pdf))
    assert raw.format == "pdf"
    texts = [b.text for b in raw.blocks]
    assert texts == post_paragraphs()
    assert [b.location for b in raw.blocks][:2] == [pdf_reader.Location("text", 0), pdf_reader.Location("text", 1)]
    joined = "\n".join(texts)
    assert RUNNING_HEAD not in joined and "- 2 -" not in joined
    assert "обеспечения" in joined and "Ханты-Мансийского" in joined and "что-либо" in joined
    assert "предоставления." in joined and "предостав-" not in joined


@needs_soffice
def test_pdf_structure_labels(post_pdf):
    got = labels(read_raw(str(post_pdf)))
    assert got["наименование"].startswith("Об утверждении Порядка предоставления субсидий")
    assert got["преамбула"].endswith("ПОСТАНОВЛЯЕТ:")
    assert got["пункт 2.3"].startswith("2.3. Уполномоченный орган вправе запросить")
    assert got["подпункт «а» пункта 9"].startswith("а) несоответствие представленных")
    assert got["подпункт «в» пункта 9"] == "в) иные основания, предусмотренные муниципальными правовыми актами."
    assert got["пункт 10.1"].endswith("обеспечения достижения результатов.")
    assert got["пункт 12"].startswith("12. Настоящее постановление")
    assert got["подпись"] == "Глава городского округа И.И. Иванов"


@needs_soffice
def test_pdf_of_ragged_single_line_paragraphs_with_spacing(lo):
    """Word's default template: left-aligned, no first-line indent, space after each paragraph."""
    raw = read_raw(str(lo["act.pdf"]))
    texts = [b.text for b in raw.blocks]
    assert texts[:5] == [
        "АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ",
        "ПОСТАНОВЛЕНИЕ",
        "от 12.03.2025 № 45",
        "Об утверждении Порядка предоставления субсидий",
        "В соответствии со статьей 78 Бюджетного кодекса Российской Федерации администрация ПОСТАНОВЛЯЕТ:",
    ]
    assert "Наименование документа Срок представления" in texts  # a table row: its cells on one line
    got = labels(raw)
    assert got["подпункт «а» пункта 4"] == "а) несоответствие документов требованиям;"
    assert got["пункт 5"] == "5. Контроль за исполнением постановления возложить на заместителя главы."
    assert got["подпись"] == "Глава городского округа И.И. Иванов"


@needs_soffice
def test_pdf_encrypted_with_owner_password_only_is_read(post_pdf, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=str(post_pdf))
    writer.encrypt(user_password="", owner_password="владелец", algorithm="AES-128")
    path = tmp_path / "restricted.pdf"
    writer.write(str(path))
    assert [b.text for b in read_raw(str(path)).blocks] == post_paragraphs()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_pdf_with_a_user_password_is_refused(tmp_path, algorithm):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm=algorithm)
    path = tmp_path / "locked.pdf"
    writer.write(str(path))
    refused(path, "защищён паролем", "повторите проверку")


def test_scanned_pdf_without_a_text_layer_is_refused(tmp_path):
    image_module = pytest.importorskip("PIL.Image")
    draw_module = pytest.importorskip("PIL.ImageDraw")
    page = image_module.new("RGB", (1240, 1754), "white")
    draw = draw_module.Draw(page)
    for y in range(200, 1500, 40):  # lines of "text" as a scanner sees them: pixels
        draw.rectangle([150, y, 1100, y + 12], fill="black")
    path = tmp_path / "scan.pdf"
    page.save(path, "PDF", resolution=150)
    message = refused(path)
    assert message == (f"Файл «{path}» не содержит текстового слоя (отсканированный документ): "
                       "распознайте текст (OCR) и повторите проверку.")


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n" + bytes(range(256)) * 16,
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
], ids=["junk", "no-pages"])
def test_corrupt_pdf_is_refused(tmp_path, data):
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(data)
    message = refused(path)
    assert "PDF" in message or "текстового слоя" in message


def test_pdf_warnings_of_pdfminer_stay_quiet(tmp_path, capfd):
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 16)
    with pytest.raises(InputError):
        read_raw(str(path))
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


@pytest.mark.parametrize("left, right, joined", [
    ("целей ее предостав-", "ления.", "целей ее предоставления."),
    ("на что-", "либо иное", "на что-либо иное"),
    ("о ком-", "нибудь", "о ком-нибудь"),
    ("территории Ханты-", "Мансийского", "территории Ханты-Мансийского"),
    ("№ 131-", "ФЗ «Об общих", "№ 131-ФЗ «Об общих"),
    ("в целях социально-", "экономического развития", "в целях социально-экономического развития"),
    ("уполномочен-", "ный орган", "уполномоченный орган"),
    ("необходимо-", "сти", "необходимости"),
    ("кое-", "где", "кое-где"),
    ("по мере", "необходимости", "по мере необходимости"),
])
def test_line_ends_are_joined_and_hyphenation_repaired(left, right, joined):
    assert pdf_reader._join(left, right) == joined


# --------------------------------------------------------------------------------------------
# ODT written by hand: numbering rules, text rules, hostile packages

ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)

ODT_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {ODF_NS} office:version="1.3">
 <office:styles>
  <style:style style:name="Standard" style:family="paragraph" style:display-name="Обычный"/>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph"
     style:parent-style-name="Standard" style:default-outline-level="1"/>
  <text:outline-style style:name="Outline">
   <text:outline-level-style text:level="1" style:num-format="I" style:num-suffix="."/>
   <text:outline-level-style text:level="2" style:num-format=""/>
  </text:outline-style>
  <text:list-style style:name="Points">
   <text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."/>
   <text:list-level-style-number text:level="2" style:num-format="1" style:num-suffix="." text:display-levels="2"/>
   <text:list-level-style-number text:level="3" style:num-format="а, б, .., аа, аб, ... (ru)" style:num-suffix=")"/>
  </text:list-style>
  <text:list-style style:name="Parens">
   <text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix=")" text:start-value="3"/>
  </text:list-style>
  <text:list-style style:name="LoFormat">
   <text:list-level-style-number text:level="1" style:num-format="1" loext:num-list-format="%1%."/>
   <text:list-level-style-number text:level="2" style:num-format="1" loext:num-list-format="%1%.%2%."/>
  </text:list-style>
  <text:list-style style:name="Bullets">
   <text:list-level-style-bullet text:level="1" text:bullet-char="•"/>
  </text:list-style>
 </office:styles>
</office:document-styles>
"""


def odt_content(body: str, automatic: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODF_NS} office:version="1.3">'
            f"<office:automatic-styles>{automatic}</office:automatic-styles>"
            f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")


def write_odt(path: Path, content: str, *, styles: str = ODT_STYLES, manifest_extra: str = "",
              mimetype: str = "application/vnd.oasis.opendocument.text", title: str | None = None) -> Path:
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
                f'manifest:media-type="{mimetype}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
                f"{manifest_extra}</manifest:file-entry></manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("styles.xml", styles, zipfile.ZIP_DEFLATED)
        if title is not None:
            z.writestr("meta.xml", f'<office:document-meta {ODF_NS}><office:meta><dc:title>{title}</dc:title>'
                                   "</office:meta></office:document-meta>")
    return path


def item(text: str, inner: str = "", attrs: str = "") -> str:
    return f"<text:list-item {attrs}><text:p>{text}</text:p>{inner}</text:list-item>"


ODT_BODY = (
    '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
    "<office:change-info><dc:creator>Редактор</dc:creator></office:change-info>"
    "<text:p>удалённый текст</text:p></text:deletion></text:changed-region>"
    '<text:changed-region text:id="c2"><text:insertion><office:change-info><dc:creator>Р</dc:creator>'
    "</office:change-info></text:insertion></text:changed-region></text:tracked-changes>"
    "<text:sequence-decls/>"
    '<text:h text:style-name="Heading_20_1" text:outline-level="1">Общие положения</text:h>'
    "<text:p>  Текст   с\n   пробелами <text:span>и спаном</text:span>"
    '<text:s text:c="3"/>три<text:tab/>таб<text:line-break/>строка '
    '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
    "<text:note-body><text:p>сноска</text:p></text:note-body></text:note>"
    '<office:annotation><dc:creator>Эксперт</dc:creator><text:p>примечание</text:p></office:annotation>'
    '<text:change text:change-id="c1"/><text:change-start text:change-id="c2"/>вставка'
    '<text:change-end text:change-id="c2"/>.</text:p>'
    '<text:list xml:id="L1" text:style-name="Points">'
    + item("Первый пункт.")
    + item("Второй пункт:", '<text:list>' + item("подпункт 2.1;") + item(
        "подпункт 2.2:", "<text:list>" + item("буква а;") + item("буква б.") + "</text:list>") + "</text:list>")
    + "<text:list-header><text:p>Заголовок списка без номера</text:p></text:list-header>"
    + item("Пятый пункт.", attrs='text:start-value="5"')
    + "</text:list>"
    "<text:p>Абзац между списками.</text:p>"
    '<text:list text:style-name="Points" text:continue-numbering="true">' + item("Шестой пункт.") + "</text:list>"
    '<text:list text:style-name="Points">' + item("Снова первый.") + "</text:list>"
    '<text:list text:style-name="Points" text:continue-list="L1">' + item("Седьмой пункт.") + "</text:list>"
    '<text:list text:style-name="Parens">' + item("с третьего;") + item("и дальше.") + "</text:list>"
    '<text:list text:style-name="LoFormat">' + item("Раз.", "<text:list>" + item("Раз-раз.") + "</text:list>")
    + "</text:list>"
    '<text:list text:style-name="Bullets">' + item("маркер") + "</text:list>"
    '<text:list text:style-name="Points"><text:list-item><text:number>9.</text:number>'
    "<text:p>Номер, записанный явно.</text:p></text:list-item></text:list>"
    '<text:h text:outline-level="1">Заключительные положения</text:h>'
    '<text:h text:outline-level="2">Подзаголовок</text:h>'
    "<table:table><table:table-column/><table:table-header-rows><table:table-row>"
    "<table:table-cell><text:p>Графа А</text:p></table:table-cell>"
    '<table:table-cell table:number-columns-spanned="2"><text:p>Графа Б</text:p></table:table-cell>'
    "<table:covered-table-cell/></table:table-row></table:table-header-rows>"
    "<table:table-row><table:table-cell><text:p>а1</text:p><text:p>а2</text:p></table:table-cell>"
    "<table:table-cell><table:table><table:table-row><table:table-cell><text:p>вложенная</text:p>"
    "</table:table-cell></table:table-row></table:table><text:p>после</text:p></table:table-cell>"
    "<table:table-cell><text:p/></table:table-cell></table:table-row></table:table>"
    '<text:section text:name="S1"><text:p>В разделе документа.</text:p></text:section>'
    "<text:p><draw:frame><draw:text-box><text:p>в рамке</text:p></draw:text-box></draw:frame>Конец.</text:p>"
)


def test_handwritten_odt_numbering_text_and_tables(tmp_path):
    path = write_odt(tmp_path / "draft.odt", odt_content(ODT_BODY), title="Проект  порядка")
    raw = read_raw(str(path))
    assert raw.format == "odt" and raw.title == "Проект порядка"
    assert shape(raw.blocks) == [
        ("I.", "Общие положения"),
        (None, "Текст с пробелами и спаном   три\tтаб\nстрока вставка."),
        ("1.", "Первый пункт."),
        ("2.", "Второй пункт:"),
        ("2.1.", "подпункт 2.1;"),
        ("2.2.", "подпункт 2.2:"),
        ("а)", "буква а;"),
        ("б)", "буква б."),
        (None, "Заголовок списка без номера"),
        ("5.", "Пятый пункт."),
        (None, "Абзац между списками."),
        ("6.", "Шестой пункт."),
        ("1.", "Снова первый."),
        ("7.", "Седьмой пункт."),
        ("3)", "с третьего;"),
        ("4)", "и дальше."),
        ("1.", "Раз."),
        ("1.1.", "Раз-раз."),
        (None, "маркер"),
        ("9.", "Номер, записанный явно."),
        ("II.", "Заключительные положения"),
        (None, "Подзаголовок"),
        [[[(None, "Графа А")], [(None, "Графа Б")]],
         [[(None, "а1"), (None, "а2")], [[[[(None, "вложенная")]]], (None, "после")], []]],
        (None, "В разделе документа."),
        (None, "Конец."),
    ]
    heading = raw.blocks[0]
    assert heading.style == "Heading 1" and heading.heading_level == 1
    assert raw.blocks[1].style is None  # no text:style-name: the default style, unnamed
    # Location: position among text:p/text:h of office:text (notes, annotations, frames counted;
    # the deleted paragraph in text:tracked-changes not)
    assert heading.location.index == 0 and raw.blocks[1].location.index == 1
    assert raw.blocks[2].location.index == 4  # after «сноска» and «примечание»
    assert raw.blocks[-1].location.index == raw.blocks[-2].location.index + 1  # «в рамке» right after


def test_odt_numbering_gives_structure_labels(tmp_path):
    body = (
        "<text:p>АДМИНИСТРАЦИЯ ГОРОДА</text:p><text:p>ПОСТАНОВЛЕНИЕ</text:p>"
        "<text:p>Об утверждении Порядка</text:p>"
        '<text:list text:style-name="Points">'
        + item("Общие положения.", "<text:list>" + item("Порядок определяет правила.") + item("Заявитель представляет:")
               + item("Уполномоченный орган вправе запросить документы.") + "</text:list>")
        + item("Рассмотрение заявления.") + item("Решение принимается.") + item(
            "Основаниями для отказа являются:", "<text:list><text:list-item><text:list>" + item("несоответствие;")
            + item("недостоверность.") + "</text:list></text:list-item></text:list>")
        + "</text:list>"
    )
    raw = read_raw(str(write_odt(tmp_path / "act.odt", odt_content(body))))
    got = labels(raw)
    assert got["пункт 1.3"] == "Уполномоченный орган вправе запросить документы."
    assert got["подпункт «а» пункта 4"] == "несоответствие;"
    assert got["подпункт «б» пункта 4"] == "недостоверность."


def test_odt_automatic_paragraph_style_gives_the_list_style(tmp_path):
    automatic = ('<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Standard" '
                 'style:list-style-name="Parens"/>')
    body = '<text:list><text:list-item><text:p text:style-name="P1">по стилю абзаца</text:p></text:list-item></text:list>'
    raw = read_raw(str(write_odt(tmp_path / "p.odt", odt_content(body, automatic))))
    assert shape(raw.blocks) == [("3)", "по стилю абзаца")]
    assert raw.blocks[0].style == "Обычный"


def test_encrypted_odt_manifest_is_refused(tmp_path):
    extra = ('<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
             '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
             '<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:iteration-count="1024" '
             'manifest:salt="AAAA"/></manifest:encryption-data>')
    path = write_odt(tmp_path / "locked.odt", "not xml at all: encrypted bytes", manifest_extra=extra)
    refused(path, "защищён паролем")


@needs_soffice
def test_odt_protected_by_libreoffice_is_refused(lo, tmp_path):
    refused(copy_to(tmp_path, lo["locked.odt"]), "защищён паролем")


def test_odt_zip_bomb_is_refused_before_inflating(tmp_path):
    src = write_odt(tmp_path / "src.odt", odt_content("<text:p>Текст.</text:p>"))
    bomb = forge_declared_sizes(src, tmp_path / "bomb.odt", {"content.xml": 3 * 1024 ** 3})
    refused(bomb, "content.xml", "МБ")


def test_odt_total_size_limit(tmp_path):
    src = tmp_path / "big.odt"
    write_odt(src, odt_content("<text:p>Текст.</text:p>"))
    with zipfile.ZipFile(src, "a") as z:
        for i in range(3):
            z.writestr(f"Pictures/p{i}.bin", b"\0" * 1024)
    bomb = forge_declared_sizes(src, tmp_path / "bomb.odt", {f"Pictures/p{i}.bin": 190 * 1024 ** 2 for i in range(3)})
    refused(bomb, "после распаковки", "500 МБ")


@pytest.mark.parametrize("case, words", [
    ("xxe", ("DOCTYPE", "ODT")),
    ("broken", ("ODT", "content.xml")),
    ("spreadsheet", ("не является текстовым документом ODT",)),
    ("no-content", ("content.xml",)),
    ("not-zip", ("ODT",)),
])
def test_bad_odt_is_refused(tmp_path, case, words):
    path = tmp_path / "bad.odt"
    secret = tmp_path / "secret.txt"
    secret.write_text("СЕКРЕТНЫЕ ДАННЫЕ", encoding="utf-8")
    if case == "xxe":
        content = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
                   + odt_content("<text:p>&x;</text:p>").split("?>", 1)[1])
        write_odt(path, content)
    elif case == "broken":
        write_odt(path, "<office:document-content")
    elif case == "spreadsheet":
        write_odt(path, odt_content(""), mimetype="application/vnd.oasis.opendocument.spreadsheet")
    elif case == "no-content":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    else:
        path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    message = refused(path, *words)
    assert "СЕКРЕТНЫЕ" not in message


# --------------------------------------------------------------------------------------------
# RTF written by hand, Word style


def cp(text: str) -> str:
    """Cyrillic as Word writes it with \\ansicpg1251: \\'xx bytes."""
    return "".join(f"\\'{b:02x}" if b > 127 else chr(b) for b in text.encode("cp1251"))


def uni(text: str) -> str:
    r"""Text as \uN with a «?» fallback (\uc1)."""
    out = []
    for unit in range(0, len(text.encode("utf-16-le")), 2):
        value = int.from_bytes(text.encode("utf-16-le")[unit:unit + 2], "little")
        out.append(f"\\u{value - 65536 if value > 32767 else value}?")
    return "".join(out)


WORD_RTF = (
    r"{\rtf1\ansi\ansicpg1251\deff0\uc1"
    r"{\fonttbl{\f0\froman\fcharset204 Times New Roman;}{\f1\fswiss\fcharset0 Arial;}"
    r"{\f2\fnil\fcharset2 Symbol;}{\f3\fnil\fcharset238 Arial CE;}}"
    r"{\colortbl;\red0\green0\blue0;}"
    r"{\stylesheet{\s0\f0 Normal;}{\s1\outlinelevel0\f0 heading 1;}{\*\cs10 Default Paragraph Font;}}"
    r"{\*\listtable{\list\listtemplateid1{\listlevel\levelnfc0{\leveltext\'02\'00.;}{\levelnumbers\'01;}}"
    r"\listid1}}{\*\listoverridetable{\listoverride\listid1\ls1}}"
    "{\\info{\\title " + cp("Проект постановления") + r"}{\author Ivanov}{\creatim\yr2025}}"
    "{\\header\\pard " + cp("Колонтитул") + r"\par}"
    r"\pard\plain\s1\f0 " + cp("ЗАГОЛОВОК") + r"\par"
    r"\pard\plain\f0 " + cp("Порядок") + r"\~" + cp("предоставления") + r"\emdash " + cp("текст")
    + r"{\v " + cp("скрытый") + r"}" + r"{\deleted " + cp("удалённый") + r"}"
    + r"{\revised " + cp(" вставленный") + r"}"
    + r'{\field{\*\fldinst HYPERLINK "http://example"}{\fldrslt ' + cp(" ссылка") + r"}}"
    + r"{\footnote\pard " + cp("сноска") + r"\par}"
    + r"{\*\bkmkstart b1}{\*\bkmkend b1}"
    + r"{\pict\wmetafile8 0102}{\*\shppict{\pict\pngblip 89504e47}}"
    + r"\bin6 {}\\\x" + cp(" после") + r"\tab\line " + cp("строка") + r"\par"
    + r"{\listtext\pard\plain\f0 1.\tab}\pard\plain\ls1\ilvl0\f0 " + cp("Первый пункт.") + r"\par"
    + r"{\listtext\pard\plain\f0 2.\tab}\pard\plain\ls1\ilvl0\f0 " + cp("Второй пункт:") + r"\par"
    + r"{\listtext\pard\plain\f0 \'e0)\tab}\pard\plain\ls1\ilvl1\f0 " + cp("буква а;") + r"\par"
    + r"{\listtext\pard\plain\f2 \'b7\tab}\pard\plain\ls2\f0 " + cp("маркер") + r"\par"
    + r"{\pntext\f0 3.\tab}\pard\plain " + cp("Старая нумерация Word 6.") + r"\par"
    + r"\pard\plain\f1 " + uni("Юникод: ") + r"{\uc0\u1046\u1046}" + uni(" 😀") + r"\par"
    + r"\pard\plain\f3 \'8a\'9a \'e8\par"
    + r"{\upr{" + cp("ANSI-версия") + r"}{\*\ud{" + uni("Юникод-версия") + r"}}}\par"
    + r"\trowd\cellx2000\cellx4000"
    + r"\pard\intbl\f0 " + cp("Графа 1") + r"\cell " + cp("Графа 2") + r"\cell\row"
    + r"\trowd\cellx2000\cellx4000"
    + r"\pard\intbl " + cp("а1") + r"\par " + cp("а2") + r"\cell"
    + r"\pard\intbl\itap2 " + cp("вложенная 1") + r"\nestcell " + cp("вложенная 2") + r"\nestcell"
    + r"{\*\nesttableprops\trowd\cellx900\cellx1800\nestrow}{\nonesttables\par}"
    + r"\pard\intbl\itap1 " + cp("после вложенной") + r"\cell\row"
    + r"\pard\plain " + cp("После таблицы.") + "\\\n"
    + cp("Обратная косая и перевод строки — тоже абзац.") + r"\par"
    + r"\sect\sectd\pard " + cp("Второй раздел документа.") + r"\par}"
)


def test_word_style_rtf(tmp_path):
    path = tmp_path / "draft.rtf"
    path.write_bytes(WORD_RTF.encode("ascii"))
    raw = read_raw(str(path))
    assert raw.format == "rtf" and raw.title == "Проект постановления"
    assert shape(raw.blocks) == [
        (None, "ЗАГОЛОВОК"),
        (None, "Порядок\u00a0предоставления\u2014текст вставленный ссылка после\t\nстрока"),
        ("1.", "Первый пункт."),
        ("2.", "Второй пункт:"),
        ("а)", "буква а;"),
        (None, "маркер"),
        ("3.", "Старая нумерация Word 6."),
        (None, "Юникод: ЖЖ 😀"),
        (None, "Šš č"),
        (None, "Юникод-версия"),
        [[[(None, "Графа 1")], [(None, "Графа 2")]],
         [[(None, "а1"), (None, "а2")], [[[[(None, "вложенная 1")], [(None, "вложенная 2")]]], (None, "после вложенной")]]],
        (None, "После таблицы."),
        (None, "Обратная косая и перевод строки — тоже абзац."),
        (None, "Второй раздел документа."),
    ]
    heading = raw.blocks[0]
    assert heading.style == "Heading 1" and heading.heading_level == 1
    assert raw.blocks[1].style == "Normal" and raw.blocks[1].heading_level is None
    indexes = [b.location.index for b in raw.blocks if isinstance(b, Paragraph)]
    assert indexes == sorted(indexes) and indexes[0] == 0
    assert all(b.location.part == "body" for b in raw.blocks)
    got = labels(raw)
    assert got["пункт 2"] == "Второй пункт:" and got["подпункт «а» пункта 2"] == "буква а;"


def test_rtf_deleted_paragraph_marks_join_paragraphs(tmp_path):
    path = tmp_path / "tracked.rtf"
    path.write_bytes(
        rb"{\rtf1\ansi {\listtext 1.\tab}\pard A\par{\listtext 2.\tab}{\deleted B\par}"
        rb"{\listtext 2.\tab}\pard C{\deleted  D}\par E{\deleted\par}F\par}"
    )
    raw = read_raw(str(path))
    assert [(b.number, b.text, b.location.index) for b in raw.blocks] == [("1.", "A", 0), ("2.", "C", 1), (None, "EF", 2)]


def test_rtf_in_cp1251_without_fonts_uses_the_ansi_code_page(tmp_path):
    path = tmp_path / "simple.rtf"
    path.write_bytes(b"{\\rtf1\\ansi\\ansicpg1251 " + "1. Текст в кодировке Windows-1251.".encode("cp1251")
                     + b"\\par " + cp("2.3. Пункт.").encode("ascii") + b"\\par}")
    raw = read_raw(str(path))
    assert shape(raw.blocks) == [(None, "1. Текст в кодировке Windows-1251."), (None, "2.3. Пункт.")]


@pytest.mark.parametrize("data, words", [
    (b"{\\rtf1 " + bytes(range(256)) * 8 + b"}", ("RTF", "двоичные данные")),
    (b"{\\rtf1 " + b"{\\b " * 5000 + b"x", ("вложенность",)),
    (b"{\\rtf1 \\trowd\\pard\\intbl\\itap100000 x\\nestcell}", ("вложенность таблиц",)),
], ids=["binary", "deep-groups", "deep-tables"])
def test_bad_rtf_is_refused(tmp_path, data, words):
    path = tmp_path / "bad.rtf"
    path.write_bytes(data)
    refused(path, *words)


def test_read_rtf_refuses_a_file_without_the_rtf_header(tmp_path):
    from expertise.documents.rtf_reader import read_rtf

    with pytest.raises(InputError, match="не является документом RTF"):
        read_rtf("x.rtf", b"PK\x03\x04 not rtf")


@needs_soffice
def test_libreoffice_rtf_uses_unicode_escapes(lo):
    data = lo["act.rtf"].read_bytes()
    assert b"\\u1059" in data and b"\\listtext" in data  # what the reader had to handle above


# --------------------------------------------------------------------------------------------
# Word 97–2003


def _junk_ole() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600


@needs_soffice
def test_junk_ole_doc_is_refused(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(_junk_ole())
    message = refused(path, "Word 97–2003", "DOCX")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.doc"]
    assert "не удалось преобразовать" in message


@needs_soffice
def test_doc_protected_by_libreoffice_is_refused(lo, tmp_path):
    refused(copy_to(tmp_path, lo["locked.doc"]), "Word 97–2003", "защищён паролем")


def test_encrypted_ooxml_named_doc_is_refused_without_conversion(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPERTISE_SOFFICE", "/nonexistent/soffice")
    path = tmp_path / "locked.doc"
    path.write_bytes(_junk_ole() + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64)
    refused(path, "защищён паролем")


def test_doc_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPERTISE_SOFFICE", "")
    path = tmp_path / "old.doc"
    path.write_bytes(_junk_ole())
    message = refused(path)
    assert message == (f"Файл «{path}» в формате Word 97–2003 (.doc): установите LibreOffice или сохраните "
                       "документ в формате DOCX и повторите проверку.")


def test_doc_conversion_time_limit_kills_the_process_group(tmp_path, monkeypatch):
    pidfile = tmp_path / "sleeper.pid"
    fake = tmp_path / "fake-soffice"
    fake.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > '{pidfile}'\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setenv("EXPERTISE_SOFFICE", str(fake))
    monkeypatch.setattr(doc_converter, "CONVERSION_TIMEOUT", 1.0)
    path = tmp_path / "slow.doc"
    path.write_bytes(_junk_ole())
    started = time.monotonic()
    message = refused(path, "Word 97–2003", "DOCX")
    assert time.monotonic() - started < 15
    assert "за 1 с" in message
    pid = int(pidfile.read_text())
    for _ in range(50):
        if not _alive(pid):
            break
        time.sleep(0.1)
    else:
        pytest.fail("the converter's child process survived the time limit")


def _alive(pid: int) -> bool:
    """Running (a killed orphan may stay a zombie where PID 1 does not reap: that is dead)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")
