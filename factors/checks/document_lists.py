"""3и/4а: the list of documents against the refusal grounds and the interagency requests.

- a refusal ground «непредставление …» of a document the applicant is not asked for;
- a document both demanded from the applicant and obtained by the body through an interagency
  request (the applicant may not be required to present it, ст. 7 Федерального закона № 210-ФЗ).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from expertise.documents.model import Kind, Unit
from expertise.engine.checks import Hit, register_check

_GENERIC = frozenset({
    "копия", "оригинал", "документ", "форма", "заявитель", "сведение", "информация", "лицо", "наличие",
    "орган", "случай", "подлинник", "экземпляр", "соответствие", "пункт", "порядок", "настоящий",
    "представление", "непредставление", "предоставление", "получатель", "участник", "организация",
    "заверенный", "установленный", "день", "дата", "срок", "год", "месяц", "заявление", "заявка", "субсидия",
    "требование", "услуга", "основание", "отказ", "выдача", "запрос", "рамка", "взаимодействие",
    # whose document it is, not which: «… заявителя и членов его семьи»
    "член", "семья", "гражданин", "супруг",
})
_LIST_INTRO = regex.compile(
    r"(?:представля\w+|предоставля\w+|прилага\w+|подаются|представить|предоставить|приложить|направляет|"
    r"представл\w+\s+следующ|следующие\s+документы|перечень\s+документов)[^:]*:\s*$",
    regex.IGNORECASE,
)
_REFUSAL_INTRO = regex.compile(r"(?:основани\w+\s+для\s+отказа|отказ\w*\s+в\s+(?:предоставлении|выдаче|приеме|приёме|"
                               r"регистрации|согласовании)|отказывает\w*)[^:]*:\s*$", regex.IGNORECASE)
# «заявитель представляет:» names the applicant's documents without the word «документы»
_NAMES_DOCUMENTS = regex.compile(r"документ|заявител\w*\s+(?:представля|предоставля|прилага|направля)", regex.IGNORECASE)
_REGISTRIES = [
    (regex.compile(r"реестр\w*\s+юридическ\w+\s+лиц|ЕГРЮЛ", regex.IGNORECASE), "ЕГРЮЛ"),
    (regex.compile(r"реестр\w*\s+индивидуальн\w+\s+предпринимател|ЕГРИП", regex.IGNORECASE), "ЕГРИП"),
    (regex.compile(r"реестр\w*\s+недвижимост|ЕГРН", regex.IGNORECASE), "ЕГРН"),
    (regex.compile(r"реестр\w*\s+записей\s+актов|ЕГР\s*ЗАГС", regex.IGNORECASE), "ЕГР ЗАГС"),
]
_INTERAGENCY = regex.compile(r"межведомственн\w+\s+(?:запрос|взаимодейств|информационн)", regex.IGNORECASE)
_OWN_INITIATIVE = regex.compile(r"по\s+собственной\s+инициативе|вправе\s+представить", regex.IGNORECASE)
_NOT_PRESENTED = regex.compile(
    r"(?:не\s*представлени\w+|не\s+представлен\w*|отсутстви\w+)\s+(?:(?:у\s+заявителя|заявителем)\s+)?"
    r"(?:в\s+составе\s+(?:\w+\s+)?документов\s+)?"
    r"(?P<what>[\w-]*?(?:документ|справк|копи|выписк|свидетельств|заключени|договор|паспорт|план|смет|расчет|расчёт|"
    r"отчет|отчёт|доверенност|согласи|решени|протокол|акт\b|сведени)[^;.]*)",
    regex.IGNORECASE)
_POINTS_TO_LIST = regex.compile(r"(?:указанн|предусмотренн|перечисленн|установленн)\w*\s+(?:в\s+)?(?:пункт|подпункт|стать|част|приложени)",
                                regex.IGNORECASE)


@dataclass
class Item:
    unit: Unit
    keys: frozenset[str]
    start: int
    end: int
    head: str | None = None  # the first significant noun: «выписка», «справка» are generic, so it is the next one


def _keys(ctx, unit: Unit, start: int = 0, end: int | None = None) -> list[str]:
    """The significant nouns naming a document, in order (at most three)."""
    keys: list[str] = []
    for tok in ctx.tokens(unit):
        if tok.start < start or (end is not None and tok.start >= end):
            continue
        for r in tok.readings:
            if r.pos == "NOUN" and r.score > 0.2 and r.lemma not in _GENERIC and len(r.lemma) > 3:
                if r.lemma not in keys:
                    keys.append(r.lemma)
                break
        if len(keys) >= 3:
            break
    return keys


def _item(unit: Unit, keys: list[str], start: int, end: int) -> Item:
    return Item(unit, frozenset(keys), start, end, keys[0] if keys else None)


def _items(ctx, intro: Unit) -> list[Unit]:
    return [c for c in intro.children if c.kind in (Kind.SUBPOINT, Kind.POINT, Kind.PARAGRAPH) and c.text.strip()]


def _lists(ctx):
    def compute():
        applicant, refusal, interagency = [], [], []
        for unit in ctx.doc.units:
            if not unit.is_normative:
                continue
            text = unit.text.strip()
            if _INTERAGENCY.search(text):
                items = _items(ctx, unit) if text.endswith(":") else [unit]
                for item in items:
                    interagency.append(_item(item, _keys(ctx, item), 0, len(item.text)))
                continue
            if ":" not in text:
                continue  # both lead-ins below end with a colon: skip their searches
            if _REFUSAL_INTRO.search(text):
                for item in _items(ctx, unit):
                    m = _NOT_PRESENTED.search(item.text)
                    if m and not _POINTS_TO_LIST.search(m["what"]):
                        refusal.append(_item(item, _keys(ctx, item, m.start("what"), m.end("what")),
                                            m.start(), m.end()))
            elif _LIST_INTRO.search(text) and _NAMES_DOCUMENTS.search(text) and not _OWN_INITIATIVE.search(text):
                for item in _items(ctx, unit):
                    applicant.append(_item(item, _keys(ctx, item), 0, len(item.text)))
        return applicant, refusal, interagency

    return ctx.memo("document_lists", compute)


@register_check("refusal-for-unlisted-document")
def refusal_for_unlisted_document(ctx, rule):
    applicant, refusal, _ = _lists(ctx)
    if not applicant:
        return
    demanded = frozenset().union(*(i.keys for i in applicant))
    for ground in refusal:
        registers = _registries(ground.unit.text[ground.start:ground.end])
        if registers:
            # an extract from a state register the applicant is not asked for: the body obtains it
            # itself by interagency request, and cannot refuse for its absence
            if not any(_registries(i.unit.text) & registers for i in applicant):
                yield Hit(ground.unit, ground.start, ground.end,
                          related=[applicant[0].unit.parent or applicant[0].unit],
                          details={"document": ground.unit.text[ground.start:ground.end]})
            continue
        if ground.keys and not ground.keys & demanded:
            yield Hit(ground.unit, ground.start, ground.end, related=[applicant[0].unit.parent or applicant[0].unit],
                      details={"document": ground.unit.text[ground.start:ground.end]})


def _registries(text: str) -> frozenset[str]:
    """The state registers an item is an extract from («выписка из ЕГРЮЛ», «сведения из ЕГРН») —
    not those it merely mentions («право на которое не зарегистрировано в ЕГРН»)."""
    found = set()
    for pattern, name in _REGISTRIES:
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 60): m.start()]
            if regex.search(r"выписк|сведени", before, regex.IGNORECASE) and not regex.search(
                    r"зарегистр", before, regex.IGNORECASE):
                found.add(name)
    return frozenset(found)


def _same_document(item: Item, other: Item) -> bool:
    # an extract from a state register is identified by the register, not by its words
    regs_a, regs_b = _registries(item.unit.text), _registries(other.unit.text)
    if regs_a and regs_b:
        return bool(regs_a & regs_b)
    shared = item.keys & other.keys
    # the same document: its head noun is shared, or most of what names it
    same_head = item.head is not None and item.head == other.head
    return same_head or (len(shared) >= 2 and len(shared) >= min(len(item.keys), len(other.keys)) - 1)


@register_check("demanded-and-requested")
def demanded_and_requested(ctx, rule):
    applicant, _, interagency = _lists(ctx)
    for item in applicant:
        for other in interagency:
            if other.unit is not item.unit and _same_document(item, other):
                start = item.unit.marker_end + len(item.unit.text[item.unit.marker_end:]) - len(
                    item.unit.text[item.unit.marker_end:].lstrip())
                yield Hit(item.unit, start, len(item.unit.text.rstrip(" ;.")), related=[other.unit],
                          details={"document": item.unit.text[item.unit.marker_end:].strip(" ;."),
                                   "unit_b": other.unit.label})
                break
