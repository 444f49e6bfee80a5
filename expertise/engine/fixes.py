"""Grammatical fix text: turning discretion into obligation with pymorphy3 inflection.

«может быть отказано» → «отказывается», «могут быть продлены» → «продлеваются»,
«вправе продлить» → «продлевает»: the imperfective partner of the verb (factors/knowledge/
aspect_pairs.yaml), present tense, third person, the number of the original form.
"""

from __future__ import annotations

import functools

from expertise.engine.knowledge import knowledge
from expertise.language.morphology import _analyzer


@functools.cache
def _pairs() -> dict[str, str]:
    return {str(k).replace("ё", "е"): str(v) for k, v in knowledge("aspect_pairs")["pairs"].items()}


def _imperfective(lemma: str) -> str | None:
    pairs = _pairs()
    if lemma in pairs:
        return pairs[lemma]
    if lemma in pairs.values():
        return lemma
    return None


def obligatory(word: str, number: str | None = None) -> str:
    """The present-tense obligation form of a decision verb form (participle or infinitive).

    A passive short participle becomes a reflexive passive («отказано» → «отказывается»); an
    infinitive becomes the third person («продлить» → «продлевает»; plural with ``number="plur"``).
    Returns the word unchanged when no reliable form exists.
    """
    morph = _analyzer()
    for parse in morph.parse(word.lower()):
        tag = parse.tag
        if tag.POS not in ("PRTS", "INFN", "VERB", "PRTF"):
            continue
        base = _imperfective(parse.normal_form.replace("ё", "е"))
        if base is None and "impf" in tag:
            base = parse.normal_form
        if base is None:
            continue
        passive = tag.POS == "PRTS" or ("pssv" in tag)
        num = number or ("plur" if "plur" in tag else "sing")
        candidates = morph.parse(base)
        verb = next((p for p in candidates if p.tag.POS == "INFN" and "impf" in p.tag),
                    next((p for p in candidates if p.tag.POS == "INFN"), candidates[0]))
        form = verb.inflect({"pres", "3per", num})
        if form is None:
            continue
        text = form.word + ("ся" if passive else "")
        return text
    return word
