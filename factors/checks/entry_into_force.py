"""3и: two or more different dates or conditions of entry into force of the same act."""

from __future__ import annotations

import regex

from expertise.engine.checks import Hit, register_check

_FORCE = regex.compile(
    r"(?P<subject>настоящ(?:ее|ий|ая|ие)\s+(?:постановление|решение|приказ|распоряжение|закон|порядок|положение|"
    r"регламент|правила))[^.;]{0,80}?\s+(?:вступа\w+|вводится|вводятся)\s+в\s+(?:силу|действие)\s+"
    r"(?P<when>(?:[^.;]|\.(?=\d)){3,160})",
    regex.IGNORECASE,
)
# the date from which the act applies: «распространяется на правоотношения, возникшие с 1 января
# 2025 года», «Настоящее Положение применяется с 01.01.2026»
_APPLIES = regex.compile(
    r"(?:распространя\w+\s+на\s+(?:право)?отношения,?\s+возникш\w+|применя\w+)\s+с\s+"
    r"(?P<date>\d{1,2}\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
    r"\s+\d{4}(?:\s+года)?|\d{1,2}\.\d{1,2}\.\d{4})",
    regex.IGNORECASE,
)
_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря")
_OWN_ACT = regex.compile(r"настоящ(?:ее|ий|ая|ие)\s+(?:постановление|решение|приказ|распоряжение|закон|порядок|"
                         r"положение|регламент|правила)", regex.IGNORECASE)


def _date(text: str) -> tuple[int, int, int] | None:
    m = regex.match(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if m:
        return int(m[3]), int(m[2]), int(m[1])
    m = regex.match(r"(\d{1,2})\s+([а-я]+)\s+(\d{4})", text.lower())
    if m and m[2] in _MONTHS:
        return int(m[3]), _MONTHS.index(m[2]) + 1, int(m[1])
    return None


_EXCEPTION = regex.compile(r"за\s+исключением|кроме\s+(?:пункт|подпункт|стать|абзац)", regex.IGNORECASE)


def _normalise(when: str) -> str:
    w = when.lower()
    w = regex.sub(r"\s+", " ", w).strip(" ,")
    w = regex.sub(r"\b(?:его|ее|её|их)\s+", "", w)
    w = regex.sub(r",?\s*(?:и\s+)?подлежит.*$", "", w)
    w = regex.sub(r",?\s*(?:и\s+)?распространяет.*$", "", w)
    w = w.replace("после дня", "после").replace("со дня", "с").replace("с даты", "с").replace("с момента", "с")
    return w.strip(" ,")


@register_check("entry-into-force")
def entry_into_force(ctx, rule):
    seen: list[tuple] = []
    for unit in ctx.doc.units:
        # a cheap test first: _FORCE needs «настоящ…», and casefold() folds at least as much as the
        # regex's IGNORECASE does, so the regexes cannot match where the folded text lacks it
        if not unit.is_normative or "настоящ" not in unit.text.casefold() or _EXCEPTION.search(unit.text):
            continue
        for m in _FORCE.finditer(unit.text):
            subject = m["subject"].split()[-1].lower()
            seen.append((unit, m, subject, _normalise(m["when"])))
    # the act and the document it approves («Настоящий Порядок …») share one entry into force
    for items in ([*seen],) if seen else ():
        first = items[0]
        others = [it for it in items[1:] if it[3] != first[3] and it[0] is not first[0]]
        if others:
            unit, m = first[0], first[1]
            yield Hit(unit, m.start("when"), m.end("when"), related=[o[0] for o in others], details={
                "when_a": m["when"].strip(), "when_b": others[0][1]["when"].strip(),
            })


@register_check("application-date")
def application_date(ctx, rule):
    """The act (or the document it approves) applies from two different dates."""
    dated: list[tuple] = []
    for unit in ctx.doc.units:
        if not unit.is_normative:
            continue
        lower = unit.text.lower()
        if "применя" not in lower and "распростран" not in lower:
            continue  # cheap test before the regexes
        if _EXCEPTION.search(unit.text) or not _OWN_ACT.search(unit.text):
            continue
        for m in _APPLIES.finditer(unit.text):
            when = _date(m["date"])
            if when is not None:
                dated.append((unit, m, when))
    if len(dated) < 2:
        return
    first = dated[0]
    others = [d for d in dated[1:] if d[2] != first[2] and d[0] is not first[0]]
    if others:
        unit, m = first[0], first[1]
        yield Hit(unit, m.start("date"), m.end("date"), related=[o[0] for o in others], details={
            "when_a": m["date"], "when_b": others[0][1]["date"],
        })
