"""`expertise opinion`: the заключение in three forms, from the real checker's findings on real drafts.

Golden files (tests/golden/opinion/) hold the Markdown as written and, for DOCX, the document's text
and structure (paragraph styles, tables cell by cell) — not bytes. Regenerate them after an intended
change with ``EXPERTISE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_opinion.py`` and read
the diff. LibreOffice converts every DOCX opinion to PDF (skipped only when ``soffice`` is absent);
pdftoppm renders a page to PNG when it is installed.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import os
import re
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from expertise.documents.reader import read_document
from expertise.opinion.context import OpinionOptions, build_context
from expertise.opinion.render import render_opinion
from expertise.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden" / "opinion"
UPDATE = os.environ.get("EXPERTISE_UPDATE_GOLDEN") == "1"
FORMS = ("independent", "departmental", "table")
DATE = dt.date(2026, 11, 22)
METHODIKA_ORDER = ["3a", "3b", "3v", "3g", "3d", "3e", "3zh", "3z", "3i", "4a", "4b", "4v"]

# A municipal постановление approving a Порядок, with real defects: a decision without a deadline,
# «может быть отказано», «вправе продлить», an open list «по усмотрению отдела», «в случае
# необходимости», two different deadlines for issuing the permit (3и, two units), and «может
# учитываться» (a «проверить» hint). The golden files follow the catalogue: when a rule changes what
# it finds here, regenerate them and read the diff.
DRAFT_WITH = """\
АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ
ПОСТАНОВЛЕНИЕ
Проект
от ___________ 2026 г. № ____
Об утверждении Порядка выдачи разрешений на вырубку зеленых насаждений на территории городского округа Заречный
В соответствии с Федеральным законом от 06.10.2003 № 131-ФЗ «Об общих принципах организации местного самоуправления в Российской Федерации», Уставом городского округа Заречный администрация городского округа ПОСТАНОВЛЯЕТ:
1. Утвердить Порядок выдачи разрешений на вырубку зеленых насаждений на территории городского округа Заречный (приложение).
2. Настоящее постановление вступает в силу со дня его официального опубликования.
3. Контроль за исполнением настоящего постановления возложить на заместителя главы администрации по городскому хозяйству.
Глава городского округа А.В. Смирнов
Приложение
к постановлению администрации
городского округа Заречный
от ___________ 2026 г. № ____
ПОРЯДОК
выдачи разрешений на вырубку зеленых насаждений на территории городского округа Заречный
1. Общие положения
1.1. Настоящий Порядок определяет процедуру выдачи разрешений на вырубку зеленых насаждений (далее — разрешение).
1.2. Разрешение выдает отдел благоустройства администрации городского округа (далее — отдел).
2. Порядок выдачи разрешения
2.1. Для получения разрешения заявитель представляет в отдел заявление и следующие документы:
1) схему размещения зеленых насаждений;
2) документ, подтверждающий права на земельный участок;
3) другие документы по усмотрению отдела.
2.2. Отдел регистрирует заявление в день его поступления.
2.3. Отдел рассматривает заявление и принимает решение о выдаче разрешения или об отказе в его выдаче.
2.4. В выдаче разрешения может быть отказано в случае представления неполного комплекта документов.
2.5. Отдел вправе в случае необходимости провести обследование зеленых насаждений.
2.6. Плата за вырубку зеленых насаждений может учитываться при определении размера компенсационного озеленения.
2.7. Отдел вправе продлить срок рассмотрения заявления на 10 рабочих дней.
2.8. Решение об отказе в выдаче разрешения может быть обжаловано в судебном порядке.
2.9. Разрешение выдается заявителю в течение 5 рабочих дней со дня принятия решения о выдаче разрешения.
3. Заключительные положения
3.1. Разрешение выдается заявителю в течение 10 рабочих дней со дня принятия решения о выдаче разрешения.
"""

# The same body's Порядок with fixed deadlines, a named organiser and nothing left to discretion.
DRAFT_CLEAN = """\
АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ
ПОСТАНОВЛЕНИЕ
Проект
от ___________ 2026 г. № ____
Об утверждении Порядка проведения ярмарок, организуемых администрацией, на территории городского округа Заречный
В соответствии с Федеральным законом от 28.12.2009 № 381-ФЗ «Об основах государственного регулирования торговой деятельности в Российской Федерации» администрация городского округа ПОСТАНОВЛЯЕТ:
1. Утвердить Порядок проведения ярмарок, организуемых администрацией, на территории городского округа Заречный (приложение).
2. Настоящее постановление вступает в силу со дня его официального опубликования.
3. Контроль за исполнением настоящего постановления возложить на заместителя главы администрации по экономике.
Глава городского округа А.В. Смирнов
Приложение
к постановлению администрации
городского округа Заречный
от ___________ 2026 г. № ____
ПОРЯДОК
проведения ярмарок, организуемых администрацией, на территории городского округа Заречный
1. Общие положения
1.1. Настоящий Порядок устанавливает правила проведения ярмарок, организуемых администрацией, на территории городского округа Заречный.
1.2. Организатором ярмарки является отдел потребительского рынка администрации городского округа (далее — отдел).
2. Организация ярмарки
2.1. Отдел ежегодно до 1 декабря утверждает план проведения ярмарок на следующий календарный год и размещает его на официальном сайте администрации в течение 3 рабочих дней со дня утверждения.
2.2. В плане указываются место, сроки проведения и тип каждой ярмарки.
2.3. Ярмарка проводится в месте и в сроки, указанные в плане.
2.4. Торговые места на ярмарке предоставляются бесплатно.
"""

DRAFTS = {"findings": DRAFT_WITH, "clean": DRAFT_CLEAN}

EXPERT = {
    "independent": {"name": "Иванов Иван Иванович", "organization": "",
                    "accreditation": "распоряжение Минюста России от 01.02.2024 № 123-р",
                    "position": "Независимый эксперт"},
    "departmental": {"name": "Петрова Анна Сергеевна",
                     "organization": "Правовое управление администрации городского округа Заречный",
                     "position": "Начальник правового управления"},
    "table": {"name": "Петрова Анна Сергеевна",
              "organization": "Правовое управление администрации городского округа Заречный",
              "position": "Начальник правового управления"},
}


def _settings(form: str) -> Settings:
    return Settings(values={("expert", k): v for k, v in EXPERT[form].items()})


@pytest.fixture(scope="session")
def checker():
    from expertise.pipeline import Checker

    return Checker()


@pytest.fixture(scope="session")
def drafts(tmp_path_factory):
    base = tmp_path_factory.mktemp("drafts")
    out = {}
    for case, text in DRAFTS.items():
        path = base / f"{case}.txt"
        path.write_text(text, encoding="utf-8")
        out[case] = path
    return out


def _context(checker, path, form, **options):
    document = read_document(str(path))
    report = checker.check_document(document)
    opts = OpinionOptions(form=form, date=DATE, **options)
    return build_context(document, report.findings, checker.catalogue, _settings(form), opts)


def _render(checker, path, form, fmt, **options) -> bytes:
    return render_opinion(_context(checker, path, form, **options), form, fmt)


def docx_dump(data: bytes) -> str:
    """The text and structure of a DOCX: «[style] text» per paragraph, tables cell by cell."""
    document = docx.Document(io.BytesIO(data))
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            rows = block.rows
            lines.append(f"[таблица {block.style.name if block.style is not None else '—'}: "
                         f"{len(rows)}×{len(block.columns)}]")
            for row in rows:
                cells = [" ¶ ".join(p.text for p in cell.paragraphs) for cell in row.cells]
                lines.append("| " + " | ".join(cells) + " |")
        else:
            lines.append(f"[{block.style.name}] {block.text}")
    return "\n".join(lines) + "\n"


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        if not UPDATE and os.environ.get("CI"):
            pytest.fail(f"golden file {path} is missing (run with EXPERTISE_UPDATE_GOLDEN=1)")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"differs from {path} (EXPERTISE_UPDATE_GOLDEN=1 to accept)"


# --- the findings the opinions are built from are the real checker's ------------------------------


def test_drafts_give_findings_hints_and_nothing(checker, drafts):
    with_findings = checker.check_file(str(drafts["findings"])).findings
    assert sum(f.severity == "finding" for f in with_findings) >= 4
    assert any(f.severity == "hint" for f in with_findings)
    assert checker.check_file(str(drafts["clean"])).findings == []


# --- golden: three forms × (findings / none) × (DOCX / Markdown) ---------------------------------------


@pytest.mark.parametrize("case", ["findings", "clean"])
@pytest.mark.parametrize("form", FORMS)
def test_golden_markdown(checker, drafts, form, case):
    text = _render(checker, drafts[case], form, "md").decode("utf-8")
    _golden(f"{form}-{case}.md", text)


@pytest.mark.parametrize("case", ["findings", "clean"])
@pytest.mark.parametrize("form", FORMS)
def test_golden_docx(checker, drafts, form, case):
    _golden(f"{form}-{case}.docx.txt", docx_dump(_render(checker, drafts[case], form, "docx")))


@pytest.mark.parametrize("form", FORMS)
def test_html_renders_every_form(checker, drafts, form):
    html = _render(checker, drafts["findings"], form, "html").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "22 ноября 2026 г." in html
    assert "ЗАКЛЮЧЕНИЕ" in html and "подпункт «а» пункта 3 Методики" in html


# --- substance ----------------------------------------------------------------------------------------


def test_findings_are_grouped_in_methodika_order_with_hints_apart(checker, drafts):
    ctx = _context(checker, drafts["findings"], "independent")
    ids = [g["factor"]["id"] for g in ctx["groups"]]
    assert ids == sorted(ids, key=METHODIKA_ORDER.index)
    assert [f["number"] for f in ctx["findings"]] == [
        f"{g['number']}.{i}" for g in ctx["groups"] for i in range(1, len(g["findings"]) + 1)]
    assert all(f["severity"] == "finding" for f in ctx["findings"])
    assert ctx["other"] and all(f["severity"] == "hint" for f in ctx["other"])
    for f in ctx["findings"]:
        assert f["unit"] and f["quote"] and f["explanation"] and f["recommendation"]
        assert f["legal_basis"].endswith("от 26.02.2010 № 96") and f["citation"].endswith("Методики")
    assert [row["id"] for row in ctx["factors"]] == METHODIKA_ORDER
    assert ctx["date"] == "22 ноября 2026 г."
    act = ctx["act"]
    assert act["body"] == "Администрация городского округа Заречный"
    assert act["name_genitive"].startswith("проекта постановления Администрации городского округа Заречный «Об")
    assert act["is_draft"] and act["short_prepositional"] == "проекте"


def test_independent_markdown_has_the_parts_of_the_form(checker, drafts):
    md = _render(checker, drafts["findings"], "independent", "md").decode("utf-8")
    for part in ("> Администрация городского округа Заречный",
                 "# ЗАКЛЮЧЕНИЕ по результатам независимой антикоррупционной экспертизы",
                 "Независимый эксперт: Иванов Иван Иванович.",
                 "Аккредитация: распоряжение Минюста России от 01.02.2024 № 123-р.",
                 "В соответствии с частью 1 статьи 5 Федерального закона от 17.07.2009 №\u00a0172-ФЗ",
                 "и пунктом 4 Правил проведения антикоррупционной экспертизы",
                 "от 26.02.2010 №\u00a096, проведена антикоррупционная экспертиза проекта постановления",
                 "В целях устранения выявленных коррупциогенных факторов предлагается:",
                 "## Иные положения",
                 "22 ноября 2026 г. — ____________________ (подпись) — И.И. Иванов"):
        assert part in md, part
    assert md.index("Широта дискреционных") < md.index("Определение компетенции") < md.index("Нормативные коллизии") \
        < md.index("Юридико-лингвистическая")
    assert "Пункт 2.9 приложения (см. также: пункт 3.1 приложения): «в течение 5 рабочих дней»." in md
    clean = _render(checker, drafts["clean"], "independent", "md").decode("utf-8")
    assert "В представленном проекте коррупциогенные факторы не выявлены." in clean
    assert "Иные положения" not in clean and "предлагается" not in clean


def test_min_severity_finding_leaves_out_other_provisions(checker, drafts):
    md = _render(checker, drafts["findings"], "independent", "md", min_severity="finding").decode("utf-8")
    assert "Иные положения" not in md and "может учитываться" not in md


def test_table_form_lists_all_twelve_factors(checker, drafts):
    for case in ("findings", "clean"):
        document = docx.Document(io.BytesIO(_render(checker, drafts[case], "table", "docx")))
        grid = document.tables[0]
        assert grid.style.name == "Table Grid"
        assert len(grid.rows) == 13 and len(grid.columns) == 4
        assert [c.text for c in grid.rows[0].cells] == [
            "№ п/п", "Коррупциогенный фактор", "Структурная единица проекта, содержащая фактор",
            "Предложение по устранению"]
        assert [r.cells[0].text for r in grid.rows[1:]] == [str(n) for n in range(1, 13)]
        assert grid.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None  # header repeats
        found = [r for r in grid.rows[1:] if r.cells[2].text != "не выявлено"]
        if case == "clean":
            assert not found
        else:
            assert {r.cells[0].text for r in found} >= {"1", "2", "9", "12"}
            assert all(r.cells[3].text not in ("", "—") for r in found)
        assert grid.rows[1].cells[1].text == "Широта дискреционных полномочий (подпункт «а» пункта 3 Методики)"


def test_docx_styles_are_defined_in_the_document(checker, drafts):
    document = docx.Document(io.BytesIO(_render(checker, drafts["findings"], "independent", "docx")))
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    title = document.styles["Заключение — заголовок"]
    assert title.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.font.bold
    titles = [p for p in document.paragraphs if p.style.name == "Заключение — заголовок"]
    assert titles[0].text == "ЗАКЛЮЧЕНИЕ"
    # the look is in the styles: no run carries its own font or size
    for p in document.paragraphs:
        for run in p.runs:
            assert run.font.name is None and run.font.size is None
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.left_margin.cm, 1) == 3.0


def test_act_requisites_of_an_adopted_act_and_overrides(checker, tmp_path):
    adopted = DRAFT_CLEAN.replace("Проект\n", "").replace("от ___________ 2026 г. № ____", "от 12.03.2025 № 45", 1)
    path = tmp_path / "adopted.txt"
    path.write_text(adopted, encoding="utf-8")
    act = _context(checker, path, "independent")["act"]
    assert not act["is_draft"] and act["date"] == "12.03.2025" and act["number"] == "45"
    assert act["date_text"] == "12 марта 2025 г."
    assert act["name_genitive"] == ("постановления Администрации городского округа Заречный от 12.03.2025 №\u00a045 "
                                    "«Об утверждении Порядка проведения ярмарок, организуемых администрацией, на "
                                    "территории городского округа Заречный»")
    assert act["short"] == "постановление" and act["short_prepositional"] == "постановлении"
    act = _context(checker, path, "independent", act={
        "kind": "решение", "body": "Совет депутатов городского округа Заречный", "date": "2025-04-01",
        "number": "7-р", "title": "О ярмарках"})["act"]
    assert act["name_genitive"] == "решения Совета депутатов городского округа Заречный от 01.04.2025 №\u00a07-р «О ярмарках»"


# --- hostile titles ---------------------------------------------------------------------------------

# In the draft's heading (a heading is under 200 characters, so the reader takes it as the title) …
HOSTILE_HEADING = ("Об утверждении <script>alert(1)</script> & Порядка {{ 7*7 }} {% if true %}x{% endif %} "
                   "{%p endfor %} </w:t><w:p> ]]> | *жирный* _курсив_ [ссылка](http://x) \\ #")
# … and a very long one given with --act-title.
HOSTILE = (HOSTILE_HEADING + " очень длинного наименования" * 300)


@pytest.fixture(scope="module")
def hostile_draft(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.txt"
    path.write_text(DRAFT_WITH.replace(
        "Об утверждении Порядка выдачи разрешений на вырубку зеленых насаждений на территории городского округа "
        "Заречный\nВ соответствии", HOSTILE_HEADING + "\nВ соответствии", 1), encoding="utf-8")
    return path


def test_hostile_heading_is_the_title(checker, hostile_draft):
    assert _context(checker, hostile_draft, "independent")["act"]["title"] == HOSTILE_HEADING


HOSTILE_EXPERT = {"name": "Иванов <b>Иван</b> & {{ name }}", "accreditation": "{% raw %}\x07\x0c </w:t>"}


@pytest.mark.parametrize("form", FORMS)
def test_hostile_title_is_text_in_html(checker, hostile_draft, form):
    ctx = _context(checker, hostile_draft, form, expert=HOSTILE_EXPERT, act={"title": HOSTILE})
    assert ctx["act"]["title"] == HOSTILE
    html = render_opinion(ctx, form, "html").decode("utf-8")
    assert "<script>" not in html and "<b>Иван" not in html and "</w:t>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Порядка {{ 7*7 }} {% if true %}x{% endif %}" in html
    assert "49" not in html.split("<body>")[1]
    assert html.count("очень длинного наименования") >= 300


@pytest.mark.parametrize("form", FORMS)
def test_hostile_title_is_text_in_markdown(checker, hostile_draft, form):
    ctx = _context(checker, hostile_draft, form, expert=HOSTILE_EXPERT, act={"title": HOSTILE})
    md = render_opinion(ctx, form, "md").decode("utf-8")
    assert "<script>" not in md and "<b>" not in md
    assert r"\<script\>alert(1)\</script\> \& Порядка {{ 7\*7 }} {% if true %}x{% endif %}" in md
    assert r"\[ссылка\](http://x) \\ \#" in md and r"\*жирный\* \_курсив\_" in md
    assert md.count("очень длинного наименования") >= 300
    if form == "table":  # the pipe cannot break the table: every row still has 4 cells
        rows = [line for line in md.splitlines() if line.startswith("| ") and line[2:3].isdigit()]
        assert len(rows) == 12 and all(len(re.findall(r"(?<!\\)\|", row)) == 5 for row in rows)


@pytest.mark.parametrize("form", FORMS)
def test_hostile_title_is_text_in_docx(checker, hostile_draft, form):
    ctx = _context(checker, hostile_draft, form, expert=HOSTILE_EXPERT, act={"title": HOSTILE})
    data = render_opinion(ctx, form, "docx")
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert HOSTILE in text  # whole, unescaped, not executed
    if form == "independent":
        assert "Иванов <b>Иван</b> & {{ name }}" in text and "{% raw %} </w:t>" in text
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "\x07" not in body and "\x0c" not in body
    assert len(document.paragraphs) == len(docx.Document(io.BytesIO(
        _render(checker, hostile_draft, form, "docx", act={"title": "Об утверждении"}))).paragraphs)


# --- templates supplied by the user --------------------------------------------------------------------


def test_user_templates_override_by_name_and_fall_back(checker, drafts, tmp_path):
    (tmp_path / "independent.md").write_text(
        "Свой шаблон: {{ act.title }} — {{ counts.findings }}; {{ date }}\n"
        "{% for f in findings %}{{ f.number }} {{ f.factor }}\n{% endfor %}", encoding="utf-8")
    ctx = _context(checker, drafts["findings"], "independent")
    md = render_opinion(ctx, "independent", "md", str(tmp_path)).decode("utf-8")
    assert md.startswith("Свой шаблон: Об утверждении Порядка выдачи разрешений") and "1.1 3a" in md
    # a file the user did not supply comes from the package
    assert "ЗАКЛЮЧЕНИЕ" in render_opinion(ctx, "table", "md", str(tmp_path)).decode("utf-8")


def test_command_choices_agree_with_the_opinion_package():
    from expertise.commands import opinion as command
    from expertise.opinion import FORMATS, FORMS as OPINION_FORMS
    from expertise.settings import OPINION_FORMS as SETTINGS_FORMS

    assert command.FORMS == OPINION_FORMS == SETTINGS_FORMS and command.FORMATS == FORMATS


def test_shipped_docx_templates_are_what_the_script_makes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_opinion_templates", ROOT / "scripts" / "make_opinion_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(str(tmp_path))
    for form in FORMS:
        with zipfile.ZipFile(tmp_path / f"{form}.docx") as made, zipfile.ZipFile(ROOT / "templates" / f"{form}.docx") as shipped:
            assert sorted(made.namelist()) == sorted(shipped.namelist())
            for name in made.namelist():
                assert made.read(name) == shipped.read(name), f"{form}.docx: {name} differs; run scripts/make_opinion_templates.py"


def test_readme_documents_every_template_variable(checker, drafts):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Шаблоны заключения" in readme
    section = readme[readme.index("## Шаблоны заключения"):]
    documented = set(re.findall(r"`([\w.\[\]]+)`", section))
    names = {part.strip("[]") for n in documented for part in n.split(".")}

    def walk(value, path):
        if isinstance(value, dict):
            for key, sub in value.items():
                assert key in names, f"README does not document the template variable {path + key}"
                walk(sub, f"{path}{key}.")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            walk(value[0], path)

    for case in ("findings", "clean"):
        walk(_context(checker, drafts[case], "table"), "")


# --- the command ---------------------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path):
    env = dict(os.environ)
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               EXPERTISE_DB=str(tmp_path / "registry.sqlite3"))
    return env


def _run(cmd, args, env, cwd=None):
    """The installed console script, in a subprocess (as a user runs it)."""
    return subprocess.run([cmd, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


@pytest.fixture
def cli(cli_env, monkeypatch, capsys):
    """`expertise.cli.main` in this process (the same entry point, without reloading the models)."""
    from expertise.cli import main

    for key in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "EXPERTISE_DB"):
        monkeypatch.setenv(key, cli_env[key])

    def run(args):
        capsys.readouterr()
        with pytest.raises(SystemExit) as exit_info:
            main(list(args))
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, exit_info.value.code, out.out, out.err)

    yield run
    try:
        from expertise.registry.db import dispose_engines
    except ImportError:
        return
    dispose_engines()


def _one_line_error(done):
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def test_cli_default_output_force_and_format_from_suffix(expertise_cmd, cli_env, cli, checker, tmp_path):
    draft = tmp_path / "проект.txt"
    draft.write_text(DRAFT_WITH, encoding="utf-8")
    done = _run(expertise_cmd, ["opinion", str(draft), "--no-registry", "--date", "2026-11-22",
                                "--expert", "Иванов Иван Иванович", "--accreditation", "распоряжение № 1"], cli_env)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "проект.заключение.docx"
    findings = checker.check_file(str(draft)).findings
    factors, hints = (sum(f.severity == s for f in findings) for s in ("finding", "hint"))
    assert out.is_file() and f"коррупциогенных факторов — {factors}, иных положений — {hints}." in done.stdout
    assert not list(tmp_path.glob(".*.tmp"))
    again = _run(expertise_cmd, ["opinion", str(draft), "--no-registry"], cli_env)  # the real script: one line
    assert "--force" in _one_line_error(again)
    forced = cli(["opinion", str(draft), "--no-registry", "--force", "--form", "table"])
    assert forced.returncode == 0, forced.stderr
    assert "Внимание: эксперт не указан" in forced.stderr
    md = cli(["opinion", str(draft), "--no-registry", "-o", str(tmp_path / "з.md"), "--date", "22.11.2026",
              "--form", "departmental"])
    assert md.returncode == 0, md.stderr
    assert (tmp_path / "з.md").read_text(encoding="utf-8").startswith("> Администрация городского округа Заречный")


def test_cli_settings_give_the_expert_and_the_form(cli, tmp_path):
    config = tmp_path / "expertise.toml"
    config.write_text('[opinion]\nform = "departmental"\ntemplates = "мои-шаблоны"\n'
                      '[expert]\nname = "Сидоров Петр Петрович"\nposition = "Консультант правового отдела"\n',
                      encoding="utf-8")
    (tmp_path / "мои-шаблоны").mkdir()  # relative to the settings file; overrides one partial only
    (tmp_path / "мои-шаблоны" / "_signature.md").write_text(
        "Подпись: {{ expert.signature }}, {{ expert.position|lowerfirst }}, {{ date_numeric }}\n", encoding="utf-8")
    draft = tmp_path / "d.txt"
    draft.write_text(DRAFT_CLEAN, encoding="utf-8")
    done = cli(["opinion", str(draft), "--no-registry", "--format", "md", "--date", "2026-11-22"])
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "d.заключение.md").read_text(encoding="utf-8")
    assert "# ЗАКЛЮЧЕНИЕ по результатам антикоррупционной экспертизы" in text
    assert text.endswith("Подпись: П.П. Сидоров, консультант правового отдела, 22.11.2026\n")
    assert "коррупциогенные факторы не выявлены" in text


@pytest.mark.parametrize("args, words", [
    (["--date", "31.02.2026"], "дата заключения"),
    (["--templates", "/nonexistent/dir"], "Каталог шаблонов"),
    (["--act-date", "вчера"], "дата акта"),
])
def test_cli_user_errors_are_one_russian_line(cli, tmp_path, args, words):
    draft = tmp_path / "d.txt"
    draft.write_text(DRAFT_CLEAN, encoding="utf-8")
    assert words in _one_line_error(cli(["opinion", str(draft), "--no-registry", *args]))


def test_cli_missing_draft_and_bad_templates(cli, tmp_path):
    assert "не найден" in _one_line_error(cli(["opinion", str(tmp_path / "нет.txt")]))
    draft = tmp_path / "d.txt"
    draft.write_text(DRAFT_CLEAN, encoding="utf-8")
    templates = tmp_path / "tpl"
    templates.mkdir()
    cases = {
        "{{ act.nonexistent }}": "переменной",
        "{% for %}": "Ошибка в шаблоне",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}": "",
    }
    for n, (body, words) in enumerate(cases.items()):
        (templates / "independent.md").write_text(body, encoding="utf-8")
        out = tmp_path / f"o{n}.md"
        line = _one_line_error(cli(["opinion", str(draft), "--no-registry", "--templates", str(templates),
                                    "-o", str(out)]))
        assert words in line and "шаблон" in line.lower()
        assert not out.exists()
    (templates / "independent.docx").write_bytes(b"not a zip")
    line = _one_line_error(cli(["opinion", str(draft), "--no-registry", "--templates", str(templates)]))
    assert "не читается как документ DOCX" in line


@pytest.mark.skipif(importlib.util.find_spec("sqlalchemy") is None, reason="registry needs SQLAlchemy")
def test_cli_records_the_review_in_the_registry(expertise_cmd, cli_env, cli, tmp_path):
    draft = tmp_path / "d.txt"
    draft.write_text(DRAFT_WITH, encoding="utf-8")
    done = _run(expertise_cmd, ["opinion", str(draft), "--date", "2026-11-22", "--number", "12-НЭ",
                                "--expert", "Иванов Иван Иванович"], cli_env)
    assert done.returncode == 0, done.stderr
    assert "внесена в реестр" in done.stdout
    with sqlite3.connect(cli_env["EXPERTISE_DB"]) as db:
        rows = db.execute("select kind, review_date, number, reviewer, factors_found, opinion_path "
                          "from registry_reviews").fetchall()
    assert rows == [("независимая", "2026-11-22", "12-НЭ", "Иванов Иван Иванович", 1,
                     str((tmp_path / "d.заключение.docx").resolve()))]
    table = cli(["opinion", str(draft), "--date", "2026-11-22", "--form", "table", "-o", str(tmp_path / "t.docx")])
    assert table.returncode == 0, table.stderr
    with sqlite3.connect(cli_env["EXPERTISE_DB"]) as db:
        kinds = sorted(k for (k,) in db.execute("select kind from registry_reviews"))
    assert kinds == ["ведомственная", "независимая"]


# --- LibreOffice: every DOCX opinion converts to PDF; one page rendered to PNG ----------------------

SOFFICE = shutil.which("soffice")


@pytest.fixture(scope="module")
def pdfs(checker, drafts, tmp_path_factory):
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) не установлен")
    base = tmp_path_factory.mktemp("pdf")
    sources = []
    for form in FORMS:
        for case in DRAFTS:
            path = base / f"{form}-{case}.docx"
            path.write_bytes(_render(checker, drafts[case], form, "docx"))
            sources.append(str(path))
    out = base / "out"
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={(base / 'profile').as_uri()}", "--headless",
                           "--norestore", "--convert-to", "pdf", "--outdir", str(out), *sources],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.parametrize("case", list(DRAFTS))
@pytest.mark.parametrize("form", FORMS)
def test_libreoffice_converts_the_opinion_to_pdf(pdfs, checker, drafts, form, case):
    from pypdf import PdfReader

    pdf = pdfs / f"{form}-{case}.pdf"
    assert pdf.is_file() and pdf.stat().st_size > 5000
    reader = PdfReader(str(pdf))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    text = " ".join(text.split())
    assert "ЗАКЛЮЧЕНИЕ" in text and "22 ноября 2026 г." in text
    if form == "table":
        found = _context(checker, drafts[case], form)["counts"]["factors"]
        assert text.count("не выявлено") == 12 - found
    fonts = set()
    for page in reader.pages:
        for ref in (page["/Resources"].get_object().get("/Font") or {}).values():
            fonts.add(str(ref.get_object().get("/BaseFont", "")))
    assert any("Times" in f or "Liberation" in f or "Serif" in f for f in fonts), fonts


def test_a_page_renders_to_png(pdfs, tmp_path):
    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.skip("pdftoppm (poppler-utils) не установлен")
    subprocess.run([exe, "-r", "80", "-png", "-f", "1", "-l", "1", str(pdfs / "table-findings.pdf"),
                    str(tmp_path / "page")], check=True, timeout=120)
    png = next(tmp_path.glob("page*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    keep = os.environ.get("EXPERTISE_KEEP_PNG")
    if keep:
        shutil.copy(png, keep)
