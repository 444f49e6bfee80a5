"""`expertise annotate` and `review`: comments on the exact words, nothing else changed, the
expert's round trip, and LibreOffice reading the result."""

import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from docx_factory import AbstractNum, DocxBuilder, Level, Num, cell, inserted, run
from expertise.annotation.review import read_review
from expertise.annotation.writer import W
from expertise.documents.docx_reader import read_docx
from expertise.documents.structure import build_document
from expertise.pipeline import Checker
from test_cli import run as run_cmd

NS = {"w": W}


def _build(path: Path) -> str:
    b = DocxBuilder()
    b.numbering([AbstractNum(1, [Level(0, "decimal", "%1."), Level(1, "decimal", "%1.%2."),
                                 Level(2, "russianLower", "%3)")])], [Num(1, 1)])
    b.para("АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА")
    b.para("ПОСТАНОВЛЕНИЕ")
    b.para("Об утверждении Порядка выдачи разрешений на размещение объектов")
    b.para("Общие положения", num=1, ilvl=0)
    b.raw_para(run("Уполномоченный орган ") + '<w:r><w:rPr><w:b/><w:i/></w:rPr><w:t>вправе отказать</w:t></w:r>'
               + run(" в выдаче разрешения при необходимости."), num=1, ilvl=1)
    b.para("Заявителю может быть отказано в выдаче разрешения в случае непредставления документов.", num=1, ilvl=1)
    b.raw_para(run("Заявитель вправе отозвать заявление") + inserted(" до принятия решения") + run("."), num=1, ilvl=1)
    b.para("Решение может быть обжаловано в судебном порядке; о решении заявитель уведомляется в течение "
           "3 рабочих дней со дня его принятия.", num=1, ilvl=1)
    b.table([[cell("Основание"), cell("Кто решает")],
             [cell("Проверка"), cell("Комиссия вправе продлить срок проверки заявителю")]])
    doc = b.doc
    doc.sections[0].header.paragraphs[0].text = "Проект постановления — не для опубликования"
    # an existing comment by a colleague must survive
    para = doc.paragraphs[2]
    doc.add_comment(para.runs, text="Проверить наименование", author="Коллега", initials="К")
    return b.save(path)


@pytest.fixture
def draft(tmp_path):
    return Path(_build(tmp_path / "draft.docx"))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _texts(path) -> list[str]:
    doc = build_document(read_docx(str(path)))
    return [u.text for u in doc.units]


