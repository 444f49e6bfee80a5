"""Structure detection and citation labels on real-looking drafts (typed numbering)."""

from pathlib import Path

import pytest
import regex

from expertise.documents.blocks import Location, Paragraph, RawDocument, Table
from expertise.documents.model import Kind
from expertise.documents.structure import build_document, ordinal, parse_marker
from expertise.documents.txt_reader import read_text

from conftest import ACTS

MUNICIPAL = """АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ
ПОСТАНОВЛЕНИЕ
от 12.03.2025 № 45
Об утверждении Порядка предоставления субсидий
субъектам малого предпринимательства
В соответствии со статьей 78 Бюджетного кодекса Российской Федерации администрация ПОСТАНОВЛЯЕТ:
1. Утвердить Порядок предоставления субсидий (приложение № 1).
2. Настоящее постановление вступает в силу со дня его официального опубликования.
Глава городского округа И.И. Иванов
Приложение № 1
к постановлению администрации
от 12.03.2025 № 45
ПОРЯДОК
предоставления субсидий
I. Общие положения
1.1. Настоящий Порядок определяет условия предоставления субсидий.
Субсидии предоставляются в пределах бюджетных ассигнований.
Получателями субсидий являются субъекты малого предпринимательства.
II. Порядок предоставления субсидий
Перечень документов
2.1. Заявитель представляет следующие документы:
1) заявление по форме согласно приложению № 2;
2) копию паспорта;
а) страницы с фотографией;
б) страницы с отметкой о регистрации;
3) выписку из реестра.
2.2. Уполномоченный орган рассматривает заявление в течение 10 рабочих дней.
2.2.1. По результатам рассмотрения принимается решение.
Приложение № 2
к Порядку предоставления субсидий
1. Заявление подается на имя главы.
"""


def labels(text):
    doc = build_document(read_text(text))
    return {u.text.strip(): u.label for u in doc.units}, doc


def test_municipal_act_with_appendix():
    by_text, doc = labels(MUNICIPAL)
    assert doc.title == "Об утверждении Порядка предоставления субсидий субъектам малого предпринимательства"
    assert by_text["АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ"] == "реквизиты"
    assert by_text["1. Утвердить Порядок предоставления субсидий (приложение № 1)."] == "пункт 1"
    assert by_text["Глава городского округа И.И. Иванов"] == "подпись"
    assert by_text["Приложение № 1"] == "приложение 1"
    assert by_text["I. Общие положения"] == "раздел I приложения 1"
    assert by_text["1.1. Настоящий Порядок определяет условия предоставления субсидий."] == "пункт 1.1 приложения 1"
    assert by_text["Субсидии предоставляются в пределах бюджетных ассигнований."] == "абзац второй пункта 1.1 приложения 1"
    assert by_text["Получателями субсидий являются субъекты малого предпринимательства."] == (
        "абзац третий пункта 1.1 приложения 1"
    )
    assert by_text["Перечень документов"] == "наименование раздела II приложения 1"
    assert by_text["2) копию паспорта;"] == "подпункт 2 пункта 2.1 приложения 1"
    assert by_text["б) страницы с отметкой о регистрации;"] == "подпункт «б» подпункта 2 пункта 2.1 приложения 1"
    assert by_text["3) выписку из реестра."] == "подпункт 3 пункта 2.1 приложения 1"
    assert by_text["2.2.1. По результатам рассмотрения принимается решение."] == "пункт 2.2.1 приложения 1"
    assert by_text["1. Заявление подается на имя главы."] == "пункт 1 приложения 2"


@pytest.mark.parametrize("place", ["г. Заречный", "р.п. Яснополье", "пгт Южный", "ст-ца Ленинградская", "д. Ивановка"])
def test_place_line_is_a_requisite_and_the_title_follows_it(place):
    text = MUNICIPAL.replace("от 12.03.2025 № 45\nОб утверждении", f"от 12.03.2025 № 45\n{place}\nОб утверждении", 1)
    by_text, doc = labels(text)
    assert by_text[place] == "реквизиты"
    assert doc.title == "Об утверждении Порядка предоставления субсидий субъектам малого предпринимательства"
    assert by_text["1. Утвердить Порядок предоставления субсидий (приложение № 1)."] == "пункт 1"


