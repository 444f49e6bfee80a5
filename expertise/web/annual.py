"""The registry and the annual report as one organisation sees them.

The registry (:mod:`expertise.registry`) is one per database and knows nothing of web organisations;
a web review remembers the registry record it made. An organisation's registry is the records its
reviews made, and its annual report is :func:`expertise.registry.report.build_report` over the period
restricted to those records (the figures recounted the way ``build_report`` counts them).
"""

from __future__ import annotations

import datetime as dt

from expertise.registry.report import METHODIKA_ORDER, SHORT, AnnualReport, DraftEntry, FactorLine, build_report
from expertise.registry.service import ReviewRow, list_reviews


def org_rows(db: str, registry_ids: set[int], *, search: str | None = None, date_from: dt.date | None = None,
             date_to: dt.date | None = None) -> list[ReviewRow]:
    if not registry_ids:
        return []
    rows = list_reviews(db=db, date_from=date_from, date_to=date_to, search=search or None)
    return [r for r in rows if r.id in registry_ids]


def org_report(db: str, registry_ids: set[int], date_from: dt.date, date_to: dt.date) -> AnnualReport:
    full = build_report(db=db, date_from=date_from, date_to=date_to)
    drafts: list[DraftEntry] = []
    for entry in full.drafts:
        mine = [r for r in entry.reviews if r.id in registry_ids]
        if mine:
            drafts.append(DraftEntry(entry.draft_id, entry.title, entry.act_kind, entry.body, mine))
    draft_ids = {d.draft_id for d in drafts}
    totals: dict[str, int] = {}
    spread: dict[str, int] = {}
    for entry in drafts:
        for factor, n in entry.factor_counts.items():
            totals[factor] = totals.get(factor, 0) + n
            spread[factor] = spread.get(factor, 0) + (1 if n else 0)
    factors = [FactorLine(factor=f.factor, short=SHORT.get(f.factor, f.factor), name=f.name, item=f.item,
                          count=totals.get(f.factor, 0), drafts=spread.get(f.factor, 0))
               for f in full.factors if f.factor in METHODIKA_ORDER or totals.get(f.factor)]
    independent = sum(1 for r in org_rows(db, registry_ids, date_from=date_from, date_to=date_to)
                      if r.kind != "ведомственная")
    windows = [w for w in full.windows if w.draft_id in draft_ids]
    return AnnualReport(date_from, date_to, None, drafts, factors, windows, independent)
