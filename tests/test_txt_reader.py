"""Plain-text drafts in the encodings Russian offices actually use."""

import pytest

from expertise.documents.txt_reader import decode_text, read_txt
from expertise.errors import InputError

TEXT = "2.10. Уполномоченный орган вправе отказать в выдаче разрешения.\nЁлка — «кавычки» №5\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings_are_detected(encoding):
    data = TEXT.encode(encoding)
    assert decode_text(data, "x.txt").lstrip("\ufeff") == TEXT


def test_koi8_r_is_detected():
    text = "Уполномоченный орган рассматривает заявление в течение десяти рабочих дней со дня его регистрации.\n"
    assert decode_text(text.encode("koi8-r"), "x.txt") == text


def test_cp1251_short_text_is_not_mistaken_for_another_codepage():
    data = "Администрация вправе отказать заявителю.".encode("cp1251")
    assert decode_text(data, "x.txt") == "Администрация вправе отказать заявителю."


def test_binary_junk_is_refused_in_russian():
    data = bytes(range(256)) * 20
    with pytest.raises(InputError, match="не является текстовым документом"):
        decode_text(data, "junk.txt")


def test_lines_keep_their_offsets():
    raw = read_txt("x.txt", "первая\n\n  вторая строка\r\nтретья".encode("utf-8"))
    paragraphs = raw.blocks
    assert [p.text for p in paragraphs] == ["первая", "  вторая строка", "третья"]
    assert [(p.location.index, p.location.offset) for p in paragraphs] == [(0, 0), (2, 8), (3, 25)]


def test_day_of_month_is_a_moment_not_a_length():
    from expertise.language.terms import find_terms

    (term,) = find_terms("Выплата перечисляется до 10-го числа месяца, следующего за истекшим.")
    assert (term.value, term.unit, term.days) == (10, "day-of-month", None)


@pytest.mark.parametrize("text", ["Поле делится на 2 части.", "в течение 3 летних месяцев", "на 2 годовых отчета"])
def test_a_word_that_starts_like_a_unit_is_not_a_term(text):
    from expertise.language.terms import find_terms

    assert [t for t in find_terms(text) if t.unit in ("hour", "year", "day")] == []


def test_units_of_terms_are_whole_words():
    from expertise.language.terms import find_terms

    assert [(t.value, t.unit) for t in find_terms("в течение 2 часов, не позднее 10 дней, в течение 3 лет")] == [
        (2, "hour"), (10, "day"), (3, "year")]


def test_a_term_in_weeks_written_in_words():
    from expertise.language.terms import find_terms

    (term,) = find_terms("Извещение публикуется не позднее чем за две недели до дня проведения конкурса.")
    assert (term.value, term.unit, term.days) == (2, "week", 14)


def test_an_ordinal_day_counted_from_an_event_is_a_length():
    from expertise.language.terms import find_terms

    (term,) = find_terms("Справка подписывается не позднее 27-го (двадцать седьмого) календарного дня со дня регистрации запроса.")
    assert (term.value, term.unit, term.working, term.days) == (27, "day", False, 27)
    # a date in the month is not counted from an event
    assert [t.unit for t in find_terms("Выплата производится не позднее 5-го числа месяца.")] == ["day-of-month"]


@pytest.mark.parametrize("text", ["Срок проверки не может превышать 10 рабочих дней.",
                                  "Общий срок рассмотрения заявки не должен превышать 10 рабочих дней."])
def test_a_ceiling_is_a_term(text):
    from expertise.language.terms import find_terms

    (term,) = find_terms(text)
    assert (term.value, term.unit, term.working) == (10, "day", True)
