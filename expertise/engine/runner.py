"""Running the catalogue over a document: units → tokens → matches → findings."""

from __future__ import annotations

import functools
import operator
from collections import defaultdict

import jinja2
import regex

from expertise.documents.model import Document, Unit
from expertise.engine.catalogue import Catalogue, Rule
from expertise.engine.checks import CHECKS, Hit
from expertise.engine.collector import collector_paused
from expertise.engine.conditions import CONDITIONS, MatchContext
from expertise.engine.context import DocContext
from expertise.engine.findings import Finding
from expertise.engine.fixes import obligatory
from expertise.engine.patterns import Match
from expertise.language.morphology import inflect

SEVERITY_ORDER = {"hint": 0, "finding": 1}
_KEYS = operator.attrgetter("keys")

_env = jinja2.Environment(autoescape=False, undefined=jinja2.ChainableUndefined, keep_trailing_newline=False)
_env.filters["inflect"] = lambda word, grammemes: inflect(str(word), set(str(grammemes).split(",")))
_env.filters["obligatory"] = lambda word, number=None: obligatory(str(word), number)


@functools.lru_cache(maxsize=1024)
def _template(source: str) -> jinja2.Template:
    return _env.from_string(source)


class Engine:
    """Runs a set of rules. Pattern rules are indexed by their anchor's lemmas or words, so a unit is
    only tried against the patterns whose words it contains, and only around those words."""

    def __init__(self, catalogue: Catalogue, rules: list[Rule] | None = None):
        self.catalogue = catalogue
        self.rules = rules if rules is not None else catalogue.select()
        self.by_key: dict[str, list[tuple[int, int]]] = defaultdict(list)  # → (rule, pattern) indexes
        self.unindexed: list[tuple[int, int]] = []
        self.anchor_keys: dict[tuple[int, int], frozenset[str]] = {}  # (rule, pattern) → its anchor's words
        # (rule, pattern) → word sets a unit must meet, each in at least one word, to hold a match
        self.needs: dict[tuple[int, int], tuple[frozenset[str], ...]] = {}
        self.checks: list[Rule] = []
        self.index_keys: frozenset[str] = frozenset()
        for n, rule in enumerate(self.rules):
            if rule.check:
                self.checks.append(rule)
                continue
            for k, pattern in enumerate(rule.patterns):
                self.needs[(n, k)] = pattern.required + pattern.required_lemmas
                keys = pattern.specs[pattern.anchor_index].literal_keys
                if keys is None:
                    self.unindexed.append((n, k))
                else:
                    self.anchor_keys[(n, k)] = keys
                    for key in keys:
                        self.by_key[key].append((n, k))
        self.index_keys = frozenset(self.by_key)

    def check(self, doc: Document, min_severity: str = "hint") -> list[Finding]:
        with collector_paused():  # the document's tokens live until the end: see collector.py
            return self._check(doc, min_severity)

    def _check(self, doc: Document, min_severity: str) -> list[Finding]:
        ctx = DocContext(doc)
        findings: list[Finding] = []
        # headers, footers and footnotes are checked too (their findings are reported, not commented)
        extra = [u for units in doc.other_parts.values() for u in units]
        for unit in doc.units + extra:
            if unit.is_normative:
                findings.extend(self._patterns(ctx, unit))
        for rule in self.checks:
            for hit in CHECKS[rule.check](ctx, rule):
                findings.append(self._finding(rule, hit.unit, hit.start, hit.end, hit.related, hit.details))
        if ctx.is_federal_statute:
            # discretion a federal statute grants is its own delegation: shown as «проверить», not as a factor
            for f in findings:
                softer = self.catalogue.by_id[f.rule].params.get("in_federal_statute") if f.rule in self.catalogue.by_id else None
                if softer:
                    f.severity = softer
            # «skip»: what a statute regulates by its own design is not even worth a hint
            findings = [f for f in findings if f.severity != "skip"]
        floor = SEVERITY_ORDER[min_severity]
        findings = [f for f in findings if SEVERITY_ORDER[f.severity] >= floor]
        return _fold_satellites(_deduplicate(findings))

    def _patterns(self, ctx: DocContext, unit: Unit) -> list[Finding]:
        tokens = ctx.tokens(unit)
        if not tokens:
            return []
        # every lemma and lower-cased word of the unit, once: set operations in C then tell which
        # patterns can occur in it at all (most units hold the words of none or a few)
        unit_keys: set[str] = set().union(*map(_KEYS, tokens))
        refs = set(self.unindexed)
        for key in unit_keys & self.index_keys:
            refs.update(self.by_key[key])
        candidates = []
        for ref in sorted(refs):  # catalogue order: the order findings have always come in
            # a word the pattern cannot do without is absent from the unit: skip it
            if not any(map(unit_keys.isdisjoint, self.needs[ref])):
                candidates.append(ref)
        if not candidates:
            return []
        wanted = frozenset().union(*(self.anchor_keys[ref] for ref in candidates if ref in self.anchor_keys))
        positions = _positions(tokens, wanted)
        out = []
        for ref in candidates:
            rule = self.rules[ref[0]]
            pattern = rule.patterns[ref[1]]
            keys = self.anchor_keys.get(ref)
            anchors = range(len(tokens)) if keys is None else {i for key in keys for i in positions.get(key, ())}
            lead, first = pattern.anchor_lead, pattern.specs[0]
            starts = sorted({i for p in anchors for i in range(max(0, p - lead), p + 1)
                             if first.matches(tokens[i])})
            matches = pattern.find_all(tokens, starts)
            if not matches:
                continue
            antipatterns = [anti for anti in rule.antipatterns if anti.possible_in(unit_keys)]
            for match in matches:
                if self._accepted(rule, antipatterns, ctx, unit, tokens, match):
                    start, end = match.span
                    details = {name: tok.text for name, tok in match.captures.items()}
                    out.append(self._finding(rule, unit, start, end, [], details))
        return out

    @staticmethod
    def _accepted(rule: Rule, antipatterns, ctx: DocContext, unit: Unit, tokens, match: Match) -> bool:
        """No antipattern overlaps the match and every condition holds. ``antipatterns`` are the
        rule's antipatterns that can occur in the unit at all."""
        start, end = match.span
        for anti in antipatterns:
            lo = max(0, match.first - len(anti.specs) * 4 - 8)
            hi = min(len(tokens), match.last + len(anti.specs) * 4 + 8)
            for other in anti.find_near(tokens, lo, hi):
                a_start, a_end = other.tokens[0].start, other.tokens[-1].end
                if a_start < end and start < a_end:
                    return False
        mctx = MatchContext(ctx, unit, tokens, match)
        return all(CONDITIONS[name](mctx, arg) for name, arg in rule.conditions)

    def _finding(self, rule: Rule, unit: Unit, start: int, end: int, related: list[Unit], details: dict) -> Finding:
        quote = unit.text[start:end]
        variables = {"quote": quote, "unit": unit.label, "related": [u.label for u in related], **details}
        return Finding(
            factor=rule.factor.id,
            factor_name=rule.factor.name,
            rule=rule.id,
            severity=rule.severity,
            unit=unit,
            start=start,
            end=end,
            explanation=_render(rule.explanation, variables),
            recommendation=_render(rule.recommendation, variables),
            legal_basis=rule.legal_basis,
            related=related,
            also_factors=[f for f in rule.satellites if f != rule.factor.id],
            title=rule.title,
        )


