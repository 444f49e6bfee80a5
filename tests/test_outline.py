"""`expertise outline` shows the structure as read; on a DOCX with Word's automatic numbering its
numbers and labels match what LibreOffice renders."""

import json
import re
import shutil
import subprocess

import pytest

from docx_factory import AbstractNum, DocxBuilder, Level, Num
from test_cli import run

SOFFICE = shutil.which("soffice")

POINTS = [  # (ilvl, text) of an административный регламент numbered by Word
    (0, "Общие положения"),
    (1, "Настоящий регламент устанавливает порядок предоставления муниципальной услуги."),
    (1, "Заявителями являются физические и юридические лица."),
    (0, "Стандарт предоставления муниципальной услуги"),
    (1, "Муниципальную услугу предоставляет администрация."),
    (1, "Заявитель представляет следующие документы:"),
    (2, "заявление по установленной форме;"),
    (2, "копию документа, удостоверяющего личность;"),
    (2, "доверенность, если обращается представитель."),
    (1, "Срок предоставления услуги — 10 рабочих дней."),
    (0, "Досудебное обжалование"),
    (1, "Жалоба подается главе администрации."),
]


@pytest.fixture
def numbered_docx(tmp_path):
    b = DocxBuilder()
    b.numbering([AbstractNum(1, [Level(0, "decimal", "%1."), Level(1, "decimal", "%1.%2."),
                                 Level(2, "russianLower", "%3)")])], [Num(1, 1)])
    b.para("ПОСТАНОВЛЕНИЕ")
    b.para("Об утверждении административного регламента")
    for ilvl, text in POINTS:
        b.para(text, num=1, ilvl=ilvl)
    return b.save(tmp_path / "reglament.docx")


def test_outline_labels_of_word_numbering(expertise_cmd, numbered_docx):
    res = run(expertise_cmd, "outline", "--format", "json", numbered_docx)
    assert res.returncode == 0, res.stderr.decode()
    units = json.loads(res.stdout)["units"]
    labels = [u["label"] for u in units if u["kind"] in ("пункт", "подпункт")]
    assert labels == ["пункт 1", "пункт 1.1", "пункт 1.2", "пункт 2", "пункт 2.1", "пункт 2.2",
                      "подпункт «а» пункта 2.2", "подпункт «б» пункта 2.2", "подпункт «в» пункта 2.2",
                      "пункт 2.3", "пункт 3", "пункт 3.1"]
    text = run(expertise_cmd, "outline", numbered_docx).stdout.decode()
    assert "    подпункт «б» пункта 2.2: копию документа, удостоверяющего личность;" in text


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_outline_numbers_match_libreoffice(expertise_cmd, numbered_docx, tmp_path):
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "txt:Text", "--outdir", str(tmp_path / "lo"), numbered_docx],
                   check=True, capture_output=True, timeout=180)
    lines = [l.strip() for l in (tmp_path / "lo" / "reglament.txt").read_text(encoding="utf-8-sig").splitlines()]
    rendered = [re.match(r"^(\S+)\s", l).group(1) for l in lines if re.match(r"^(\d+(\.\d+)*\.|[а-я]\))\s", l)]
    units = json.loads(run(expertise_cmd, "outline", "--format", "json", numbered_docx).stdout)["units"]
    numbers = [u["number"] for u in units if u["kind"] in ("пункт", "подпункт")]
    assert [n.rstrip(".)") for n in rendered] == numbers
