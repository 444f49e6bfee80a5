"""Drafts, findings and CLI runs shared by tests/test_registry.py and tests/test_report.py."""

from __future__ import annotations

import datetime as dt

from expertise.documents.reader import read_stdin_text
from expertise.engine.findings import Finding

# The names as in factors/factors.yaml (the worker processes do not load the whole catalogue).
NAMES = {"3a": "широта дискреционных полномочий", "3b": "определение компетенции по формуле «вправе»",
         "3d": "принятие нормативного правового акта за пределами компетенции",
         "3i": "нормативные коллизии", "3zh": "отсутствие или неполнота административных процедур",
         "4a": "наличие завышенных требований к лицу, предъявляемых для реализации принадлежащего ему права",
         "4v": "юридико-лингвистическая неопределенность"}


def draft_text(title: str, *, kind: str = "ПОСТАНОВЛЕНИЕ", body: str = "АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА",
               clause: str = "Уполномоченный орган рассматривает заявление в течение 10 рабочих дней.") -> str:
    return (f"{body}\n{kind}\nПроект\n{title}\n1. Утвердить прилагаемый Порядок.\n2. {clause}\n"
            "3. Настоящее постановление вступает в силу со дня его официального опубликования.\n")


def document(text: str):
    return read_stdin_text(text.encode("utf-8"))


def findings(doc, factors: dict[str, int], hints: dict[str, int] | None = None) -> list[Finding]:
    """Findings of the given factors (severity «finding») and hints, anchored in the draft's last point."""
    unit = doc.units[-1]
    out = []
    for severity, spec in (("finding", factors), ("hint", hints or {})):
        for factor, n in spec.items():
            for k in range(n):
                out.append(Finding(factor=factor, factor_name=NAMES[factor], rule=f"{factor}.test-{k}",
                                   severity=severity, unit=unit, start=0, end=2, explanation="объяснение",
                                   recommendation="исправление", legal_basis="Методика"))
    return out


# --- the concurrency plan: 8 processes × 50 recordings over 40 distinct reviews -----------------------

PLAN_DRAFTS = 20
PLAN_DATES = (dt.date(2025, 2, 3), dt.date(2025, 5, 6))


def plan_key(worker: int, i: int) -> tuple[int, str, str]:
    """(draft index, ISO date, kind) of recording i of a worker: workers overlap on purpose."""
    k = (worker * 13 + i * 7) % (PLAN_DRAFTS * len(PLAN_DATES))
    draft, date = divmod(k, len(PLAN_DATES))
    kind = "независимая" if draft % 5 == 4 and date == 1 else "ведомственная"
    return draft, PLAN_DATES[date].isoformat(), kind


def plan_factors(draft: int) -> dict[str, int]:
    return {0: {}, 1: {"3b": 2}, 2: {"4v": 1, "3a": 1}}[draft % 3]


def plan_text(draft: int) -> str:
    return draft_text(f"Об утверждении Порядка № {draft} предоставления субсидий")
