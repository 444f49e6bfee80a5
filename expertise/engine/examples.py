"""Running a rule's own examples (used by the test suite and by ``expertise rules --check``)."""

from __future__ import annotations

from dataclasses import dataclass

from expertise.documents.structure import build_document
from expertise.documents.txt_reader import read_text
from expertise.engine.catalogue import Catalogue, Example, Rule
from expertise.engine.runner import Engine


@dataclass
class ExampleResult:
    rule: Rule
    example: Example
    ok: bool
    got: list[tuple[str, str]]  # (unit label, quote) of what the rule found

    def describe(self) -> str:
        want = f"ожидалась цитата «{self.example.quote}»" if self.example.fires else "ожидалось отсутствие находок"
        got = "; ".join(f"{label}: «{quote}»" for label, quote in self.got) or "ничего"
        return f"{self.rule.id}: {want}, найдено: {got}. Пример: {self.example.text[:120]}"


def run_example(catalogue: Catalogue, rule: Rule, example: Example) -> ExampleResult:
    doc = build_document(read_text(example.text, path=f"<{rule.id}>"))
    findings = [f for f in Engine(catalogue, [rule]).check(doc) if f.rule == rule.id]
    got = [(f.unit.label, f.quote) for f in findings]
    if example.fires:
        ok = len(findings) == 1 and example.text.find(findings[0].quote) >= 0 and (
            _absolute(findings[0]) == example.span
        )
    else:
        ok = not findings
    return ExampleResult(rule, example, ok, got)


def _absolute(finding) -> tuple[int, int]:
    """Offsets of a finding in the example text (examples are read as plain text)."""
    loc = finding.unit.location
    base = loc.offset if loc is not None else 0
    return base + finding.start, base + finding.end


def run_all(catalogue: Catalogue, rules: list[Rule] | None = None) -> list[ExampleResult]:
    return [run_example(catalogue, r, e) for r in (rules or catalogue.rules) for e in r.examples]
