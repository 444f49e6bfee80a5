"""Declarative token patterns over lemma, grammemes and text (LanguageTool-style).

A pattern is a list of token specs. A spec may say:

- ``lemma``: a lemma or a list of lemmas (any reading of the token has one of them);
- ``text``: a regular expression the lower-cased token must match whole;
- ``pos``: a part of speech or a list (OpenCorpora: NOUN, VERB, INFN, PRTS, ADJF, PRED, …);
- ``tags``: grammemes, comma-separated, that one reading must all carry («pssv», «nomn,sing»);
  ``lemma``, ``pos`` and ``tags`` must hold in the *same* reading;
- ``not``: a spec the token must not satisfy;
- ``optional: true``: the token may be absent;
- ``skip: N``: up to N other tokens of the same clause may stand before this one;
- ``mark: true``: the token belongs to the quoted span (default: the whole match);
- ``name``: a capture name usable in the recommendation template.

Matching never crosses a clause boundary («.», «;», «:», a line break).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import regex

from expertise.errors import CatalogueError
from expertise.language.morphology import Token

_SPEC_KEYS = {"lemma", "text", "pos", "tags", "not", "optional", "skip", "mark", "name"}


@dataclass(frozen=True, eq=False)
class TokenSpec:
    lemmas: frozenset[str] | None = None
    text: regex.Pattern | None = None
    pos: frozenset[str] | None = None
    tags: frozenset[str] | None = None
    negated: TokenSpec | None = None
    optional: bool = False
    skip: int = 0
    mark: bool = False
    name: str | None = None

    def matches(self, tok: Token) -> bool:
        if self.lemmas_only:
            return not self.lemmas.isdisjoint(tok.lemmas)
        if self.text is not None and not self.text.fullmatch(tok.lower):
            return False
        if self.lemmas is not None or self.pos is not None or self.tags is not None:
            if not any(self._reading_ok(r) for r in tok.readings):
                return False
        if self.negated is not None and self.negated.matches(tok):
            return False
        return True

    def matching(self, tokens: list[Token], lo: int, hi: int) -> list[int]:
        """The positions in [lo, hi) whose token matches (what ``matches`` says for each of them)."""
        if self.lemmas_only:  # the hot case, without a method call per token
            disjoint = self.lemmas.isdisjoint
            return [p for p in range(lo, hi) if not disjoint(tokens[p].lemmas)]
        return [p for p in range(lo, hi) if self.matches(tokens[p])]

    @functools.cached_property
    def lemmas_only(self) -> bool:
        """Only a lemma set is asked for: a set intersection decides (the common, hot case)."""
        return (self.lemmas is not None and self.text is None and self.pos is None and self.tags is None
                and self.negated is None)

    def _reading_ok(self, r) -> bool:
        if self.lemmas is not None and r.lemma not in self.lemmas:
            return False
        if self.pos is not None and r.pos not in self.pos:
            return False
        if self.tags is not None and not self.tags <= r.grammemes:
            return False
        return True

    @property
    def literal_keys(self) -> frozenset[str] | None:
        """Lemmas or plain words that any matching token must have (for the anchor index)."""
        if self.lemmas is not None:
            return self.lemmas
        if self.text is not None and regex.fullmatch(r"[\p{L}\-|]+", self.text.pattern):
            return frozenset(self.text.pattern.split("|"))
        return None


@dataclass
class Match:
    tokens: list[Token]  # the matched tokens, in order (skipped tokens not included)
    specs: list[TokenSpec]
    first: int  # token index of the first and last matched tokens
    last: int
    captures: dict[str, Token] = field(default_factory=dict)

    @property
    def marked(self) -> list[Token]:
        marked = [t for t, s in zip(self.tokens, self.specs) if s.mark]
        return marked or self.tokens

    @property
    def span(self) -> tuple[int, int]:
        marked = self.marked
        return marked[0].start, marked[-1].end


@dataclass(frozen=True, eq=False)
class Pattern:
    specs: tuple[TokenSpec, ...]

    def match_at(self, tokens: list[Token], i: int) -> Match | None:
        """The first match whose first spec matches tokens[i] (optional tokens taken if present)."""
        result = self._match(tokens, i, 0, [], [])
        if result is None:
            return None
        matched, specs = result
        captures = {s.name: t for t, s in zip(matched, specs) if s.name}
        return Match(matched, specs, matched[0].i, matched[-1].i, captures)

    def _match(self, tokens, i, k, matched, specs):
        if k == len(self.specs):
            return matched, specs
        spec = self.specs[k]
        got = self._take(tokens, i, k, matched, specs, spec)
        if got is None and spec.optional:
            got = self._match(tokens, i, k + 1, matched, specs)
        return got

    def _take(self, tokens, i, k, matched, specs, spec):
        reach = spec.skip if matched else 0
        if i >= len(tokens):
            return None
        clause = matched[-1].clause if matched else tokens[i].clause
        for j in range(i, min(i + reach + 1, len(tokens))):
            tok = tokens[j]
            if tok.clause != clause:
                return None
            if spec.matches(tok):
                got = self._match(tokens, j + 1, k + 1, matched + [tok], specs + [spec])
                if got is not None:
                    return got
        return None

    def find_all(self, tokens: list[Token], starts=None) -> list[Match]:
        out = []
        for i in starts if starts is not None else range(len(tokens)):
            m = self.match_at(tokens, i)
            if m is not None:
                out.append(m)
        return out

    def find_near(self, tokens: list[Token], lo: int, hi: int) -> list[Match]:
        """Matches starting in tokens[lo:hi], tried only where the anchor word occurs."""
        anchor = self.specs[self.anchor_index]
        lead, first = self.anchor_lead, self.specs[0]
        starts = set()
        for p in anchor.matching(tokens, lo, min(hi + lead, len(tokens))):
            starts.update(i for i in range(max(lo, p - lead), min(p, hi - 1) + 1) if first.matches(tokens[i]))
        return self.find_all(tokens, sorted(starts))

    @property
    def anchor(self) -> TokenSpec:
        return self.specs[0]

    @functools.cached_property
    def anchor_index(self) -> int:
        """The spec the index is built on: the most selective obligatory spec with literal words
        (content words over short function words like «в», «по»), so that a pattern opening with a
        preposition is tried only where its rare word occurs."""
        best, best_score = 0, None
        lead_ok = True
        for n, spec in enumerate(self.specs):
            keys = spec.literal_keys
            if spec.optional:
                lead_ok = lead_ok  # optional specs may sit before the anchor
            if keys is None or spec.optional:
                continue
            score = (min(len(k) for k in keys), -len(keys))
            if best_score is None or score > best_score:
                best, best_score = n, score
        return best

    @functools.cached_property
    def anchor_lead(self) -> int:
        """How many tokens at most separate the pattern's first token from its anchor token."""
        return sum(1 + spec.skip for spec in self.specs[1 : self.anchor_index + 1])

    @functools.cached_property
    def required(self) -> tuple[frozenset[str], ...]:
        """For each obligatory spec after the first, the words one of which a unit must contain."""
        return tuple(s.literal_keys for s in self.specs[1:] if not s.optional and s.literal_keys is not None)

    @functools.cached_property
    def required_lemmas(self) -> tuple[frozenset[str], ...]:
        """For each obligatory spec that asks for lemmas, those lemmas. A token matching such a spec
        has one of them among its readings' lemmas, so this test never drops a real match (unlike
        ``required``, which also trusts the words of a ``text`` regex, case as written)."""
        return tuple(s.lemmas for s in self.specs if not s.optional and s.lemmas is not None)

    def possible_in(self, words: set[str]) -> bool:
        """Can the pattern match in a unit whose tokens' lemmas are all among ``words``?"""
        return all(not lemmas.isdisjoint(words) for lemmas in self.required_lemmas)