def test_paths_go_from_outermost_unit():
    _, doc = labels(MUNICIPAL)
    unit = next(u for u in doc.units if u.text.startswith("б) страницы"))
    assert unit.path == [
        "приложение 1", "раздел II приложения 1", "пункт 2.1 приложения 1",
        "подпункт 2 пункта 2.1 приложения 1", "подпункт «б» подпункта 2 пункта 2.1 приложения 1",
    ]


REGIONAL_LAW = """ЗАКОН ОБЛАСТИ
О порядке предоставления мер социальной поддержки
Глава 1. Общие положения
Статья 1. Предмет регулирования
Настоящий Закон устанавливает меры социальной поддержки.
Меры предоставляются за счет средств областного бюджета.
Статья 2. Меры поддержки
1. Меры социальной поддержки включают:
1) ежемесячную денежную выплату;
2) компенсацию расходов:
а) на оплату жилого помещения;
б) на оплату коммунальных услуг.
2. Выплата производится ежемесячно.
Статья 12.1. Вступление в силу
Настоящий Закон вступает в силу с 1 января 2026 года.
"""


def test_regional_law_articles_parts_points():
    by_text, _ = labels(REGIONAL_LAW)
    assert by_text["Статья 1. Предмет регулирования"] == "статья 1 главы 1" or by_text["Статья 1. Предмет регулирования"] == "статья 1"
    assert by_text["Настоящий Закон устанавливает меры социальной поддержки."] == "абзац первый статьи 1"
    assert by_text["Меры предоставляются за счет средств областного бюджета."] == "абзац второй статьи 1"
    assert by_text["1. Меры социальной поддержки включают:"] == "часть 1 статьи 2"
    assert by_text["1) ежемесячную денежную выплату;"] == "пункт 1 части 1 статьи 2"
    assert by_text["б) на оплату коммунальных услуг."] == "подпункт «б» пункта 2 части 1 статьи 2"
    assert by_text["2. Выплата производится ежемесячно."] == "часть 2 статьи 2"
    assert by_text["Статья 12.1. Вступление в силу"] == "статья 12.1"
    assert by_text["Глава 1. Общие положения"] == "глава 1"


def test_points_restarting_in_each_section_name_the_section():
    text = "Раздел I. Общие положения\n1. Первый пункт.\n2. Второй пункт.\nРаздел II. Порядок\n1. Иной пункт.\n"
    by_text, _ = labels(text)
    assert by_text["1. Первый пункт."] == "пункт 1 раздела I"
    assert by_text["1. Иной пункт."] == "пункт 1 раздела II"
    assert by_text["2. Второй пункт."] == "пункт 2"


def test_automatic_numbering_counts_like_typed_numbers():
    def p(text, number=None, i=0):
        return Paragraph(text, Location("body", i), number=number)

    raw = RawDocument("x.docx", "docx", [
        p("Общие положения", "1.", 0),
        p("Настоящий Порядок определяет условия.", "1.1.", 1),
        p("Заявитель представляет:", "2.3.", 2),
        p("заявление;", "а)", 3),
        p("копию паспорта.", "б)", 4),
    ])
    doc = build_document(raw)
    got = [u.label for u in doc.units]
    assert got == ["пункт 1", "пункт 1.1", "пункт 2.3", "подпункт «а» пункта 2.3", "подпункт «б» пункта 2.3"]
    assert doc.units[3].marker_end == 0 and doc.units[3].text == "заявление;"


