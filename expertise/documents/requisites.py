"""The act's реквизиты from its heading: kind, issuing body, date, number, title, «Проект».

«АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА … ПОСТАНОВЛЕНИЕ от 12.03.2025 № 45 Об утверждении …».
Also the kind of the approved document in an appendix («ПОРЯДОК», «АДМИНИСТРАТИВНЫЙ РЕГЛАМЕНТ»),
which decides which analyses apply (procedure completeness is for регламенты and порядки).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import regex

from expertise.documents.model import Document, Kind

ACT_KINDS = {
    "постановление": "постановление", "решение": "решение", "приказ": "приказ", "распоряжение": "распоряжение",
    "закон": "закон", "указ": "указ", "постановлениe": "постановление",
}
_KIND = regex.compile(r"^\s*(ПОСТАНОВЛЕНИЕ|РЕШЕНИЕ|ПРИКАЗ|РАСПОРЯЖЕНИЕ|ЗАКОН|УКАЗ)\b", regex.IGNORECASE)
_DATE_NUM = regex.compile(
    r"(?:от\s+)?(?P<date>\d{1,2}\.\d{1,2}\.\d{4}|«?\d{1,2}»?\s+[а-яё]+\s+\d{4})\s*(?:г\.|года)?"
    r"(?:\s*(?:№|N)\s*(?P<num>[\w\-/]+))?",
    regex.IGNORECASE,
)
_BODY = regex.compile(
    r"^(?:АДМИНИСТРАЦИЯ|СОВЕТ|ДУМА|СОБРАНИЕ|МИНИСТЕРСТВО|КОМИТЕТ|ДЕПАРТАМЕНТ|УПРАВЛЕНИЕ|ГЛАВА|ПРАВИТЕЛЬСТВО|"
    r"ГУБЕРНАТОР|МЭРИЯ|АГЕНТСТВО|СЛУЖБА|ИНСПЕКЦИЯ|ПРЕДСТАВИТЕЛЬНОЕ|ЗАКОНОДАТЕЛЬНОЕ|МУНИЦИПАЛЬНЫЙ|ОКРУЖНОЙ|ГОРОДСКОЙ|РАЙОННЫЙ)"
    r"[^a-z]*$"
)
_MONTHS = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
    "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}
_APPROVED_KINDS = regex.compile(
    r"^(АДМИНИСТРАТИВНЫЙ\s+РЕГЛАМЕНТ|ПОРЯДОК|ПОЛОЖЕНИЕ|ПРАВИЛА|РЕГЛАМЕНТ|ИНСТРУКЦИЯ|МЕТОДИКА|ПРОГРАММА|"
    r"МУНИЦИПАЛЬНАЯ\s+ПРОГРАММА|СОСТАВ|ПЕРЕЧЕНЬ|ТРЕБОВАНИЯ|СТАНДАРТ)\b",
    regex.IGNORECASE,
)


def parse_date(text: str) -> dt.date | None:
    text = text.strip("«» ")
    m = regex.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    try:
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = regex.fullmatch(r"«?(\d{1,2})»?\s+([а-яё]+)\s+(\d{4})", text, regex.IGNORECASE)
        if m and m[2].lower() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    except ValueError:
        return None
    return None


@dataclass
class Requisites:
    kind: str | None = None  # постановление, решение, приказ …
    body: str | None = None  # «Администрация городского округа Заречный»
    date: dt.date | None = None
    number: str | None = None
    title: str | None = None
    is_draft: bool = False
    approved: list[str] = field(default_factory=list)  # kinds of approved documents: «порядок», «административный регламент»

    @property
    def is_procedure_act(self) -> bool:
        """An административный регламент or a порядок (where procedure completeness is checked)."""
        names = [self.title or ""] + self.approved
        return any(regex.search(r"регламент|порядк|порядок", n, regex.IGNORECASE) for n in names)

    @property
    def is_representative_body(self) -> bool:
        return bool(self.body and regex.search(r"совет|дума|собрание|представительн", self.body, regex.IGNORECASE))


def extract_requisites(doc: Document) -> Requisites:
    req = Requisites(title=doc.title)
    bodies = []
    for unit in doc.root.children:
        if unit.kind not in (Kind.REQUISITES, Kind.TITLE):
            if unit.kind != Kind.SIGNATURE:
                break
            continue
        text = unit.text.strip()
        if text.lower().startswith("проект"):
            req.is_draft = True
            continue
        if m := _KIND.match(text):
            req.kind = ACT_KINDS.get(m[1].lower(), m[1].lower())
            rest = text[m.end():]
            if dm := _DATE_NUM.search(rest):
                req.date = req.date or parse_date(dm["date"])
                req.number = req.number or (dm["num"] if dm["num"] and "_" not in dm["num"] else None)
            continue
        if (dm := _DATE_NUM.match(text)) and req.date is None:
            req.date = parse_date(dm["date"])
            if dm["num"] and "_" not in dm["num"]:
                req.number = dm["num"]
            continue
        if unit.kind == Kind.REQUISITES and text.isupper() and _BODY.match(text) and req.kind is None:
            bodies.append(text)
    if bodies:
        req.body = " ".join(bodies).capitalize()
    for unit in doc.root.walk():
        if unit.kind == Kind.TITLE and unit.parent is not None and unit.parent.kind == Kind.APPENDIX:
            if m := _APPROVED_KINDS.match(unit.text.strip()):
                req.approved.append(" ".join(m[1].lower().split()))
    return req


def act_date(doc: Document, today: dt.date | None = None) -> dt.date:
    """The date the draft speaks at: its own date, or today for an undated draft."""
    return extract_requisites(doc).date or today or dt.date.today()
