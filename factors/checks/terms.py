"""3и/4в: terms of the act — one short name defined for two different things."""

from __future__ import annotations

import regex

from expertise.engine.checks import Hit, register_check

_DEFINED = regex.compile(r"\(\s*далее\s*(?:[-—–]|по\s+тексту\s*[-—–]?)\s*(?:также\s*)?[«\"„]?(?P<term>[^»\"“)]{2,60}?)[»\"“]?\s*\)",
                         regex.IGNORECASE)


def _meaning(ctx, unit, end: int) -> tuple[str, frozenset[str]]:
    """The phrase a short name stands for: the significant words just before «(далее — …)»."""
    before = [t for t in ctx.tokens(unit) if t.end <= end]
    words: list = []
    for tok in reversed(before):
        if tok.text in (".", ";", ":") or len(words) >= 6:
            break
        if tok.text == ",":
            if len(words) >= 2:
                break
            continue
        if tok.is_word:
            words.append(tok)
    words.reverse()
    lemmas = frozenset(r.lemma for t in words for r in t.readings[:1] if r.pos in ("NOUN", "ADJF", "PRTF"))
    return " ".join(t.text for t in words), lemmas


@register_check("term-defined-twice")
def term_defined_twice(ctx, rule):
    seen: dict[str, tuple] = {}
    for unit in ctx.doc.units:
        if not unit.is_normative or "далее" not in unit.text.lower():
            continue
        for m in _DEFINED.finditer(unit.text):
            term = " ".join(m["term"].lower().split())
            phrase, lemmas = _meaning(ctx, unit, m.start())
            if not lemmas:
                continue
            if term in seen:
                first_unit, first_phrase, first_lemmas = seen[term]
                similarity = len(lemmas & first_lemmas) / len(lemmas | first_lemmas)
                if first_unit is not unit and similarity < 0.5:
                    yield Hit(unit, m.start("term"), m.end("term"), related=[first_unit], details={
                        "term": m["term"], "meaning_a": first_phrase, "meaning_b": phrase,
                        "unit_b": first_unit.label,
                    })
            else:
                seen[term] = (unit, phrase, lemmas)