def test_tables_are_read_cell_by_cell():
    def p(text, i):
        return Paragraph(text, Location("body", i))

    table = Table([[[p("№", 1)], [p("Наименование документа", 2)]],
                   [[p("1", 3)], [p("Заявление", 4), p("в двух экземплярах", 5)]]], Location("body", 1))
    raw = RawDocument("x.docx", "docx", [p("1. Перечень документов:", 0), table])
    doc = build_document(raw)
    got = {u.text: u.label for u in doc.units}
    assert got["Заявление"] == "графа 2 строки 2 таблицы 1"
    assert got["в двух экземплярах"] == "абзац второй графы 2 строки 2 таблицы 1"
    assert doc.root.children[0].children[0].kind == Kind.TABLE


@pytest.mark.parametrize("text,style,number", [
    ("Статья 12. Предмет", "article", "12"),
    ("Глава 3. Порядок", "chapter", "3"),
    ("Раздел II. Стандарт", "section", "II"),
    ("II. Стандарт предоставления", "section", "II"),
    ("2.3.1. Текст", "dec", "2.3.1"),
    ("2.3 Текст", "dec", "2.3"),
    ("1) текст", "paren", "1"),
    ("а) текст", "letter", "а"),
    ("Приложение № 2 к постановлению", "appendix", "2"),
])
def test_markers(text, style, number):
    m = parse_marker(text)
    assert m is not None and (m.style, m.number) == (style, number)


@pytest.mark.parametrize("text", ["15.03.2025 года состоялось", "Приложение к заявлению оформляется в двух экземплярах.",
                                  "2023 год", "Статьей 5 установлено"])
def test_not_markers(text):
    assert parse_marker(text) is None


def test_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 11, 20, 21, 34)] == [
        "первый", "второй", "третий", "одиннадцатый", "двадцатый", "двадцать первый", "тридцать четвертый"]


@pytest.mark.skipif(not ACTS.is_dir(), reason="../shared/acts is not present")
@pytest.mark.parametrize("name", ["102074279_trudovoi_kodeks.txt", "102090643_gradostroitelnyi_kodeks.txt",
                                  "102090645_zhilishchnyi_kodeks.txt"])
def test_every_article_heading_of_a_federal_code_is_an_article(name):
    text = (ACTS / name).read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if regex.match(r"^Статья\s+\d", line)]
    doc = build_document(read_text(text, name))
    articles = [u for u in doc.units if u.kind == Kind.ARTICLE]
    assert len(articles) == len(headings) > 100
    # the source lost superscripts («Статья 5¹» reads «Статья 51»), so only the count is exact
    assert [u.number for u in articles] == [regex.match(r"^Статья\s+([\d.\-]+?)\.?(?:\s|$)", h).group(1) for h in headings]


@pytest.mark.skipif(not ACTS.is_dir(), reason="../shared/acts is not present")
def test_housing_code_parts_and_points_by_hand():
    text = (ACTS / "102090645_zhilishchnyi_kodeks.txt").read_text(encoding="utf-8")
    doc = build_document(read_text(text, "zhk"))
    by_label = {u.label: u.text for u in doc.units}
    # checked by hand against the official text
    assert by_label["часть 2 статьи 3"].startswith("2. Никто не вправе проникать в жилище")
    assert by_label["пункт 3 части 1 статьи 4"].startswith("3) пользования общим имуществом собственников")
    assert by_label["абзац первый статьи 2"].startswith("Органы государственной власти и органы местного")
    assert by_label["пункт 4 статьи 2"] == "4) стимулируют жилищное строительство;"
    assert by_label["наименование статьи 3"] == "произвольного лишения"


def test_a_long_act_name_is_still_the_name():
    name = ("Об утверждении административного регламента предоставления муниципальной услуги «Выдача разрешений "
            "на использование земель или земельного участка, находящихся в государственной или муниципальной "
            "собственности, без предоставления земельных участков и установления сервитута, публичного сервитута» "
            "на территории городского округа")
    _, doc = labels(f"АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА\nПОСТАНОВЛЕНИЕ\n{name}\nВ соответствии с законом ПОСТАНОВЛЯЕТ:\n1. Утвердить.\n")
    assert len(name) > 250 and doc.title == name
    assert doc.units[3].label == "преамбула"
