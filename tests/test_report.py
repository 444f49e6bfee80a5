"""The annual report from the registry, on SQLite and on a real PostgreSQL server (fixture ``registry_db``).

The block reproduces the wording of shared/seeds/000_*.txt (Минцифры Татарстана, 2019: 12 drafts, no
factors); with factors it lists them grouped by type in the order of the Методика; every format (text,
md, csv, docx and xlsx with a chart) carries the same figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from registry_helpers import document, draft_text, findings

from expertise.registry import service
from expertise.registry.report import build_report, describe, period, plural, render_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"

# shared/seeds/000_*.txt, the «Итого» block as published (the report normalises «, - N» to « – N»).
SEED_TOTALS = [
    "Итого: количество проектов НПА, которые прошли ведомственную экспертизу – 12;",
    "- количество НПА, в которых были выявлены коррупциогенные факторы, - 0.",
    "- количество и перечень НПА, в которые внесены изменения, - 0;",
    "- перечень выявленных коррупциогенных факторов, сгруппированных по типам – 0.",
]
SEED_NO_CONCLUSIONS = "заключений независимых экспертов не поступало"


def _seed_000() -> str | None:
    found = sorted(SEEDS.glob("000_*.txt"))
    return found[0].read_text(encoding="utf-8") if found else None


def seed_items() -> list[str]:
    """The 12 drafts listed in seed 000 before «Итого» (as published, page breaks joined)."""
    text = _seed_000()
    if text is None:
        pytest.skip("shared/seeds/000_*.txt is not beside the repository")
    block = text[text.index("В 2019 году на официальном сайте Министерства было размещено"):text.index("Итого:")]
    items: list[str] = []
    for para in re.split(r"\n\s*\n", block)[1:]:
        para = " ".join(para.split()).lstrip("- ")
        if para.startswith("проект"):
            items.append(para)
        elif items:
            items[-1] += " " + para
    return [item.rstrip(";. ") for item in items]


def normalise(line: str) -> str:
    """Punctuation differences of the seed: «, - 0.» / «– 0;» → «– 0»; leading «- » and «Итого: » dropped."""
    line = re.sub(r",?\s+[-–]\s+(\d+)", r" – \1", line.strip())
    line = re.sub(r"^(Итого:\s*|-\s*)", "", line)
    return line.rstrip(";.")


def record(db, title, *, kind="ПОСТАНОВЛЕНИЕ", body_line="АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА", body=None,
           date=dt.date(2025, 3, 1), factors=None, hints=None, review_kind="ведомственная", clause=None) -> int:
    doc = document(draft_text(title, kind=kind, body=body_line, **({"clause": clause} if clause else {})))
    card = service.review_card(findings(doc, factors or {}, hints), kind=review_kind, review_date=date)
    rid, _ = service.record(db=db, draft=service.draft_card(doc, body=body), review=card)
    return rid


def run_cli(capsys, *args):
    from expertise.cli import main

    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_twelve_clean_drafts_reproduce_the_seed(registry_db, capsys):
    items = seed_items()
    assert len(items) == 12
    text = _seed_000()
    for line in SEED_TOTALS + [SEED_NO_CONCLUSIONS]:
        assert line in text  # the constants are the seed's own sentences
    for n, item in enumerate(items):
        kind = "ПОСТАНОВЛЕНИЕ" if item.startswith("проект постановления") else "ПРИКАЗ"
        body = "Кабинет Министров Республики Татарстан" if kind == "ПОСТАНОВЛЕНИЕ" else "Министерство"
        title = item[item.index("«") + 1:item.rindex("»")]
        date = dt.date(2019, 1 + n, 10)
        record(registry_db, title, kind=kind, body_line=body.upper(), body=body, date=date)
        if n == 3:  # reviewed again later the same year: still one draft
            record(registry_db, title, kind=kind, body_line=body.upper(), body=body, date=dt.date(2019, 12, 20))
    record(registry_db, "О проекте следующего года", date=dt.date(2020, 1, 15), factors={"3b": 1})
    record(registry_db, "О проекте прошлого года", date=dt.date(2018, 12, 31), factors={"3b": 1})
    window_review = service.list_reviews(db=registry_db, date_from=dt.date(2019, 1, 1), date_to=dt.date(2019, 1, 31))[0]
    service.set_window(db=registry_db, review_id=window_review.id, published_from=dt.date(2019, 1, 3),
                       published_to=dt.date(2019, 1, 10), contact="Иванова А.А., (843) 000-00-00")

    code, out, err = run_cli(capsys, "report", "--year", "2019", "--db", registry_db)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Антикоррупционная экспертиза проектов нормативных правовых актов за 2019 год"
    start = lines.index("Итого: количество проектов НПА, которые прошли ведомственную экспертизу – 12;")
    assert [normalise(line) for line in lines[start:start + 4]] == [normalise(line) for line in SEED_TOTALS]
    assert lines[start:start + 4] == [
        "Итого: количество проектов НПА, которые прошли ведомственную экспертизу – 12;",
        "- количество НПА, в которых были выявлены коррупциогенные факторы – 0;",
        "- количество и перечень НПА, в которые внесены изменения – 0;",
        "- перечень выявленных коррупциогенных факторов, сгруппированных по типам – 0.",
    ]
    # the list of reviewed drafts before «Итого», each exactly as the seed lists it, in the order reviewed
    listed = [line[2:].rstrip(";.") for line in lines[:start] if line.startswith("- проект")]
    assert listed == items
    assert "В 2019 году ведомственную антикоррупционную экспертизу прошли следующие проекты" in out
    assert ("В 2019 году проведена ведомственная антикоррупционная экспертиза 12 проектов нормативных правовых актов "
            "(положений, содержащих коррупциогенные факторы, не выявлено).") in lines  # seed 004's form
    assert ("- " + describe(window_review.title, window_review.act_kind, window_review.body) +
            ": дата начала экспертизы – 03.01.2019, дата окончания экспертизы – 10.01.2019, "
            "контактные данные – Иванова А.А., (843) 000-00-00.") in lines
    assert lines[-1] == ("По проектам НПА, размещенным для проведения независимой экспертизы, "
                         f"{SEED_NO_CONCLUSIONS}.")
    assert "следующего года" not in out and "прошлого года" not in out


def test_factors_grouped_by_type_in_methodika_order(registry_db):
    body_a = "АДМИНИСТРАЦИЯ ЗАРЕЧНОГО РАЙОНА"
    a = record(registry_db, "Об утверждении Порядка А", body_line=body_a, factors={"4v": 1, "3b": 2},
               date=dt.date(2025, 2, 1))
    record(registry_db, "Об утверждении Порядка Б", body_line=body_a, factors={"3zh": 1, "4v": 2, "3a": 1},
           date=dt.date(2025, 3, 1))
    record(registry_db, "Об утверждении Порядка В", body_line=body_a, hints={"3i": 3}, date=dt.date(2025, 4, 1))
    record(registry_db, "Об утверждении Порядка Г", body_line="ДУМА ГОРОДСКОГО ОКРУГА", factors={"3d": 1},
           date=dt.date(2025, 5, 1))
    independent = record(registry_db, "Об утверждении Порядка Б", body_line=body_a, review_kind="независимая",
                         factors={"4v": 1}, date=dt.date(2025, 3, 5))
    service.set_outcome(db=registry_db, review_id=a, changed=True, outcome_date=dt.date(2025, 2, 20))
    service.set_window(db=registry_db, review_id=independent, published_from=dt.date(2025, 2, 25),
                       published_to=dt.date(2025, 3, 5), conclusions=2)

    report = build_report(db=registry_db, date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31),
                          body="заречного")
    assert [d.title for d in report.drafts] == ["Об утверждении Порядка А", "Об утверждении Порядка Б",
                                                "Об утверждении Порядка В"]
    assert [f.factor for f in report.factors] == ["3a", "3b", "3v", "3g", "3d", "3e", "3zh", "3z", "3i", "4a", "4b", "4v"]
    assert [(f.factor, f.count, f.drafts) for f in report.found_factors] == [
        ("3a", 1, 1), ("3b", 2, 1), ("3zh", 1, 1), ("4v", 3, 2)]
    assert report.conclusions == 3  # 2 on the window + 1 independent review

    out = render_text(report)
    lines = out.splitlines()
    assert "Разработчик: заречного" in lines
    assert "Итого: количество проектов НПА, которые прошли ведомственную экспертизу – 3;" in lines
    assert "- количество НПА, в которых были выявлены коррупциогенные факторы – 2;" in lines
    assert ("- количество и перечень НПА, в которые внесены изменения – 1: проект постановления Администрации "
            "Заречного района «Об утверждении Порядка А»;") in lines  # the district's name keeps its capital
    assert ("- перечень выявленных коррупциогенных факторов, сгруппированных по типам – 7: "
            "широта дискреционных полномочий (подпункт «а» пункта 3 Методики) – 1 (в 1 проекте НПА); "
            "определение компетенции по формуле «вправе» (подпункт «б» пункта 3 Методики) – 2 (в 1 проекте НПА); "
            "отсутствие или неполнота административных процедур (подпункт «ж» пункта 3 Методики) – 1 "
            "(в 1 проекте НПА); юридико-лингвистическая неопределенность (подпункт «в» пункта 4 Методики) – 3 "
            "(в 2 проектах НПА).") in lines
    assert ("В 2025 году проведена ведомственная антикоррупционная экспертиза 3 проектов нормативных правовых актов "
            "(коррупциогенные факторы выявлены в 2 проектах).") in lines
    assert "нормативные коллизии" not in out  # hints are not factors found
    assert "Порядка Г" not in out and "принятие нормативного правового акта" not in out  # another body
    assert lines[-1] == ("По проектам НПА, размещенным для проведения независимой экспертизы, поступило 3 заключения "
                         "независимых экспертов.")
    assert "поступило заключений – 2." in out

    whole = build_report(db=registry_db, date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31))
    assert len(whole.drafts) == 4 and [f.factor for f in whole.found_factors] == ["3a", "3b", "3d", "3zh", "4v"]
    spring = build_report(db=registry_db, date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 4, 30))
    assert spring.period_title == "за период с 01.03.2025 по 30.04.2025"
    assert [d.title for d in spring.drafts] == ["Об утверждении Порядка Б", "Об утверждении Порядка В"]
    assert spring.changed == []


def test_report_formats(registry_db, tmp_path, capsys):
    import docx
    import openpyxl

    record(registry_db, "Об утверждении Порядка А", factors={"3b": 2, "4v": 1})
    record(registry_db, "Об утверждении Порядка Б", date=dt.date(2025, 6, 1))
    common = ["--year", "2025", "--db", registry_db]

    code, md, _ = run_cli(capsys, "report", "--format", "md", *common)
    assert code == 0
    assert md.startswith("# Антикоррупционная экспертиза проектов нормативных правовых актов за 2025 год\n")
    assert "| 3б | определение компетенции по формуле «вправе» (подпункт «б» пункта 3 Методики) | 2 | 1 |" in md
    assert "| 3в | выборочное изменение объема прав (подпункт «в» пункта 3 Методики) | 0 | 0 |" in md

    code, out, _ = run_cli(capsys, "report", "--format", "csv", *common)
    rows = list(csv.reader(io.StringIO(out), delimiter=";"))
    assert rows[0] == ["раздел", "позиция", "значение"]
    totals = {r[1]: r[2] for r in rows if r[0] == "итоги"}
    assert totals["количество проектов НПА, которые прошли ведомственную экспертизу"] == "2"
    assert totals["количество НПА, в которых были выявлены коррупциогенные факторы"] == "1"
    assert totals["количество выявленных коррупциогенных факторов"] == "3"
    assert [r[1][:2] for r in rows if r[0] == "факторы"] == ["3а", "3б", "3в", "3г", "3д", "3е", "3ж", "3з", "3и",
                                                              "4а", "4б", "4в"]
    csv_file = tmp_path / "report.csv"
    assert run_cli(capsys, "report", "--format", "csv", "-o", str(csv_file), *common)[0] == 0
    assert csv_file.read_text(encoding="utf-8-sig") == out

    docx_file = tmp_path / "report.docx"
    code, out, err = run_cli(capsys, "report", "--format", "docx", "-o", str(docx_file), *common)
    assert code == 0 and out == "" and f"«{docx_file}»" in err
    document_ = docx.Document(str(docx_file))
    paragraphs = [p.text for p in document_.paragraphs]
    assert "Итого: количество проектов НПА, которые прошли ведомственную экспертизу – 2;" in paragraphs
    assert any(p.startswith("- перечень выявленных коррупциогенных факторов, сгруппированных по типам – 3: ")
               for p in paragraphs)
    table = document_.tables[0]
    assert [c.text for c in table.rows[2].cells] == [
        "3б", "определение компетенции по формуле «вправе» (подпункт «б» пункта 3 Методики)", "2", "1"]
    assert len(document_.inline_shapes) == 1  # the chart
    images = [p for p in document_.part.package.parts if p.content_type == "image/png"]
    assert len(images) == 1 and images[0].blob.startswith(b"\x89PNG")

    xlsx_file = tmp_path / "report.xlsx"
    assert run_cli(capsys, "report", "--format", "xlsx", "-o", str(xlsx_file), *common)[0] == 0
    book = openpyxl.load_workbook(str(xlsx_file))
    assert book.sheetnames == ["Итоги", "Факторы", "Проекты", "Независимая экспертиза"]
    figures = {row[0]: row[1] for row in book["Итоги"].iter_rows(values_only=True) if row and row[1] is not None}
    assert figures["количество проектов НПА, которые прошли ведомственную экспертизу"] == 2
    factors = list(book["Факторы"].iter_rows(values_only=True))
    assert factors[0] == ("Тип", "Коррупциогенный фактор", "Выявлено", "Проектов НПА")
    assert [(r[0], r[2]) for r in factors[1:] if r[2]] == [("3б", 2), ("4в", 1)]
    assert len(factors) == 13
    assert len(book["Факторы"]._images) == 1  # the chart
    projects = list(book["Проекты"].iter_rows(values_only=True))
    assert [r[4] for r in projects[1:]] == ["да", "нет"] and projects[1][5] == "3б – 2, 4в – 1"


def test_report_errors(registry_db, capsys):
    for args, message in [
        (["--format", "docx"], "Для формата docx укажите файл отчета: -o ОТЧЕТ.docx"),
        (["--from", "01.07.2025", "--to", "01.03.2025"], "Конец периода (01.03.2025) раньше его начала (01.07.2025)."),
        (["--from", "2025-13-01"], "Неверная дата начала периода «2025-13-01»: укажите дату как 01.03.2025 или 2025-03-01."),
    ]:
        code, out, err = run_cli(capsys, "report", *args, "--db", registry_db)
        assert code == 2 and out == ""
        assert err.strip().splitlines() == [message]
    code, out, _ = run_cli(capsys, "report", "--year", "2031", "--db", registry_db)  # an empty year
    assert code == 0
    assert "В 2031 году проекты нормативных правовых актов (далее – НПА) на ведомственную антикоррупционную " \
           "экспертизу не поступали." in out
    assert "Итого: количество проектов НПА, которые прошли ведомственную экспертизу – 0;" in out
    assert "Проекты НПА для проведения независимой антикоррупционной экспертизы в отчетном периоде не размещались." in out


def test_number_agreement_and_period():
    assert [f"{n} {plural(n, ('заключение', 'заключения', 'заключений'))}" for n in (1, 2, 5, 11, 12, 21, 22, 25, 101, 111)] \
        == ["1 заключение", "2 заключения", "5 заключений", "11 заключений", "12 заключений", "21 заключение",
            "22 заключения", "25 заключений", "101 заключение", "111 заключений"]
    from types import SimpleNamespace

    from expertise.registry.report import AnnualReport

    def summary(total, flagged):
        drafts = [SimpleNamespace(factors_found=i < flagged) for i in range(total)]
        return AnnualReport(dt.date(2021, 1, 1), dt.date(2021, 12, 31), None, drafts, [], [], 0).summary_line()

    assert summary(201, 0) == ("В 2021 году проведена ведомственная антикоррупционная экспертиза 201 проекта "
                               "нормативного правового акта (положений, содержащих коррупциогенные факторы, не выявлено).")
    assert summary(73, 21).endswith("экспертиза 73 проектов нормативных правовых актов (коррупциогенные факторы "
                                    "выявлены в 21 проекте).")
    assert summary(11, 1).endswith("экспертиза 11 проектов нормативных правовых актов (коррупциогенные факторы "
                                   "выявлены в 1 проекте).")
    assert period(2025, None, None) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert period(None, dt.date(2024, 7, 1), None) == (dt.date(2024, 7, 1), dt.date(2024, 12, 31))
    assert period(None, None, None, today=dt.date(2026, 5, 5)) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert describe("Об утверждении Порядка", "решение", "Совет депутатов городского округа") == \
        "проект решения Совета депутатов городского округа «Об утверждении Порядка»"
    assert describe("Об утверждении Порядка", "постановление", "Городская дума") == \
        "проект постановления Городской думы «Об утверждении Порядка»"


@pytest.mark.parametrize("heading, body, genitive", [
    ("АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ", "Администрация городского округа Заречный",
     "Администрации городского округа Заречный"),
    ("АДМИНИСТРАЦИЯ ЯСНОПОЛЬСКОГО МУНИЦИПАЛЬНОГО РАЙОНА", "Администрация Яснопольского муниципального района",
     "Администрации Яснопольского муниципального района"),
    ("МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ РЕСПУБЛИКИ ТАТАРСТАН", "Министерство цифрового развития Республики Татарстан",
     "Министерства цифрового развития Республики Татарстан"),
])
def test_the_body_keeps_its_proper_names_in_the_registry_and_the_report(heading, body, genitive):
    from expertise.registry.report import describe

    doc = document(draft_text("Об утверждении Порядка", body=heading))
    card = service.draft_card(doc)
    assert card.body == body
    assert describe("Об утверждении Порядка", "постановление", card.body) == (
        f"проект постановления {genitive} «Об утверждении Порядка»")
