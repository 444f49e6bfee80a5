"""Numbers as legal texts write them: «10», «десяти», «10 (десяти)», «двадцати пяти», «трехдневный»."""

from __future__ import annotations

import regex

from expertise.language.morphology import readings

_UNITS = {
    "ноль": 0, "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
    "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13,
    "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18,
    "девятнадцать": 19, "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50,
    "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80, "девяносто": 90, "сто": 100,
    "двести": 200, "триста": 300, "четыреста": 400, "пятьсот": 500,
}
# Stems used in compound adjectives: «трехдневный», «десятидневный», «тридцатидневный».
_COMPOUND_STEMS = {
    "одно": 1, "двух": 2, "трех": 3, "трёх": 3, "четырех": 4, "четырёх": 4, "пяти": 5, "шести": 6,
    "семи": 7, "восьми": 8, "девяти": 9, "десяти": 10, "одиннадцати": 11, "двенадцати": 12,
    "тринадцати": 13, "четырнадцати": 14, "пятнадцати": 15, "двадцати": 20, "двадцатипяти": 25,
    "тридцати": 30, "сорока": 40, "сорокапяти": 45, "шестидесяти": 60, "девяноста": 90,
}
_COMPOUND = regex.compile(
    r"^(?P<stem>" + "|".join(sorted(_COMPOUND_STEMS, key=len, reverse=True)) + r")"
    r"(?P<unit>дневн|месячн|недельн|часов|летн|годичн)", regex.IGNORECASE
)


def word_value(word: str) -> int | None:
    """The value of one number word in any case («десяти» → 10), or None."""
    for r in readings(word.lower()):
        if r.pos == "NUMR" or r.lemma in _UNITS:
            if r.lemma in _UNITS:
                return _UNITS[r.lemma]
    return None


def words_value(words: list[str]) -> int | None:
    """«двадцати пяти» → 25; None if any word is not a number word."""
    total = 0
    for w in words:
        v = word_value(w)
        if v is None:
            return None
        total += v
    return total if words else None


def compound_value(word: str) -> tuple[int, str] | None:
    """«трехдневный» → (3, "day"), «двухмесячный» → (2, "month")."""
    m = _COMPOUND.match(word)
    if not m:
        if regex.match(r"^(\d+)-?(?:ти|х|и|)?-?дневн", word):
            return int(regex.match(r"^\d+", word).group()), "day"
        return None
    unit = {"дневн": "day", "месячн": "month", "недельн": "week", "часов": "hour", "летн": "year",
            "годичн": "year"}[m["unit"].lower()]
    return _COMPOUND_STEMS[m["stem"].lower()], unit