def compile_spec(raw: Any, where: str) -> TokenSpec:
    if isinstance(raw, str):
        raw = {"lemma": raw}
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: элемент шаблона должен быть словарём или леммой, получено «{raw}».")
    unknown = set(raw) - _SPEC_KEYS
    if unknown:
        raise CatalogueError(f"{where}: неизвестные ключи шаблона: {', '.join(sorted(unknown))}.")

    def as_set(value) -> frozenset[str] | None:
        if value is None:
            return None
        if isinstance(value, str):
            return frozenset(v.strip() for v in value.split("|"))
        return frozenset(str(v) for v in value)

    text = None
    if raw.get("text") is not None:
        try:
            text = regex.compile(str(raw["text"]), regex.IGNORECASE | regex.V1)
        except regex.error as exc:
            raise CatalogueError(f"{where}: неверное регулярное выражение «{raw['text']}»: {exc}.") from None
    tags = None
    if raw.get("tags") is not None:
        tags = frozenset(t.strip() for t in str(raw["tags"]).split(",") if t.strip())
    lemmas = as_set(raw.get("lemma"))
    if lemmas is not None:
        lemmas = frozenset(lemma.replace("ё", "е") for lemma in lemmas)
    return TokenSpec(
        lemmas=lemmas,
        text=text,
        pos=as_set(raw.get("pos")),
        tags=tags,
        negated=compile_spec(raw["not"], where) if raw.get("not") is not None else None,
        optional=bool(raw.get("optional", False)),
        skip=int(raw.get("skip", 0)),
        mark=bool(raw.get("mark", False)),
        name=raw.get("name"),
    )


def compile_pattern(raw: Any, where: str) -> Pattern:
    if not isinstance(raw, list) or not raw:
        raise CatalogueError(f"{where}: шаблон должен быть непустым списком элементов.")
    specs = tuple(compile_spec(item, f"{where}[{n}]") for n, item in enumerate(raw))
    if specs[0].optional or specs[0].skip:
        raise CatalogueError(f"{where}: первый элемент шаблона не может быть необязательным или с пропуском.")
    return Pattern(specs)
