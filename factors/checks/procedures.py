"""3ж: procedure completeness for административные регламенты and порядки.

For an act that sets a procedure, the elements the Методика expects somewhere in the act: a way to
appeal the decision, notice of the decision to the applicant, the form of the result. A missing
element is reported once, on the act's name, with the checklist of what was found.
"""

from __future__ import annotations

import regex

from expertise.documents.model import Kind
from expertise.engine.checks import Hit, register_check

ELEMENTS = {
    "appeal": ("порядок обжалования решений и действий (бездействия)",
               regex.compile(r"обжалова|досудебн|жалоб", regex.IGNORECASE)),
    "notice": ("уведомление заявителя о принятом решении",
               regex.compile(r"уведомл\w+\s+(?:заявител|получател|участник)|уведомлени\w+\s+[^.;]{0,60}(?:заявител|получател|участник)|"
                             r"(?:направля|выда|сообща|информиру)\w*\s+[^.;]{0,80}(?:заявител|получател|участник)|"
                             r"(?:заявител|получател|участник)\w*\s+[^.;]{0,40}(?:уведомля|направля|информиру|сообща)",
                             regex.IGNORECASE)),
    "result_form": ("форма решения (результата)",
                    regex.compile(r"в\s+форме|по\s+форме|оформля\w+|результат\w*\s+[^.;]{0,80}(?:явля|выда)|"
                                  r"принима\w+\s+в\s+виде|в\s+виде\s+(?:постановлени|распоряжени|приказ|решени|уведомлени)",
                                  regex.IGNORECASE)),
}
_DECISION = regex.compile(r"отказ|принима\w+\s+решени|решени\w+\s+о\s+(?:предоставлении|выдаче)", regex.IGNORECASE)


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
