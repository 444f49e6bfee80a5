"""3ж: procedure completeness for административные регламенты and порядки.

For an act that sets a procedure, the elements the Методика expects somewhere in the act: a way to
appeal the decision, notice of the decision to the applicant, the form of the result. A missing
element is reported once, on the act's name, with the checklist of what was found.
"""

from __future__ import annotations

import regex

from expertise.documents.model import Kind, Unit
from expertise.engine.checks import Hit, register_check
from expertise.engine.knowledge import is_private_party

ELEMENTS = {
    "appeal": ("порядок обжалования решений и действий (бездействия)",
               regex.compile(r"обжалова|досудебн|жалоб", regex.IGNORECASE)),
    "notice": ("уведомление заявителя о принятом решении",
               regex.compile(r"уведомл\w+\s+(?:заявител|получател|участник|гражданин|кандидат|претендент)|"
                             r"уведомлени\w+\s+[^.;]{0,60}(?:заявител|получател|участник|гражданин|кандидат|претендент)|"
                             r"(?:направля|выда|сообща|информиру)\w*\s+[^.;]{0,80}(?:заявител|получател|участник|гражданин|кандидат|претендент)|"
                             r"(?:заявител|получател|участник|гражданин|кандидат|претендент)\w*[\s,]+[^.;]{0,80}(?:уведомля|направля|информиру|сообща)",
                             regex.IGNORECASE)),
    "result_form": ("форма решения (результата)",
                    regex.compile(r"в\s+форме|по\s+форме|оформля\w+|результат\w*\s+[^.;]{0,80}(?:явля|выда)|"
                                  r"принима\w+\s+в\s+виде|в\s+виде\s+(?:постановлени|распоряжени|приказ|решени|уведомлени)",
                                  regex.IGNORECASE)),
}
# an act that decides on applicants: a refusal (or a grant) addressed to an applicant or participant
# (the body's refusal «отказ в …», «отказывает в …», «об отказе в …»; not the applicant's own «отказ от …»)
_DECISION = regex.compile(
    r"(?:отказ\w*\s+(?:\w+\s+){0,2}в\b|решени\w+\s+об?\s+(?:предоставлении|выдаче|отказе))[^.;]{0,120}(?:заявител|получател|участник\w*\s+отбор|гражданин|претендент)"
    r"|отказ\w*\s+(?:заявител|получател|участник|гражданин|претендент)\w*\s+в\b"
    r"|(?:заявител|получател|участник\w*\s+отбор|гражданин|претендент)\w*[^.;]{0,120}отказ\w*\s+(?:\w+\s+){0,2}в\b",
    regex.IGNORECASE)


def checklist(ctx) -> dict[str, bool]:
    text = "\n".join(u.text for u in ctx.doc.units if u.is_normative)
    return {key: bool(pattern.search(text)) for key, (_, pattern) in ELEMENTS.items()}


def _anchor(ctx):
    """The unit to hang an act-level finding on: the approved document's name, or the act's name."""
    titles = [u for u in ctx.doc.units if u.kind == Kind.TITLE]
    for unit in titles:
        if unit.parent is not None and unit.parent.kind == Kind.APPENDIX and regex.search(
                r"регламент|порядок|порядк", unit.text, regex.IGNORECASE):
            return unit
    return titles[0] if titles else None


def _missing(ctx, rule, key: str):
    if not ctx.requisites.is_procedure_act:
        return
    text = "\n".join(u.text for u in ctx.doc.units if u.is_normative)
    if not _DECISION.search(text):
        return
    found = checklist(ctx)
    if found[key]:
        return
    anchor = _anchor(ctx)
    if anchor is None:
        return
    words = regex.search(r"(?:регламент|порядок|порядк)\w*", anchor.text, regex.IGNORECASE) or regex.search(r"\S+", anchor.text)
    present = [ELEMENTS[k][0] for k, ok in found.items() if ok]
    yield Hit(anchor, words.start(), words.end(), details={
        "element": ELEMENTS[key][0], "present": "; ".join(present) or "нет",
    })


@register_check("procedure-no-appeal")
def procedure_no_appeal(ctx, rule):
    yield from _missing(ctx, rule, "appeal")


@register_check("procedure-no-notice")
def procedure_no_notice(ctx, rule):
    yield from _missing(ctx, rule, "notice")


# --- per-procedure checklist ---------------------------------------------------------------------

STEP_ELEMENTS = {
    "срок": None,  # deadlines come from the term extractor
    "ответственный": regex.compile(r"специалист|должностн\w+\s+лиц|ответственн\w+|уполномоченн\w+|отдел\w*|сотрудник|"
                                   r"комисси\w+|руководител\w+|глав\w+\s+администрац|служащ\w+", regex.IGNORECASE),
    "результат и его форма": regex.compile(r"результат\w*|в\s+форме|по\s+форме|оформля\w+|в\s+виде", regex.IGNORECASE),
    "уведомление заявителя": ELEMENTS["notice"][1],
}


def procedures(ctx) -> list[tuple[Unit, list[Unit]]]:
    """The procedures of the act's procedures section: (heading unit, its units)."""
    from expertise.factors.checks.deadlines import _procedures_section

    section = _procedures_section(ctx.doc)
    if section is None:
        return []
    groups: list[tuple[Unit, list[Unit]]] = []
    for child in section.children:
        if child.kind == Kind.TITLE and groups and not groups[-1][1]:
            groups[-1] = (child, [])
        elif child.kind == Kind.TITLE:
            groups.append((child, []))
        elif child.kind in (Kind.POINT, Kind.PARAGRAPH, Kind.SUBPOINT):
            if not groups or (child.kind == Kind.POINT and not any(g.kind == Kind.TITLE for g, _ in groups)):
                groups.append((child, [child]))
            else:
                groups[-1][1].append(child)
    enumerations = regex.compile(r"включа\w+\s+(?:в\s+себя\s+)?следующ|следующие\s+административные\s+процедуры",
                                 regex.IGNORECASE)
    return [(head, units) for head, units in groups if units and not enumerations.search(head.text)]


