"""3и/4а: references to abolished bodies, repealed acts and forms (factors/knowledge/outdated.yaml),
compared with the draft's date."""

from __future__ import annotations

import datetime as dt
import functools

import regex

from expertise.engine.checks import Hit, register_check
from expertise.engine.knowledge import knowledge


@functools.cache
def _entries():
    out = []
    for e in knowledge("outdated")["entries"]:
        since = e["since"] if isinstance(e["since"], dt.date) else dt.date.fromisoformat(str(e["since"]))
        out.append((regex.compile(e["pattern"]), since, e))
    return out


@register_check("outdated-reference")
def outdated_reference(ctx, rule):
    date = ctx.act_date
    whole = "\n".join(u.text for u in ctx.doc.units)
    lower = whole.lower()
    present = [(p, since, e) for p, since, e in _entries() if date >= since
               and any(k in lower for k in e.get("keywords") or ()) and p.search(whole)]
    if not present:
        return
    for unit in ctx.doc.units:
        if not unit.is_normative:
            continue
        for pattern, since, entry in present:
            for m in pattern.finditer(unit.text):
                yield Hit(unit, m.start(), m.end(), details={
                    "what": entry["what"], "replacement": entry["replacement"], "basis": entry["basis"],
                    "since": since.strftime("%d.%m.%Y"),
                })
