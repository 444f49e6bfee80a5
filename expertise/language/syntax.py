"""Shallow syntax over tokens: noun groups and the subject of a clause.

Legal provisions are regular: the subject usually opens the clause («Уполномоченный орган вправе …»,
«Члены комиссии могут …», «Администрация, рассмотрев заявление, вправе …»). A noun group is a run of
nouns, adjectives, participles and abbreviations; its head is the first noun that can be nominative
(genitive modifiers follow it: «член комиссии», «органы местного самоуправления»). Groups governed by
a preposition, a verb or a gerund are objects, not subjects.
"""

from __future__ import annotations

from dataclasses import dataclass

from expertise.language.morphology import Token

_GOVERNORS = frozenset({"PREP", "GRND", "VERB", "INFN", "PRTS", "PRED"})


@dataclass(frozen=True)
class NounGroup:
    tokens: tuple[Token, ...]
    head: Token
    head_lemma: str

    @property
    def lemmas(self) -> frozenset[str]:
        out: set[str] = set()
        for t in self.tokens:
            out |= t.lemmas
        return frozenset(out)

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


_SUBORDINATORS = frozenset({"если", "когда", "который", "что", "чтобы", "поскольку", "пока", "хотя", "где", "куда"})
_OBLIQUE = frozenset({"gent", "datv", "ablt", "loct", "accs"})


def _is_abbreviation(tok: Token) -> bool:
    return len(tok.text) >= 2 and tok.text.isupper() and tok.text.isalpha()


def _nominative_lemma(tok: Token, pos: tuple[str, ...]) -> str | None:
    if _is_abbreviation(tok) and "NOUN" in pos:
        return tok.lower
    for r in tok.readings:
        if r.pos in pos and "nomn" in r.grammemes:
            return r.lemma
    return None


def _is(tok: Token, *pos: str, threshold: float = 0.3) -> bool:
    return any(r.pos in pos and r.score >= threshold for r in tok.readings)


def _segments(tokens: list[Token], i: int) -> list[list[Token]]:
    """Comma-separated segments of tokens[i]'s clause up to i, nearest first."""
    clause = tokens[i].clause
    segs: list[list[Token]] = [[]]
    j = i - 1
    while j >= 0 and tokens[j].clause == clause:
        if tokens[j].text in (",", "(", ")", "—", "–"):
            segs.append([])
        else:
            segs[-1].insert(0, tokens[j])
        j -= 1
    return [s for s in segs if s]


def _candidates(seg: list[Token]) -> list[NounGroup]:
    """Subject candidates of a segment, nearest to its end first."""
    out = []
    for n in range(len(seg) - 1, -1, -1):
        tok = seg[n]
        lemma = _nominative_lemma(tok, ("NOUN", "NPRO"))
        if lemma is None or _is(tok, "PREP", "CONJ", "PRCL", threshold=0.5):
            continue
        k = n
        while k > 0 and _is(seg[k - 1], "ADJF", "PRTF", threshold=0.05) and not _is(seg[k - 1], "PREP", "CONJ", threshold=0.5):
            k -= 1
        prev = seg[k - 1] if k > 0 else None
        if prev is not None and _is(prev, *_GOVERNORS):
            continue
        if prev is not None and _is(prev, "NOUN") and any(
            r.pos == "NOUN" and r.grammemes & _OBLIQUE for r in tok.readings
        ):
            continue  # a genitive modifier: «член комиссии», «органы местного самоуправления»
        m = n + 1
        while m < len(seg) and _is(seg[m], "NOUN", "ADJF", "PRTF") and not _is(seg[m], "PREP", "CONJ", threshold=0.5):
            m += 1
        out.append(NounGroup(tuple(seg[k:m]), tok, lemma))
    return out


def clause_subject(tokens: list[Token], i: int) -> NounGroup | None:
    """The subject of the clause in which tokens[i] is the predicate (None if none is found)."""
    for n, seg in enumerate(_segments(tokens, i)):
        first = seg[1] if seg[0].lower == "не" and len(seg) > 1 else seg[0]
        if n > 0 and (first.lower in _SUBORDINATORS or _is(first, "GRND", "PRTF", "ADJF", threshold=0.05)):
            continue  # a subordinate clause or a participial phrase
        found = _candidates(seg)
        if found:
            return found[0]
    return None
