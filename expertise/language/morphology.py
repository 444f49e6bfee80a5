"""Tokens with every pymorphy3 reading: lemmas and grammemes, never collapsed to one lemma.

The spaCy blank Russian tokenizer splits the text; pymorphy3 gives each word form all its readings,
cached per lower-cased form. Both are loaded once per process.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

_WORD = regex.compile(r"[\p{L}\p{M}\-]+")
_SENTENCE_END = frozenset({".", "!", "?", ";", ":", "…"})


@dataclass(frozen=True, slots=True)
class Reading:
    lemma: str
    pos: str  # OpenCorpora POS: NOUN, VERB, INFN, PRTS, ADJF, PRED, PREP, … ("" if unknown)
    grammemes: frozenset[str]
    score: float


@dataclass(slots=True)
class Token:
    text: str
    lower: str
    start: int  # character offsets in the unit's text
    end: int
    i: int  # position in the unit's token list
    readings: tuple[Reading, ...]
    clause: int  # index of the clause (split at «.», «;», «:») the token belongs to
    lemmas: frozenset[str]
    keys: frozenset[str]  # the lemmas and the lower-cased form: what the pattern index looks words up by

    @property
    def is_word(self) -> bool:
        return bool(self.readings) and self.readings[0].pos not in ("PNCT", "NUMB", "LATN", "UNKN", "")

    def has(self, lemma: str | None = None, pos: str | None = None, *grammemes: str) -> bool:
        for r in self.readings:
            if lemma is not None and r.lemma != lemma:
                continue
            if pos is not None and r.pos != pos:
                continue
            if grammemes and not all(g in r.grammemes for g in grammemes):
                continue
            return True
        return False


@functools.cache
def _analyzer():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.cache
def _tokenizer():
    import spacy

    return spacy.blank("ru").tokenizer


@functools.lru_cache(maxsize=200_000)
def readings(form: str) -> tuple[Reading, ...]:
    """All readings of a lower-cased word form (cached: forms repeat a lot in legal text)."""
    if not _WORD.fullmatch(form):
        if form.isdigit():
            return (Reading(form, "NUMB", frozenset({"NUMB"}), 1.0),)
        return (Reading(form, "PNCT" if not any(ch.isalnum() for ch in form) else "UNKN", frozenset(), 1.0),)
    out = []
    seen = set()
    for parse in _analyzer().parse(form.replace("ё", "е")):
        tag = parse.tag
        key = (parse.normal_form.replace("ё", "е"), str(tag))
        if key in seen:
            continue
        seen.add(key)
        grammemes = frozenset(tag.grammemes)
        out.append(Reading(parse.normal_form.replace("ё", "е"), str(tag.POS or ""), grammemes, parse.score))
    return tuple(out)


@functools.lru_cache(maxsize=200_000)
def _form(form: str) -> tuple[str, tuple[Reading, ...], frozenset[str], frozenset[str]]:
    """A lower-cased word form (one shared string), its readings, their lemmas and the index keys.
    Every token of the form shares these objects: a check keeps all the tokens of a document, and
    a set and a string per token were the bulk of their memory (and of the time allocating it)."""
    rs = readings(form)
    lemmas = frozenset(r.lemma for r in rs)
    return form, rs, lemmas, lemmas | {form}


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    clause = 0
    for t in _tokenizer()(text):
        if t.is_space:
            if "\n" in t.text:
                clause += 1
            continue
        text = t.text
        lower, rs, lemmas, keys = _form(text.lower())
        if text == lower:
            text = lower  # most words are written in lower case: keep one string for both
        tokens.append(Token(text, lower, t.idx, t.idx + len(text), len(tokens), rs, clause, lemmas, keys))
        if lower in _SENTENCE_END:
            clause += 1
    return tokens


def inflect(word: str, grammemes: set[str]) -> str:
    """Inflect a word into the given grammemes (keeps the word if pymorphy3 cannot)."""
    parses = _analyzer().parse(word.lower())
    for parse in parses:
        form = parse.inflect(grammemes)
        if form is not None:
            return _same_case(word, form.word)
    return word


def _same_case(original: str, new: str) -> str:
    if original[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def warm_up() -> None:
    """Load the dictionary and the tokenizer now (once per process)."""
    _analyzer()
    _tokenizer()
