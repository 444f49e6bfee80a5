"""The data of an opinion (заключение): everything a template may print, as plain dicts and strings.

The context is the contract with the templates (built-in and the user's ``--templates DIR``); every
key is documented in the README («Шаблоны заключения: переменные»). Keys are only ever added.

Findings of severity «finding» are the corruption factors of the opinion. Findings of severity
«hint» («проверить») go to «иные положения»: the Правила (ПП РФ № 96) let a conclusion name
provisions that are not qualified as factors but may create conditions for corruption. A hint is a
provision the tool could not qualify as a factor, so that is the only section of the form where it
can stand without overstating it; the wording of that section says the provisions «не отнесены
настоящим заключением к коррупциогенным факторам» and «могут способствовать», and each item says
what to check. ``--min-severity finding`` leaves them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import regex

from expertise.documents.model import Document
from expertise.documents.requisites import Requisites, extract_requisites, parse_date
from expertise.engine.catalogue import Catalogue
from expertise.engine.findings import Finding
from expertise.errors import InputError
from expertise.language.names import _parses, capfirst, genitive_of_body, proper_case_body

FORMS = ("independent", "departmental", "table")
REGISTRY_KIND = {"independent": "независимая", "departmental": "ведомственная", "table": "ведомственная"}

MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря")

# вид акта: (родительный, предложный)
_KIND_CASES = {
    "постановление": ("постановления", "постановлении"),
    "решение": ("решения", "решении"),
    "приказ": ("приказа", "приказе"),
    "распоряжение": ("распоряжения", "распоряжении"),
    "закон": ("закона", "законе"),
    "указ": ("указа", "указе"),
}
_NPA = ("нормативный правовой акт", "нормативного правового акта", "нормативном правовом акте")

# Characters XML 1.0 does not allow, and control characters docxtpl would turn into structure
# (\a paragraph, \f page break, \t tab, \n line break): every string of the context is cleaned.
_CONTROL = regex.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff\p{Cs}]")


def clean(value: object) -> str:
    """A context string: no control or XML-invalid characters, whitespace collapsed."""
    if value is None:
        return ""
    return " ".join(_CONTROL.sub(" ", str(value)).split())


def ru_date(value: dt.date | None) -> str:
    """«22 ноября 2026 г.»"""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year} г."


def numeric_date(value: dt.date | None) -> str:
    return "" if value is None else value.strftime("%d.%m.%Y")


def parse_user_date(text: str, what: str) -> dt.date:
    """A date given by the user: 2026-11-22 or 22.11.2026 (or «22 ноября 2026»)."""
    raw = (text or "").strip()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        pass
    found = parse_date(raw.removesuffix("г.").removesuffix("года").strip())
    if found is None:
        raise InputError(f"Неверная {what} «{text}»: укажите дату в виде ГГГГ-ММ-ДД или ДД.ММ.ГГГГ.")
    return found


def lowerfirst(text: str) -> str:
    """«Установить срок …» → «установить срок …» (an abbreviation such as «МФЦ» is kept)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:] if text else text


# --- names: the issuing body, the act's kind, the expert -------------------------------------------

def kind_cases(kind: str) -> tuple[str, str, str]:
    """(именительный, родительный, предложный) of the act's kind."""
    kind = kind.strip().lower()
    if kind in _KIND_CASES:
        return (kind, *_KIND_CASES[kind])
    from expertise.language.morphology import inflect

    words = kind.split()
    if not words:
        return _NPA
    head = words[-1] if len(words) > 1 and all("ADJF" in _parses(w)[0].tag for w in words[:-1]) else None
    if head is None:  # one word, or «положение о …»: inflect the first word
        return (kind, " ".join([inflect(words[0], {"gent"}), *words[1:]]),
                " ".join([inflect(words[0], {"loct"}), *words[1:]]))
    return (kind, " ".join(inflect(w, {"gent"}) for w in words), " ".join(inflect(w, {"loct"}) for w in words))


