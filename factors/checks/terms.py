"""3и/4в: terms of the act — one short name defined for two different things."""

from __future__ import annotations

import regex

from expertise.documents.model import Kind
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


# --- one payment under two names ------------------------------------------------------------------

_PAYMENT_HEADS = frozenset({"выплата", "компенсация", "пособие", "доплата", "надбавка", "субсидия"})


def _payment_names(ctx, unit) -> list[tuple[frozenset[str], str, int, int]]:
    """«ежемесячная денежная компенсация» → ({ежемесячный, денежный}, компенсация, start, end): a
    payment noun with at least two adjectives right before it."""
    out = []
    tokens = ctx.tokens(unit)
    for i, tok in enumerate(tokens):
        head = next((r.lemma for r in tok.readings if r.pos == "NOUN" and r.lemma in _PAYMENT_HEADS), None)
        if head is None:
            continue
        mods: list[str] = []
        j = i - 1
        while j >= 0 and len(mods) < 3:
            adj = next((r.lemma for r in tokens[j].readings if r.pos == "ADJF" and r.score > 0.2), None)
            if adj is None:
                break
            mods.append(adj)
            j -= 1
        if len(mods) >= 2:
            out.append((frozenset(mods), head, tokens[j + 1].start, tok.end))
    return out


@register_check("payment-two-names")
def payment_two_names(ctx, rule):
    """The act is about «ежемесячная денежная компенсация» (its title says so), and a provision pays
    «ежемесячная денежная выплата»: the same qualifiers with another payment noun read as another
    payment, one that may exist in its own right."""
    titled: dict[frozenset[str], tuple] = {}
    for unit in ctx.doc.units:
        # where the act names its subject: its title and its first provisions
        if unit.kind == Kind.TITLE or (unit.is_normative and unit.index < 40 and unit.kind in (Kind.POINT, Kind.PREAMBLE)):
            for mods, head, _, _ in _payment_names(ctx, unit):
                titled.setdefault(mods, (head, unit))
    if not titled:
        return
    reported = set()
    for unit in ctx.doc.units:
        if not unit.is_normative:
            continue
        for mods, head, start, end in _payment_names(ctx, unit):
            if mods not in titled or mods in reported:
                continue
            title_head, title_unit = titled[mods]
            if head != title_head and not any(h == head for m, (h, _) in titled.items() if m == mods):
                reported.add(mods)
                yield Hit(unit, start, end, related=[title_unit] if title_unit is not unit else [], details={
                    "name_a": unit.text[start:end], "head_b": title_head, "unit_b": title_unit.label,
                })
