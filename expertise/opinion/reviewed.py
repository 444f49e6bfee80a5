"""Findings for the opinion from an annotated DOCX after the expert's review.

Accepted comments keep the tool's finding; edited ones take the expert's wording (the paragraph
starting «Предложение:» becomes the proposal, the rest the justification); rejected ones are left
out; the expert's own comments become findings when they name a factor («3б», «4в», «подпункт «б»
пункта 3»), otherwise they are reported as not included.
"""

from __future__ import annotations

import dataclasses

import regex

from expertise.annotation.review import Review, read_review
from expertise.documents.model import Document
from expertise.engine.catalogue import Catalogue
from expertise.engine.findings import Finding

_LETTERS = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i"}
_SHORT = regex.compile(r"(?<![\w«])([34])\s*[«\"]?([абвгдежзи])[»\"]?(?![\w])", regex.IGNORECASE)
_LONG = regex.compile(r"подпункт\w*\s+[«\"]([абвгдежзи])[»\"]\s+пункта\s+([34])", regex.IGNORECASE)


def factor_in_text(text: str) -> str | None:
    """The factor id an expert names in free text: «3б», «4 «в»», «подпункт «б» пункта 3»."""
    m = _LONG.search(text)
    if m:
        return m[2] + _LETTERS[m[1].lower()]
    m = _SHORT.search(text)
    if m and not (m[1] == "4" and m[2].lower() not in "абв"):
        return m[1] + _LETTERS[m[2].lower()]
    return None


def is_reviewed(path: str) -> Review | None:
    """The review of an annotated DOCX, or None if the file carries none of our comments."""
    if not path.lower().endswith((".docx", ".docm")):
        return None
    review = read_review(path)
    if not any(c.serial is not None for c in review.comments):
        return None
    return review


def _edited(finding: Finding, text: str) -> Finding:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith(("Коррупциогенный фактор:", "Требует проверки:",
                                                            "Связанные положения:", "Проверить также"))]
    proposal = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Предложение:")]
    rest = [line for line in lines if not line.startswith("Предложение:")]
    return dataclasses.replace(finding, explanation=" ".join(rest) or finding.explanation,
                               recommendation=proposal[0] if proposal else (" ".join(rest) or finding.recommendation))


def findings_from_review(review: Review, document: Document, findings: list[Finding],
                         catalogue: Catalogue) -> tuple[list[Finding], list[str]]:
    """The findings the expert left (accepted, edited, added), and warnings for what was not used."""
    kept: list[Finding] = []
    warnings: list[str] = []
    by_label = {u.label: u for u in document.units}
    pool = list(findings)
    for c in review.comments:
        if c.status == "rejected":
            continue
        if c.status in ("accepted", "edited"):
            match = next((f for f in pool if f.rule == c.rule and f.quote == c.quote and f.unit.label == c.unit), None) \
                or next((f for f in pool if f.rule == c.rule and f.quote == c.quote), None)
            if match is None:
                warnings.append(f"Примечание №{c.serial} ({c.rule}) не найдено в тексте проекта и не включено.")
                continue
            pool.remove(match)
            kept.append(_edited(match, c.text) if c.status == "edited" else match)
            continue
        factor_id = factor_in_text(c.text)
        unit = by_label.get(c.unit or "")
        if factor_id is None or factor_id not in catalogue.factors or unit is None:
            warnings.append(f"Примечание эксперта «{c.text[:60]}» не включено: укажите в нем фактор "
                            "(например, «3б» или «подпункт «б» пункта 3»).")
            continue
        factor = catalogue.factors[factor_id]
        start = unit.text.find(c.quote) if c.quote else -1
        start, end = (start, start + len(c.quote)) if start >= 0 else (0, len(unit.text))
        proposal = [line.split(":", 1)[1].strip() for line in c.text.splitlines() if line.strip().startswith("Предложение:")]
        explanation = " ".join(line.strip() for line in c.text.splitlines()
                               if line.strip() and not line.strip().startswith("Предложение:"))
        kept.append(Finding(
            factor=factor.id, factor_name=factor.name, rule="expert", severity="finding", unit=unit,
            start=start, end=end, explanation=explanation, recommendation=proposal[0] if proposal else explanation,
            legal_basis=factor.citation, title="Положение, отмеченное экспертом",
        ))
    kept.sort(key=lambda f: (f.unit.index, f.start))
    return kept, warnings
