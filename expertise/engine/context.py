"""Per-document analysis state shared by rules: tokens, deadlines and references, computed once."""

from __future__ import annotations

import datetime as dt
import functools

import regex

from expertise.documents.model import Document, Kind, Unit
from expertise.documents.requisites import Requisites, extract_requisites
from expertise.language.morphology import Token, tokenize
from expertise.language.terms import Term, find_terms

_REFERENCE = regex.compile(
    r"(?:подпункт(?:ом|а|е|ами|ах)?\s+(?P<sub>[«\"]?[а-я\d]{1,3}[»\"]?)\s+)?"
    r"(?P<kind>пункт(?:ом|а|е|ами|ах|ов|ы)?|стать(?:ей|и|е|ями|ях)|част(?:ью|и|ями|ях))\s+"
    r"(?P<nums>\d{1,3}(?:\.\d{1,3})*(?:\s*(?:,|и|-|–)\s*\d{1,3}(?:\.\d{1,3})*)*)"
    r"(?!\s*(?:Федерального|федерального|Закона|закона|Кодекса|кодекса|постановления|Постановления|приказа|Приказа|решения|Решения|Правил|Порядка|Положения))",
    regex.IGNORECASE,
)


_FEDERAL_STATUTE = regex.compile(
    r"^\s*(?:(?:[\p{L}\-]+\s+){0,2}кодекс\s+российской\s+федерации|федеральный\s+(?:конституционный\s+)?закон)\s*$",
    regex.IGNORECASE,
)


class DocContext:
    def __init__(self, doc: Document, today: dt.date | None = None):
        self.doc = doc
        self.today = today
        self._tokens: dict[int, list[Token]] = {}
        self._terms: dict[int, list[Term]] = {}
        self._by_number: dict[tuple[int, str, str], Unit] | None = None
        self._memo: dict[str, object] = {}

    def memo(self, key, compute):
        """A document-level analysis computed once and shared by the checks that need it."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @functools.cached_property
    def requisites(self) -> Requisites:
        return extract_requisites(self.doc)

    @functools.cached_property
    def is_federal_statute(self) -> bool:
        """A federal law or code: its heading says so («Трудовой кодекс Российской Федерации»)."""
        return any(_FEDERAL_STATUTE.match(unit.text or "") for unit in self.doc.root.children[:6])

    @property
    def act_date(self) -> dt.date:
        """The date the draft speaks at: its own date, or today for an undated draft."""
        return self.requisites.date or self.today or dt.date.today()

    def tokens(self, unit: Unit) -> list[Token]:
        key = id(unit)
        got = self._tokens.get(key)
        if got is None:
            got = self._tokens[key] = tokenize(unit.text)
        return got

    def terms(self, unit: Unit) -> list[Term]:
        key = id(unit)
        got = self._terms.get(key)
        if got is None:
            got = self._terms[key] = find_terms(unit.text)
        return got

    def _index(self) -> dict[tuple[int, str, str], Unit]:
        if self._by_number is None:
            index: dict[tuple[int, str, str], Unit] = {}
            for unit in self.doc.root.walk():
                if unit.number and unit.kind in (Kind.POINT, Kind.ARTICLE, Kind.PART):
                    scope = id(unit.enclosing(Kind.APPENDIX))
                    kind = Kind.POINT if unit.kind == Kind.POINT else unit.kind
                    index.setdefault((scope, kind, unit.number), unit)
            self._by_number = index
        return self._by_number

    def references(self, unit: Unit) -> list[Unit]:
        """Units of the same act that this unit refers to («пунктом 2.4», «статьей 5», «частью 2»)."""
        if "настоящ" not in unit.text.lower() and not regex.search(r"(?:пункт|стать|част)\w*\s+\d", unit.text):
            return []
        index = self._index()
        scope = id(unit.enclosing(Kind.APPENDIX))
        out = []
        for m in _REFERENCE.finditer(unit.text):
            word = m["kind"].lower()
            kind = Kind.POINT if word.startswith("пункт") else Kind.ARTICLE if word.startswith("стат") else Kind.PART
            for num in regex.findall(r"\d{1,3}(?:\.\d{1,3})*", m["nums"]):
                target = index.get((scope, kind, num)) or index.get((id(None), kind, num))
                if target is not None and target is not unit:
                    out.append(target)
        return out

    def scope_text(self, unit: Unit) -> str:
        """The unit with its descendants, its parent's own text and the units it refers to."""
        parts = [unit.full_text()]
        if unit.parent is not None and unit.parent.text:
            parts.append(unit.parent.text)
        for ref in self.references(unit):
            parts.append(ref.full_text())
        return "\n".join(parts)

    def scope_has_term(self, unit: Unit, include_self: bool = True) -> bool:
        """Is a deadline set for this unit: in it, its sub-units, its parent's text, the units it
        refers to — or, for a step of a procedure («3.2.2.» under «3.2.»), anywhere in that procedure?
        ``include_self=False``: anywhere in that scope but the unit's own text."""
        if any(self.terms(u) for u in unit.walk() if include_self or u is not unit):
            return True
        parent = unit.parent
        if parent is not None and parent.text and self.terms(parent):
            return True
        if parent is not None and parent.kind in (Kind.POINT, Kind.SUBPOINT, Kind.PART) and any(
                self.terms(u) for u in parent.walk() if include_self or u is not unit):
            return True
        return any(find_terms(ref.full_text()) for ref in self.references(unit))
