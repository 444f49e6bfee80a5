"""The one way through the product: a draft → units → findings. The CLI, the web app and the
evaluation all call this, so there is a single engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from expertise.documents.model import Document
from expertise.documents.reader import read_document
from expertise.engine.catalogue import Catalogue, load_catalogue
from expertise.engine.findings import Finding
from expertise.engine.runner import Engine
from expertise.settings import Settings, apply_to_rules


@dataclass
class Report:
    path: str
    document: Document | None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict:
        doc = self.document
        out = {
            "path": self.path,
            "title": doc.title if doc else None,
            "units": len(doc.units) if doc else 0,
            "words": doc.word_count if doc else 0,
            "format": doc.format if doc else None,
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.error:
            out["error"] = self.error
        return out


class Checker:
    def __init__(self, catalogue: Catalogue | None = None, min_severity: str = "hint",
                 settings: Settings | None = None):
        settings = settings or Settings()
        self.catalogue = catalogue or load_catalogue(settings.rule_dirs)
        self.engine = Engine(self.catalogue, apply_to_rules(settings, self.catalogue.rules))
        self.min_severity = min_severity

    def check_document(self, document: Document) -> Report:
        return Report(document.path, document, self.engine.check(document, self.min_severity))

    def check_file(self, path: str) -> Report:
        return self.check_document(read_document(path))