def initials(name: str) -> str:
    """«Иванов Иван Иванович» or «Иванов И.И.» → «И.И. Иванов» (the signature line)."""
    parts = name.replace(".", ". ").split()
    if len(parts) == 3 and all(p[:1].isupper() for p in parts) and not any(p.endswith(".") for p in parts[:1]):
        surname, first, middle = parts
        if len(first) > 2 or len(middle) > 2 or first.endswith(".") or middle.endswith("."):
            return f"{first[0]}.{middle[0]}. {surname}"
    if len(parts) == 2 and all(p[:1].isupper() for p in parts) and not parts[0].endswith("."):
        return f"{parts[1][0]}. {parts[0]}"
    return name


# --- options -----------------------------------------------------------------------------------


@dataclass
class OpinionOptions:
    form: str = "independent"
    date: dt.date | None = None  # the opinion's date (today by default)
    number: str = ""  # the opinion's number
    addressee: str | None = None
    act: dict[str, str | None] = field(default_factory=dict)  # kind, body, date, number, title overrides
    expert: dict[str, str | None] = field(default_factory=dict)  # name, organization, accreditation, …
    min_severity: str = "hint"


EXPERT_FIELDS = ("name", "organization", "accreditation", "position", "signature", "address")


# --- the context -------------------------------------------------------------------------------


def _quote_title(title: str) -> str:
    if not title:
        return ""
    if title.startswith("«") and title.endswith("»"):
        return title
    return f"«{title}»"


def act_context(document: Document, overrides: dict[str, str | None]) -> dict:
    req: Requisites = extract_requisites(document)
    kind = clean(overrides.get("kind") or req.kind or "").lower()
    body = clean(overrides.get("body")) or (proper_case_body(clean(req.body)) if req.body else "")
    date = parse_user_date(overrides["date"], "дата акта") if overrides.get("date") else req.date
    number = clean(overrides.get("number") or req.number or "")
    title = clean(overrides.get("title") or req.title or document.title or "")
    is_draft = req.is_draft or (date is None and not number)
    nom, gen, loc = kind_cases(kind) if kind else _NPA
    body_gen = genitive_of_body(body) if body else ""
    tail = " ".join(x for x in (
        body_gen,
        f"от {numeric_date(date)}" if date else "",
        f"№\u00a0{number}" if number else "",
        _quote_title(title),
    ) if x)

    def phrase(head: str) -> str:
        return " ".join(x for x in (head, tail) if x)

    if is_draft:
        name, name_gen, name_loc = phrase(f"проект {gen}"), phrase(f"проекта {gen}"), phrase(f"проекте {gen}")
        short = ("проект", "проекта", "проекте")
    else:
        name, name_gen, name_loc = phrase(nom), phrase(gen), phrase(loc)
        short = (nom, gen, loc) if kind and len(kind.split()) == 1 else ("акт", "акта", "акте")
    return {
        "kind": kind, "kind_genitive": gen if kind else "", "body": body, "body_genitive": body_gen,
        "date": numeric_date(date), "date_text": ru_date(date), "date_iso": date.isoformat() if date else "",
        "number": number, "title": title, "is_draft": is_draft,
        "name": name, "name_genitive": name_gen, "name_prepositional": name_loc,
        "short": short[0], "short_genitive": short[1], "short_prepositional": short[2],
    }


def expert_context(settings, overrides: dict[str, str | None]) -> dict:
    values = {}
    for key in EXPERT_FIELDS:
        given = overrides.get(key)
        values[key] = clean(given if given is not None else (settings.get("expert", key, "") if settings else ""))
    values["display"] = values["organization"] or values["name"]
    values["signature"] = values["signature"] or (initials(values["name"]) if values["name"] else "")
    return values


def _factor_context(catalogue: Catalogue, factor_id: str, number: int) -> dict:
    factor = catalogue.factors[factor_id]
    return {"id": factor.id, "number": number, "item": factor.item, "name": factor.name,
            "citation": f"{factor.item} Методики", "legal_basis": factor.citation,
            "definition": factor.definition}


