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


# A definition in a list of terms: «получатель субсидии — юридическое лицо, …» (after «используются
# следующие понятия») or «под уполномоченным органом понимается отдел …».
_LIST_ENTRY = regex.compile(r"(?P<term>[А-ЯЁа-яё][а-яё]+(?:[ -][а-яё]+){0,4})\s+[—–-]\s+(?P<meaning>\S)")
_UNDERSTOOD = regex.compile(r"\bпод\s+(?P<term>[а-яё]+(?:\s+[а-яё]+){0,4}?)\s+(?:в\s+настоящем\s+\w+\s+)?"
                            r"понима(?:ется|ются|ть)\s+(?P<meaning>\S)", regex.IGNORECASE)
_TERMS_INTRO = regex.compile(r"(?:следующие|основные)\s+(?:основные\s+)?(?:понятия|термины)|понятия\s+и\s+термины",
                             regex.IGNORECASE)


def _words_lemmas(ctx, unit, start: int, end: int, limit: int = 6) -> tuple[str, frozenset[str], str | None]:
    """The significant words of ``unit.text[start:end]`` (at most ``limit``), their lemmas and the
    first noun's lemma (the phrase's head)."""
    words = [t for t in ctx.tokens(unit) if t.start >= start and t.end <= end and t.is_word][:limit]
    lemmas = frozenset(r.lemma for t in words for r in t.readings[:1] if r.pos in ("NOUN", "ADJF", "PRTF"))
    head = next((t.readings[0].lemma for t in words if t.readings and t.readings[0].pos == "NOUN"), None)
    return " ".join(t.text for t in words), lemmas, head


def _term_key(ctx, unit, start: int, end: int) -> str:
    """A term by its words' lemmas and its numbers: «уполномоченным органом» and «уполномоченный
    орган» are one term."""
    tokens = [t for t in ctx.tokens(unit) if t.start >= start and t.end <= end and any(c.isalnum() for c in t.text)]
    # numbers stay: «Федеральный закон № 400-ФЗ» and «Федеральный закон № 166-ФЗ» are two terms
    return " ".join((t.readings[0].lemma if t.is_word else t.lower) for t in tokens)


def _meaning_end(text: str, start: int) -> int:
    stop = regex.compile(r"[;:]|,\s*(?:котор|в\s+том\s+числе|за\s+исключением|если|при\s+условии)|\.\s|\.$")
    m = stop.search(text, start)
    return m.start() if m else len(text)


def _definitions(ctx):
    """Every explicit definition in the act: (unit, term start, term end, key, phrase, lemmas, head,
    from a list). «(далее — X)» stands for the words before it; a list entry and «под X понимается»
    for the words after."""
    in_list_of: set[int] = set()
    for unit in ctx.doc.units:
        if not unit.is_normative:
            continue
        text = unit.text
        if ("понят" in text or "термин" in text) and _TERMS_INTRO.search(text):
            in_list_of.add(id(unit))
            if unit.parent is not None:
                in_list_of.add(id(unit.parent))
        if "далее" in text.lower():
            for m in _DEFINED.finditer(text):
                phrase, lemmas = _meaning(ctx, unit, m.start())
                yield unit, m.start("term"), m.end("term"), _term_key(ctx, unit, m.start("term"), m.end("term")), \
                    phrase, lemmas, None, False
        entry_of_list = (unit.kind in (Kind.SUBPOINT, Kind.PARAGRAPH) and unit.parent is not None
                         and id(unit.parent) in in_list_of)
        if entry_of_list:
            content = unit.marker_end + len(text[unit.marker_end:]) - len(text[unit.marker_end:].lstrip())
            m = _LIST_ENTRY.match(text, content)
            if m:
                phrase, lemmas, head = _words_lemmas(ctx, unit, m.start("meaning"), _meaning_end(text, m.start("meaning")))
                yield unit, m.start("term"), m.end("term"), _term_key(ctx, unit, m.start("term"), m.end("term")), \
                    phrase, lemmas, head, True
        if "понима" in text:
            for m in _UNDERSTOOD.finditer(text):
                phrase, lemmas, head = _words_lemmas(ctx, unit, m.start("meaning"), _meaning_end(text, m.start("meaning")))
                yield unit, m.start("term"), m.end("term"), _term_key(ctx, unit, m.start("term"), m.end("term")), \
                    phrase, lemmas, head, True


def _differ(first, second) -> bool:
    """Two meanings of one term are different things. Two short names read off the words before
    «(далее — …)» differ when they share under half their words; where a definition from a list is
    involved, its phrase is longer and worded freely, so the heads must differ too and the words
    share under a quarter."""
    _, _, _, _, _, lemmas_a, head_a, listed_a = first
    _, _, _, _, _, lemmas_b, head_b, listed_b = second
    if not lemmas_a or not lemmas_b:
        return False
    similarity = len(lemmas_a & lemmas_b) / len(lemmas_a | lemmas_b)
    if not (listed_a or listed_b):
        return similarity < 0.5
    if head_a and head_b:
        return head_a != head_b and similarity < 0.25
    return similarity < 0.2


@register_check("term-defined-twice")
def term_defined_twice(ctx, rule):
    seen: dict[str, tuple] = {}
    for definition in _definitions(ctx):
        unit, start, end, key, phrase, *_ = definition
        if key in seen:
            first = seen[key]
            if first[0] is not unit and _differ(first, definition):
                yield Hit(unit, start, end, related=[first[0]], details={
                    "term": unit.text[start:end], "meaning_a": first[4], "meaning_b": phrase,
                    "unit_b": first[0].label,
                })
        else:
            seen[key] = definition


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
