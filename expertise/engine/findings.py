"""A finding: which words of which unit carry which factor, why, and how to remove it."""

from __future__ import annotations

from dataclasses import dataclass, field

from expertise.documents.model import Unit


@dataclass
class Finding:
    factor: str
    factor_name: str
    rule: str
    severity: str  # "finding" | "hint"
    unit: Unit
    start: int  # offsets of the quote in unit.text
    end: int
    explanation: str
    recommendation: str
    legal_basis: str
    related: list[Unit] = field(default_factory=list)  # other units involved (collisions, references)
    also_factors: list[str] = field(default_factory=list)  # satellites cited together
    title: str = ""

    @property
    def quote(self) -> str:
        return self.unit.text[self.start : self.end]

    @property
    def units_label(self) -> str:
        labels = [self.unit.label] + [u.label for u in self.related if u is not self.unit]
        return " и ".join(dict.fromkeys(labels))

    def to_dict(self) -> dict:
        loc = self.unit.location
        return {
            "factor": self.factor,
            "factor_name": self.factor_name,
            "rule": self.rule,
            "severity": self.severity,
            "unit": self.unit.label,
            "unit_path": self.unit.path,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "explanation": self.explanation,
            "recommendation": self.recommendation,
            "legal_basis": self.legal_basis,
            "title": self.title,
            "related_units": [u.label for u in self.related],
            "also_factors": self.also_factors,
            "location": None if loc is None else {"part": loc.part, "index": loc.index, "offset": loc.offset},
        }