def finding_context(finding: Finding, number: str, catalogue: Catalogue) -> dict:
    factor = catalogue.factors.get(finding.factor)
    canonical = factor is not None and " ".join(finding.legal_basis.split()) == " ".join(factor.citation.split())
    related = [clean(u.label) for u in finding.related if u is not finding.unit and u.label != finding.unit.label]
    related = list(dict.fromkeys(related))
    also = [{"id": f, "name": catalogue.factors[f].name, "item": catalogue.factors[f].item,
             "citation": f"{catalogue.factors[f].item} Методики"}
            for f in finding.also_factors if f in catalogue.factors]
    return {
        "number": number,
        "severity": finding.severity,
        "rule": finding.rule,
        "title": clean(finding.title),
        "factor": finding.factor,
        "factor_name": clean(finding.factor_name),
        "factor_item": factor.item if factor else "",
        "citation": f"{factor.item} Методики" if canonical else clean(finding.legal_basis),
        "legal_basis": clean(finding.legal_basis),
        "unit": clean(finding.unit.label),
        "related_units": related,
        "units": " и ".join([clean(finding.unit.label), *related]),
        "quote": clean(finding.quote),
        "explanation": clean(finding.explanation),
        "recommendation": clean(finding.recommendation),
        "also_factors": also,
    }


def order_findings(findings: list[Finding], catalogue: Catalogue) -> list[Finding]:
    """Методика order of the factors (3а … 4в), then the order of the units in the act."""
    rank = {fid: n for n, fid in enumerate(catalogue.factors)}
    return sorted(findings, key=lambda f: (rank.get(f.factor, len(rank)), f.factor, f.unit.index, f.start, f.rule))


def build_context(document: Document, findings: list[Finding], catalogue: Catalogue, settings,
                  options: OpinionOptions, today: dt.date | None = None) -> dict:
    if options.form not in FORMS:
        raise InputError(f"Неизвестная форма заключения «{options.form}»: допустимы {', '.join(FORMS)}.")
    date = options.date or today or dt.date.today()
    shown = [f for f in findings if options.min_severity == "hint" or f.severity == "finding"]
    factors = order_findings([f for f in shown if f.severity == "finding"], catalogue)
    others = order_findings([f for f in shown if f.severity != "finding"], catalogue)
    table = []
    for n, factor_id in enumerate(catalogue.factors, start=1):
        row = _factor_context(catalogue, factor_id, n)
        row["findings"], row["found"] = [], False
        table.append(row)
    rows = {row["id"]: row for row in table}
    groups: list[dict] = []
    items = []
    for finding in factors:
        row = rows.get(finding.factor)
        if row is None:  # a factor unknown to the catalogue (a user's rule file): its own group
            row = {"id": finding.factor, "number": len(table) + 1, "item": "", "name": finding.factor_name,
                   "citation": clean(finding.legal_basis), "legal_basis": clean(finding.legal_basis),
                   "definition": "", "findings": [], "found": False}
            rows[finding.factor] = row
        if not groups or groups[-1]["factor"] is not row:
            groups.append({"number": len(groups) + 1, "factor": row, "findings": []})
        group = groups[-1]
        item = finding_context(finding, f"{group['number']}.{len(group['findings']) + 1}", catalogue)
        group["findings"].append(item)
        row["findings"].append(item)
        row["found"] = True
        items.append(item)
    other_items = [finding_context(f, str(n), catalogue) for n, f in enumerate(others, start=1)]

    act = act_context(document, options.act)
    expert = expert_context(settings, options.expert)
    addressee = clean(options.addressee) if options.addressee is not None else act["body"]
    from importlib.metadata import PackageNotFoundError, version

    try:
        tool_version = version("expertise")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        tool_version = ""
    return {
        "form": options.form,
        "registry_kind": REGISTRY_KIND[options.form],
        "date": ru_date(date),
        "date_numeric": numeric_date(date),
        "date_iso": date.isoformat(),
        "number": clean(options.number),
        "addressee": addressee,
        "act": act,
        "expert": expert,
        "methodika": clean(catalogue.methodika),
        "findings": items,
        "groups": groups,
        "factors": table,
        "other": other_items,
        "has_findings": bool(items),
        "has_other": bool(other_items),
        "counts": {"findings": len(items), "factors": len(groups), "other": len(other_items)},
        "source": clean(document.path),
        "tool": {"name": "expertise", "version": tool_version},
    }