def _positions(tokens, wanted: frozenset[str]) -> dict[str, list[int]]:
    """Where each wanted word occurs in the unit: as a lemma of a token or as the token itself."""
    out: dict[str, list[int]] = defaultdict(list)
    for tok in tokens:
        if not tok.keys.isdisjoint(wanted):
            for key in wanted.intersection(tok.keys):
                out[key].append(tok.i)
    return out


def _render(source: str, variables: dict) -> str:
    if "{{" not in source and "{%" not in source:
        return source
    return " ".join(_template(source).render(**variables).split())


def _deduplicate(findings: list[Finding]) -> list[Finding]:
    """One finding per (unit, factor, overlapping span): the stronger severity, the first rule."""
    findings.sort(key=lambda f: (f.unit.index, f.start, -SEVERITY_ORDER[f.severity], f.start - f.end, f.rule))
    kept: list[Finding] = []
    seen: dict[tuple[int, str], list[Finding]] = defaultdict(list)
    for f in findings:
        same = seen[(id(f.unit), f.factor)]
        if not any(k.start < f.end and f.start < k.end for k in same):
            same.append(f)
            kept.append(f)
    return kept


# A generic factor folded into a specific one found in the same sentence: «По решению Комиссии
# субсидия предоставляется без проведения отбора» is one provision with 3з, its discretion (3а) a
# satellite, cited together as the Методика's guidance asks, not a second finding; so is «По решению
# председателя рассмотрение может быть перенесено» with 3б.
_FOLDS_INTO = {"3a": frozenset({"3z", "3v", "3b"})}


def _fold_satellites(findings: list[Finding]) -> list[Finding]:
    folded: set[int] = set()
    for f in findings:
        hosts = _FOLDS_INTO.get(f.factor)
        if not hosts:
            continue
        for host in findings:
            if host is f or host.factor not in hosts or host.unit is not f.unit or id(host) in folded:
                continue
            lo, hi = min(f.start, host.start), max(f.end, host.end)
            if regex.search(r"[.;]\s", f.unit.text[lo:hi]):
                continue  # another sentence
            if f.factor not in host.also_factors:
                host.also_factors = [*host.also_factors, f.factor]
            host.explanation = f"{host.explanation} Кроме того, {f.explanation[:1].lower()}{f.explanation[1:]}"
            folded.add(id(f))
            break
    return [f for f in findings if id(f) not in folded]