def _comment_anchors(path) -> dict[str, str]:
    """comment id → the text between its range marks (from the XML, independently of our walker)."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    out = {}
    for start in root.iter(f"{{{W}}}commentRangeStart"):
        cid = start.get(f"{{{W}}}id")
        p = start.getparent()
        while p.tag != f"{{{W}}}p":
            p = p.getparent()
        inside, text = False, []
        for el in p.iter():
            if el.tag == f"{{{W}}}commentRangeStart" and el.get(f"{{{W}}}id") == cid:
                inside = True
            elif el.tag == f"{{{W}}}commentRangeEnd" and el.get(f"{{{W}}}id") == cid:
                break
            elif inside and el.tag == f"{{{W}}}t":
                text.append(el.text or "")
        out[cid] = "".join(text)
    return out


def test_annotate_anchors_every_finding_on_its_words_and_changes_nothing_else(expertise_cmd, draft, tmp_path):
    before = _sha(draft)
    res = run_cmd(expertise_cmd, "annotate", str(draft))
    assert res.returncode == 0, res.stderr.decode()
    out = tmp_path / "draft.expertise.docx"
    assert out.exists() and _sha(draft) == before
    findings = Checker().check_document(build_document(read_docx(str(draft)))).findings
    assert len(findings) >= 4
    anchors = _comment_anchors(out)
    ours = {cid: text for cid, text in anchors.items() if text != "Об утверждении Порядка выдачи разрешений на размещение объектов"}
    assert sorted(ours.values()) == sorted(f.quote for f in findings)
    assert len(ours) == len(findings)
    # every paragraph's and cell's text is unchanged, numbering included
    assert _texts(out) == _texts(draft)
    with zipfile.ZipFile(draft) as a, zipfile.ZipFile(out) as b:
        for name in a.namelist():
            if name not in ("word/document.xml", "word/comments.xml", "[Content_Types].xml",
                            "word/_rels/document.xml.rels"):
                assert a.read(name) == b.read(name), name
        comments = etree.fromstring(b.read("word/comments.xml"))
    authors = [c.get(f"{{{W}}}author") for c in comments.iter(f"{{{W}}}comment")]
    assert authors.count("Коллега") == 1 and authors.count("expertise") == len(findings)
    # formatting of a split run survives on both halves
    with zipfile.ZipFile(out) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    bold = ["".join(t.text for t in r.iter(f"{{{W}}}t")) for r in root.iter(f"{{{W}}}r")
            if r.find("w:rPr/w:b", NS) is not None]
    assert bold == ["вправе", " отказать"]


def test_comment_text_names_factor_citation_explanation_and_fix(draft, tmp_path):
    out = tmp_path / "out.docx"
    from expertise.annotation.writer import annotate_docx

    doc = build_document(read_docx(str(draft)))
    findings = Checker().check_document(doc).findings
    annotate_docx(str(draft), str(out), findings)
    with zipfile.ZipFile(out) as z:
        comments = etree.fromstring(z.read("word/comments.xml"))
    ours = [c for c in comments.iter(f"{{{W}}}comment") if c.get(f"{{{W}}}author") == "expertise"]
    first = "\n".join("".join(t.text for t in p.iter(f"{{{W}}}t")) for p in ours[0].iter(f"{{{W}}}p"))
    assert first.startswith("Коррупциогенный фактор: определение компетенции по формуле «вправе» (подпункт «б» пункта 3 Методики")
    assert "Предложение: Изложить норму как обязанность" in first
    assert first.rstrip().endswith("expertise · 3b.vpravo-organ · №1")


def _reviewed(draft, tmp_path, added_text="Уточнить срок отзыва"):
    """Annotate, then do what an expert does in Word: delete the first comment, rewrite the second,
    add one of their own on «Заявитель вправе отозвать заявление»."""
    from expertise.annotation.writer import annotate_docx

    annotated = tmp_path / "annotated.docx"
    findings = Checker().check_document(build_document(read_docx(str(draft)))).findings
    annotate_docx(str(draft), str(annotated), findings)
    with zipfile.ZipFile(annotated) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    document = etree.fromstring(parts["word/document.xml"])
    comments = etree.fromstring(parts["word/comments.xml"])
    ours = [c for c in comments.iter(f"{{{W}}}comment") if c.get(f"{{{W}}}author") == "expertise"]
    gone = ours[0].get(f"{{{W}}}id")
    comments.remove(ours[0])
    for el in list(document.iter(f"{{{W}}}commentRangeStart", f"{{{W}}}commentRangeEnd", f"{{{W}}}commentReference")):
        if el.get(f"{{{W}}}id") == gone:
            target = el.getparent() if el.tag == f"{{{W}}}commentReference" else el
            target.getparent().remove(target)
    second_t = list(ours[1].iter(f"{{{W}}}t"))[1]
    second_t.text = "Согласна: исключить слова «может быть отказано»."
    new = etree.SubElement(comments, f"{{{W}}}comment", {f"{{{W}}}id": "900", f"{{{W}}}author": "Эксперт"})
    etree.SubElement(etree.SubElement(etree.SubElement(new, f"{{{W}}}p"), f"{{{W}}}r"), f"{{{W}}}t").text = added_text
    target_run = next(r for r in document.iter(f"{{{W}}}r") if "".join(t.text or "" for t in r.iter(f"{{{W}}}t")) == "Заявитель вправе отозвать заявление")
    target_run.addprevious(etree.Element(f"{{{W}}}commentRangeStart", {f"{{{W}}}id": "900"}))
    target_run.addnext(etree.Element(f"{{{W}}}commentRangeEnd", {f"{{{W}}}id": "900"}))
    parts["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts["word/comments.xml"] = etree.tostring(comments, xml_declaration=True, encoding="UTF-8", standalone=True)
    reviewed = tmp_path / "reviewed.docx"
    with zipfile.ZipFile(reviewed, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return reviewed, findings


def test_review_round_trip_reports_rejected_edited_added(draft, tmp_path):
    reviewed, findings = _reviewed(draft, tmp_path)
    review = read_review(str(reviewed))
    counts = review.to_dict()["counts"]
    assert counts == {"accepted": len(findings) - 2, "edited": 1, "rejected": 1, "added": 2}  # + the colleague's
    edited = review.by_status("edited")[0]
    assert edited.rule == findings[1].rule and "Согласна" in edited.text and edited.quote == findings[1].quote
    added = [c for c in review.by_status("added") if c.author == "Эксперт"][0]
    assert added.quote == "Заявитель вправе отозвать заявление" and added.unit == "пункт 1.3"
    assert review.by_status("rejected")[0].rule == findings[0].rule


def test_opinion_from_a_reviewed_docx_has_exactly_what_the_expert_left(expertise_cmd, draft, tmp_path):
    reviewed, findings = _reviewed(draft, tmp_path, added_text="4в: срок отзыва заявления не определен.\n"
                                                               "Предложение: указать срок отзыва заявления.")
    out = tmp_path / "opinion.md"
    res = run_cmd(expertise_cmd, "opinion", str(reviewed), "--format", "md", "-o", str(out), "--no-registry",
                  "--form", "departmental")
    assert res.returncode == 0, res.stderr.decode()
    text = out.read_text(encoding="utf-8")
    assert "не включено: укажите в нем фактор" in res.stderr.decode()  # the colleague's note names no factor
    kept = [f for f in findings[1:] if f.severity == "finding"]
    numbered = [line for line in text.splitlines() if line.startswith("**") and ".**" in line.split(" ", 1)[0]]
    assert len(numbered) == len(kept) + 1, numbered
    assert "исключить слова «может быть отказано»" in text  # the expert's edited wording
    assert "указать срок отзыва заявления" in text and "«Заявитель вправе отозвать заявление»" in text
    rejected = findings[0]
    assert f"«{rejected.quote}»" not in text.split("Иные положения")[0] or rejected.quote in (
        f.quote for f in findings[1:])


def test_review_command_json(expertise_cmd, draft, tmp_path):
    run_cmd(expertise_cmd, "annotate", str(draft), "-o", str(tmp_path / "a.docx"))
    res = run_cmd(expertise_cmd, "review", str(tmp_path / "a.docx"), "--format", "json")
    data = json.loads(res.stdout)
    assert data["counts"]["accepted"] >= 4 and data["counts"]["rejected"] == 0
    assert {"status", "rule", "unit", "quote", "text"} <= set(data["comments"][0])


def test_txt_input_produces_a_new_annotated_docx(expertise_cmd, tmp_path):
    src = tmp_path / "draft.txt"
    src.write_text("1. Уполномоченный орган вправе отказать заявителю в выдаче справки.\n", encoding="utf-8")
    res = run_cmd(expertise_cmd, "annotate", str(src))
    assert res.returncode == 0, res.stderr.decode()
    assert list(_comment_anchors(tmp_path / "draft.expertise.docx").values()) == ["вправе"]


def test_output_rules(expertise_cmd, draft, tmp_path):
    res = run_cmd(expertise_cmd, "annotate", str(draft), "-o", str(draft))
    assert res.returncode == 2 and "совпадает с исходным" in res.stderr.decode()
    out = tmp_path / "exists.docx"
    out.write_bytes(b"keep")
    res = run_cmd(expertise_cmd, "annotate", str(draft), "-o", str(out))
    assert res.returncode == 2 and "--force" in res.stderr.decode() and out.read_bytes() == b"keep"
    res = run_cmd(expertise_cmd, "annotate", str(draft), "-o", str(out), "--force")
    assert res.returncode == 0 and zipfile.is_zipfile(out)
    res = run_cmd(expertise_cmd, "annotate", str(draft), "-o", str(tmp_path / "missing" / "x.docx"))
    assert res.returncode == 2 and "не существует" in res.stderr.decode()
    assert not list(tmp_path.glob(".expertise-*")), "no temporary files left behind"


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_annotated_docx_and_exports_the_comments(draft, tmp_path):
    from expertise.annotation.writer import annotate_docx

    pypdf = pytest.importorskip("pypdf")
    annotated = tmp_path / "annotated.docx"
    findings = Checker().check_document(build_document(read_docx(str(draft)))).findings
    annotate_docx(str(draft), str(annotated), findings)
    profile = f"file://{tmp_path}/lo-profile"
    base = [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile}"]
    subprocess.run(base + ["--convert-to", "txt:Text", "--outdir", str(tmp_path / "txt"), str(draft), str(annotated)],
                   check=True, capture_output=True, timeout=180)
    original = (tmp_path / "txt" / "draft.txt").read_text(encoding="utf-8-sig")
    converted = (tmp_path / "txt" / "annotated.txt").read_text(encoding="utf-8-sig")
    assert converted == original
    export = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
    subprocess.run(base + ["--convert-to", export, "--outdir", str(tmp_path / "pdf"), str(annotated)],
                   check=True, capture_output=True, timeout=180)
    reader = pypdf.PdfReader(str(tmp_path / "pdf" / "annotated.pdf"))
    notes = [str(a.get_object().get("/Contents")) for page in reader.pages for a in page.get("/Annots") or []
             if a.get_object().get("/Subtype") == "/Text"]
    assert sum("Коррупциогенный фактор" in n or "Требует проверки" in n for n in notes) == len(findings)


def test_headers_footers_and_footnotes_are_checked_and_reported_not_commented(expertise_cmd, tmp_path):
    from docx_factory import rewrite_package

    b = DocxBuilder()
    b.para("1. Порядок выдачи справок устанавливается настоящим постановлением.")
    doc = b.doc
    doc.sections[0].header.paragraphs[0].text = "Уполномоченный орган вправе отказать заявителю в выдаче справки."
    doc.sections[0].footer.paragraphs[0].text = "Справка выдается при необходимости."
    src = b.save(tmp_path / "parts.docx")
    res = run_cmd(expertise_cmd, "check", src)
    out = res.stdout.decode()
    assert f"{src}:верхний колонтитул:3b:3b.vpravo-organ: «вправе»" in out
    assert ":нижний колонтитул:4v:" in out
    res = run_cmd(expertise_cmd, "annotate", src)
    assert res.returncode == 0
    assert "не размечено (положение не в основном тексте документа)" in res.stderr.decode()
    assert _comment_anchors(tmp_path / "parts.expertise.docx") == {}


def test_footnotes_are_checked_too(expertise_cmd, tmp_path):
    from docx_factory import rewrite_package

    b = DocxBuilder()
    b.para("1. Справка выдается в порядке, установленном настоящим постановлением.")
    src = b.save(tmp_path / "src.docx")
    with zipfile.ZipFile(src) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
        types = z.read("[Content_Types].xml").decode()
    rels = rels.replace("</Relationships>", '<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/'
                        'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    types = types.replace("</Types>", '<Override PartName="/word/footnotes.xml" ContentType="application/'
                          'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
    footnotes = (f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W}">'
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 '<w:footnote w:id="1"><w:p><w:r><w:t>Администрация вправе отказать заявителю в выдаче справки.'
                 "</w:t></w:r></w:p></w:footnote></w:footnotes>")
    out = rewrite_package(src, tmp_path / "notes.docx", {"word/_rels/document.xml.rels": rels.encode(),
                                                          "[Content_Types].xml": types.encode(),
                                                          "word/footnotes.xml": footnotes.encode()})
    res = run_cmd(expertise_cmd, "check", out)
    assert f"{out}:сноска:3b:3b.vpravo-organ: «вправе»" in res.stdout.decode(), res.stdout.decode() + res.stderr.decode()
