"""The name of the body that issues an act, as a lawyer writes it.

An act's heading gives the body in capitals («АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАРЕЧНЫЙ»); the opinion,
the registry and the annual report need it in normal case and in the genitive («проект
постановления Администрации городского округа Заречный»). One place for both, used by all three.
"""

from __future__ import annotations

import regex


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


_TERRITORY = regex.compile(
    r"^(округа|района|поселения|города|области|края|республики|образования|сельсовета|поссовета|округ|район|"
    r"поселение|город|область|край)$", regex.IGNORECASE)
_GENERIC_ADJ = {
    "городской", "сельский", "муниципальный", "автономный", "внутригородской", "районный", "федеральный",
    "административный", "закрытый", "городское", "сельское", "территориальный", "новый",
}
_PROPER = regex.compile(r"^(республик|федерац|российск)", regex.IGNORECASE)
_TERRITORY_GEN = regex.compile(r"^(округа|района|поселения|города|области|края|образования|сельсовета|поссовета)$",
                               regex.IGNORECASE)
_SETTLEMENT = {"город", "поселок", "посёлок", "село", "деревня", "станица", "рабочий", "поселок", "округ"}


def _parses(word: str):  # (also used by the opinion for the act's kind)
    from expertise.language.morphology import _analyzer

    return _analyzer().parse(word.lower())


def _cap_word(word: str) -> str:
    return "-".join(capfirst(part) for part in word.split("-"))


def proper_case_body(body: str) -> str:
    """«Администрация городского округа заречный» → «Администрация городского округа Заречный».

    extract_requisites capitalises only the first word of an upper-case heading. Geographical names
    get their capital back: words pymorphy3 tags Geox, «Республика», «Российская Федерация», the
    adjective of a territory («Ивановского муниципального района») and the name in the nominative
    after a territory noun («городского округа Заречный», «… город Новый Уренгой»)."""
    words = body.split()
    out = list(words)
    name_mode = False  # just after a territory noun in the genitive («округа», «района» …)
    for i, word in enumerate(words):
        bare = word.strip("«»\"()")
        low = bare.lower()
        parses = _parses(low) if bare else []
        top = parses[0] if parses else None
        cap = False
        if bare and i > 0:
            cap = bool(_PROPER.match(low)) or any("Geox" in p.tag for p in parses[:2]) or word.startswith("«")
            if not cap and top is not None and "ADJF" in top.tag and top.normal_form not in _GENERIC_ADJ:
                j = i + 1  # an adjective before a territory noun, through generic adjectives
                while j < len(words) and "ADJF" in _parses(words[j])[0].tag and \
                        _parses(words[j])[0].normal_form in _GENERIC_ADJ:
                    j += 1
                cap = j < len(words) and bool(_TERRITORY.match(words[j]))
        by_name = False
        if bare and i > 0 and not cap and name_mode and top is not None and "gent" not in top.tag and \
                low not in _SETTLEMENT and not _TERRITORY.match(low):
            cap = by_name = True
        if cap:
            out[i] = word.replace(bare, _cap_word(bare), 1)
        name_mode = bool(_TERRITORY_GEN.match(low)) or (name_mode and (by_name or low in _SETTLEMENT))
    return " ".join(out)


def genitive_of_body(body: str) -> str:
    """«Администрация городского округа Заречный» → «Администрации городского округа Заречный»:
    the leading adjectives and the head noun go to the genitive, the rest already is."""
    from expertise.language.morphology import _same_case

    words = body.split()
    for i, word in enumerate(words):
        parses = [p for p in _parses(word) if "nomn" in p.tag and ("ADJF" in p.tag or "NOUN" in p.tag)]
        if not parses:
            break
        parse = parses[0]
        form = parse.inflect({"gent"})
        if form is None:
            break
        words[i] = _same_case(word, form.word)
        if "NOUN" in parse.tag:
            break
    return " ".join(words)
