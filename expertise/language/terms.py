"""Deadlines as legal texts write them, extracted and normalised.

«в течение 10 (десяти) рабочих дней со дня …», «не позднее 5 дней», «в трехдневный срок»,
«до 10-го числа месяца», «не позднее следующего рабочего дня», «в день обращения»,
«ежемесячно», «незамедлительно» … Each mention carries its value and unit when it has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from expertise.language.numbers import compound_value, words_value

_NW = (
    r"\b(?:одн|один|дв|тр|четыр|пят|шест|сем|восем|девят|десят|одиннадцат|двенадцат|тринадцат|"
    r"четырнадцат|пятнадцат|шестнадцат|семнадцат|восемнадцат|девятнадцат|двадцат|тридцат|сорок|"
    r"пятьдесят|пятидесят|шестьдесят|шестидесят|семьдесят|семидесят|восемьдесят|восьмидесят|"
    r"девяност|сто|ста)[а-яё]*"
)
_NUMWORD = r"(?:" + _NW + r"(?:\s+" + _NW + r")?)"
_NUM = (
    r"(?P<digits>\d{1,4})(?:\s*\((?P<w1>" + _NUMWORD + r")\))?"
    r"|(?P<w2>" + _NUMWORD + r")\s*\((?P<d2>\d{1,4})\)"
    r"|(?P<w3>" + _NUMWORD + r")"
)
_UNIT = (
    r"(?:(?P<kind>рабоч[а-яё]*|календарн[а-яё]*)\s+)?"
    r"(?P<unit>дн(?:я|ей|ям|и)|день|месяц[а-яё]*|недел[а-яё]+|час(?:а|ов)?|лет|год(?:а)?)(?![а-яё])"
)
# Compiled as version 0 (simple case folding) rather than V1, whose default full case folding makes
# the scan twice as slow: no character's full folding spells Cyrillic letters, digits, spaces or
# the dashes and brackets these patterns use, so both foldings match exactly the same texts.
_TERM = regex.compile(
    r"(?:в\s+течени[еи]|не\s+позднее|не\s+позже|не\s+более|не\s+менее|не\s+ранее|не\s+превышающ[а-яё]+|в\s+срок(?:,)?(?:\s+не\s+превышающий)?|"
    r"не\s+(?:может|могут|должен|должна|должно|должны)\s+превышать|не\s+превыша(?:ет|ют)|"
    r"через|по\s+истечении|за|в\s+пределах|составляет|до|на|[-—–])\s+(?:чем\s+(?:через|за)\s+)?"
    r"(?:" + _NUM + r")\s+" + _UNIT,
    regex.IGNORECASE,
)
_BARE = regex.compile(r"(?:" + _NUM + r")\s+" + _UNIT + r"\s+(?:со\s+дня|с\s+даты|с\s+момента|после|до\s+дня|до\s+даты)",
                      regex.IGNORECASE)
_COMPOUND_TERM = regex.compile(r"в\s+(?P<word>[\dа-яё\-]+)\s+срок", regex.IGNORECASE)
# «не позднее 27-го (двадцать седьмого) календарного дня со дня регистрации запроса»: within 27 days
_ORDINAL_DAY = regex.compile(
    r"(?:не\s+позднее|не\s+позже|до|на)\s+(?P<n>\d{1,3})-го\s+(?:\([^)]{0,40}\)\s+)?"
    r"(?:(?P<kind>рабоч[а-яё]*|календарн[а-яё]*)\s+)?дня\s+(?=со\s+дня|с\s+даты|с\s+момента|после)",
    regex.IGNORECASE)
_DAY_OF_MONTH = regex.compile(r"(?:до|не\s+позднее)\s+(?P<day>\d{1,2})(?:-?г?о)?\s+числа", regex.IGNORECASE)
# Dated and periodic formulas, one regex per opening word, each run only where its word occurs
# (one alternation scanned over every unit was the slowest part of term extraction).
_DATED_PARTS = [
    (("поздн",), regex.compile(
        r"не\s+позднее\s+(?:\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\s+[а-яё]+\s+\d{4}|следующего\s+рабочего\s+дня|"
        r"дня,?\s+следующего|рабочего\s+дня,?\s+следующего|[а-яё]+\s+рабочего\s+дня)", regex.IGNORECASE)),
    (("день", "дату"), regex.compile(
        r"в\s+(?:день|дату)\s+(?:обращения|поступления|подачи|регистрации|получения|принятия|представления)",
        regex.IGNORECASE)),
    (("тот же",), regex.compile(r"(?:в\s+)?тот\s+же\s+день", regex.IGNORECASE)),
    (("незамедл", "ежем", "ежекв", "ежег", "ежен"), regex.compile(
        r"незамедлительно|ежемесячно|ежеквартально|ежегодно|еженедельно", regex.IGNORECASE)),
    (("срок",), regex.compile(
        r"(?:в\s+срок(?:и)?|в\s+пределах\s+срок(?:а|ов)),?\s+(?:установленн|предусмотренн|указанн)[а-яё]+\s+"
        r"(?:пункт|подпункт|стать|част|раздел|приложени)",
        regex.IGNORECASE)),
]


_DAYS_PER_UNIT = {"day": 1, "week": 7, "month": 30, "year": 365, "hour": 1 / 24}


@dataclass(frozen=True)
class Term:
    text: str
    start: int
    end: int
    value: int | None = None
    unit: str | None = None  # day, week, month, year, hour
    working: bool | None = None  # рабочие (True) / календарные (False) / not said (None)
    core_start: int = -1  # where the number starts («в течение [10 рабочих дней]»)
    ordinal: bool = False  # «не позднее 27-го дня со дня …»: a milestone from the event, not a length to add up

    def __post_init__(self):
        if self.core_start < 0:
            object.__setattr__(self, "core_start", self.start)

    @property
    def days(self) -> float | None:
        """Approximate length in days, for comparing terms (working days count as days)."""
        if self.value is None or self.unit not in _DAYS_PER_UNIT:
            return None  # a date or a day of the month is a moment, not a length
        return self.value * _DAYS_PER_UNIT[self.unit]


def _unit_name(word: str) -> str:
    w = word.lower()
    if w.startswith(("дн", "день")):
        return "day"
    if w.startswith("месяц"):
        return "month"
    if w.startswith("недел"):
        return "week"
    if w.startswith("час"):
        return "hour"
    return "year"


def _value(m: regex.Match) -> int | None:
    if m["digits"]:
        return int(m["digits"])
    if m["d2"]:
        return int(m["d2"])
    words = m["w2"] or m["w3"]
    return words_value(words.split()) if words else None


# …and has a number (digits or a number word) shortly before that word
_NUMBER_BEFORE = regex.compile(r"\d|(?i:одн|один|дв[уа]|тр[её]|три|четыр|пят|шест|сем|восем|девят|десят|дцат|сорок|девяност|\bсто|\bста)")
# a numeric term always ends with one of these words: the expensive patterns run only around them
# (stdlib `re`: this simple scan runs over every unit, and `re` does it twice as fast as `regex`;
# both fold Cyrillic case the same way)
_UNIT_WORD = re.compile(r"(?<![а-яёА-ЯЁ])(?:дн(?:я|ей|ям|и)|день|месяц|недел|час|лет|год)", re.IGNORECASE)


_KINDS = ("рабоч", "календарн")


def _number_right_before(text: str, unit_start: int) -> bool:
    """Is the unit word at ``unit_start`` closing a number («10», «10 (десяти)», «десяти (10)»,
    «двадцати пяти», with «рабочих» or «календарных» between)? Only then can a numeric term end
    there. Plain string work: this runs for every «дней», «лет», «год» of a code."""
    before = text[max(0, unit_start - 60): unit_start].rstrip()
    head, _, last = before.rpartition(" ")
    if last.lower().startswith(_KINDS):
        before = head.rstrip()
    if before.endswith(")"):
        opening = before.rfind("(")
        if opening >= 0 and len(before) - opening <= 42:
            before = before[:opening].rstrip()
    last = before.rpartition(" ")[2]
    if last[-1:].isdigit():
        return True
    return words_value([last.lower()]) is not None


# every kind of term contains one of these: a unit word, «срок», «числа», or a dated formula's word
_ANY_TERM_WORD = ("дн", "день", "месяц", "недел", "час", "лет", "год", "срок", "числа", "поздн", "дату",
                  "тот же", "незамедл", "ежем", "ежекв", "ежег", "ежен")


def find_terms(text: str) -> list[Term]:
    """Every deadline mention in a text, in order, without overlaps."""
    lower = text.lower()
    if not any(word in lower for word in _ANY_TERM_WORD):
        return []
    found: list[Term] = []
    seen: set[tuple[int, int]] = set()
    windows = [(max(0, u.start() - 90), u.end() + 25) for u in _UNIT_WORD.finditer(text)
               if _number_right_before(text, u.start())]
    for pattern in (_TERM, _BARE):
        for m in (m for lo, hi in windows for m in pattern.finditer(text, lo, min(hi, len(text)))):
            if (m.start(), m.end()) in seen:
                continue
            seen.add((m.start(), m.end()))
            value = _value(m)
            if value is None and not m["digits"]:
                continue
            kind = m["kind"]
            working = None if kind is None else kind.lower().startswith("рабоч")
            core = min(m.start(g) for g in ("digits", "w2", "w3") if m.start(g) >= 0)
            found.append(Term(m.group(), m.start(), m.end(), value, _unit_name(m["unit"]), working, core))
    if "срок" in lower:  # cheap substring checks before the full scans
        for m in _COMPOUND_TERM.finditer(text):
            cv = compound_value(m["word"])
            if cv:
                found.append(Term(m.group(), m.start(), m.end(), cv[0], cv[1], None))
    if "-го" in lower and "дня" in lower:
        for m in _ORDINAL_DAY.finditer(text):
            kind = m["kind"]
            found.append(Term(m.group().rstrip(), m.start(), m.start() + len(m.group().rstrip()), int(m["n"]), "day",
                              None if kind is None else kind.lower().startswith("рабоч"), m.start("n"), ordinal=True))
    if "числа" in lower:
        for m in _DAY_OF_MONTH.finditer(text):
            found.append(Term(m.group(), m.start(), m.end(), int(m["day"]), "day-of-month", None))
    for words, pattern in _DATED_PARTS:
        if any(word in lower for word in words):
            for m in pattern.finditer(text):
                found.append(Term(m.group(), m.start(), m.end()))
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    out: list[Term] = []
    for term in found:
        if out and term.start < out[-1].end:
            continue
        out.append(term)
    return out


def has_term(text: str) -> bool:
    return bool(find_terms(text))