# the actions of a step towards the applicant (a general «субсидии предоставляются» is not a step)
_STEP_ACTIONS = frozenset({"регистрация", "рассмотрение", "выдача", "направление", "уведомление", "информирование",
                           "проверка", "перечисление", "возврат", "принятие решения", "исправление ошибок", "оценка",
                           "запрос", "выплата", "отказ"})
_SAME_DAY = regex.compile(r"\bв\s+(?:тот\s+же\s+|день|течение\s+дня)", regex.IGNORECASE)


def _acting_verb(ctx, unit: Unit):
    """The first action the unit's own text gives the body: a finite verb of a procedure action
    («рассматривает», «направляется»), not one whose subject is the applicant."""
    from expertise.factors.checks.deadlines import _action_key

    tokens = ctx.tokens(unit)
    for i, tok in enumerate(tokens):
        if not any(r.pos == "VERB" and r.score > 0.2 and ("pres" in r.grammemes or "futr" in r.grammemes) and "3per" in r.grammemes
                   for r in tok.readings):
            continue
        if _action_key(tok.lemmas) not in _STEP_ACTIONS:
            continue
        before = tokens[max(0, i - 6):i]
        if any(is_private_party(t.lemmas) and "nomn" in t.readings[0].grammemes for t in before if t.readings):
            continue
        return tok
    return None


def order_steps(ctx) -> list[tuple[Unit, list[Unit]]]:
    """The steps of a порядок with no procedures section: each пункт of the approved document where
    the body acts towards the applicant (receives, examines, decides, notifies, pays)."""
    steps = []
    for unit in ctx.doc.units:
        if unit.kind != Kind.POINT or not unit.is_normative or unit.enclosing(Kind.APPENDIX) is None:
            continue
        if regex.search(r"\bвправе\b|\bмо(?:жет|гут)\b", unit.text, regex.IGNORECASE):
            continue  # a right, not a step
        if _acting_verb(ctx, unit) is not None:
            steps.append((unit, [unit]))
    return steps


def procedures_section_found(ctx) -> bool:
    return bool(procedures(ctx))


def checklist_rows(ctx, order_steps_too: bool = True) -> list[tuple[Unit, dict[str, bool]]]:
    """One row per procedure: the procedures section's procedures, or, in a порядок without one
    (``order_steps_too``), the пункты where the body acts. A section's procedure has its term in its
    own units; a порядок's step may take it from its parent or a пункт it refers to."""
    rows = []
    groups = procedures(ctx)
    steps_of_order = not groups and order_steps_too and ctx.requisites.is_procedure_act
    if steps_of_order:
        groups = order_steps(ctx)
    for head, units in groups:
        text = "\n".join(u.full_text() for u in units)
        marks = {}
        for name, pattern in STEP_ELEMENTS.items():
            if pattern is None:
                marks[name] = any(ctx.terms(w) for u in units for w in u.walk()) or bool(
                    regex.search(r"в\s+срок(?:и)?,?\s+(?:установленн|предусмотренн|указанн)", text, regex.IGNORECASE))
                if steps_of_order and not marks[name]:
                    marks[name] = any(ctx.scope_has_term(u) for u in units) or bool(_SAME_DAY.search(text))
            else:
                marks[name] = bool(pattern.search(text))
        rows.append((head, marks))
    return rows


_APPLICANTS_RIGHT = regex.compile(r"\s*(?:заявител|получател|гражданин|граждан|участник)\w*\s+(?:вправе|может|имеет\s+право)",
                                  regex.IGNORECASE)


@register_check("procedure-without-term")
def procedure_without_term(ctx, rule):
    if not ctx.requisites.is_procedure_act:
        return
    from expertise.factors.checks.deadlines import _action_key

    groups = dict((id(h), units) for h, units in procedures(ctx))
    # a finding only where the act has a procedures section: a порядок's steps are a report
    for head, marks in checklist_rows(ctx, order_steps_too=False):
        if marks["срок"]:
            continue
        missing = [k for k, ok in marks.items() if not ok]
        # anchor on the action the procedure performs without a term («рассматривает заявление»)
        anchor = None
        for unit in (w for u in groups.get(id(head), []) for w in u.walk()):
            verb = next((t for t in ctx.tokens(unit) if _action_key(t.lemmas)
                         and any(r.pos in ("VERB", "PRTS") and r.score > 0.2 for r in t.readings)), None)
            if verb is not None:
                anchor = (unit, verb.start, verb.end)
                break
        if anchor is None and _APPLICANTS_RIGHT.match(head.text[head.marker_end:]):
            continue  # the applicant's right («Заявитель вправе отозвать запрос»): not a procedure to time
        if anchor is None:
            end = min(len(head.text.rstrip(" .:")), 120)
            start = head.marker_end + (len(head.text[head.marker_end:]) - len(head.text[head.marker_end:].lstrip()))
            anchor = (head, start, end)
        unit, start, end = anchor
        yield Hit(unit, start, end, related=[head] if unit is not head else [],
                  details={"missing": ", ".join(missing), "procedure": head.text.strip()[:120]})
