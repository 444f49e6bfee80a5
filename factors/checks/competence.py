"""3д/3е/3г hints from factors/knowledge/competence.yaml: matters the drafting body cannot settle,
and matters a representative body must settle itself rather than hand to the administration."""

from __future__ import annotations

import functools

import regex

from expertise.documents.model import Kind
from expertise.engine.checks import Hit, register_check
from expertise.engine.knowledge import knowledge

_MUNICIPAL = regex.compile(r"муниципальн|городск|сельск|поселени|район|округ|администрац|совет\s+депутатов|дума\s+города",
                           regex.IGNORECASE)


_HEADINGS = frozenset({Kind.SECTION, Kind.CHAPTER, Kind.TITLE})


@functools.cache
def _entries():
    return [(regex.compile(e["pattern"], regex.IGNORECASE), e) for e in knowledge("competence")["entries"]]


def _body_kinds(ctx) -> set[str]:
    req = ctx.requisites
    kinds = {"any"}
    heading = " ".join(u.text for u in ctx.doc.root.children[:6])
    if req.kind == "закон":
        return kinds
    if _MUNICIPAL.search(req.body or heading):
        kinds.add("municipal")
    if not req.is_representative_body and req.kind in ("постановление", "приказ", "распоряжение"):
        kinds.add("executive")
    if req.is_representative_body and "municipal" in kinds:
        kinds.add("representative")
    return kinds


def _competence(ctx, rule, factor: str):
    kinds = _body_kinds(ctx)
    for pattern, entry in _entries():
        if entry["factor"] != factor or not kinds & set(entry["bodies"]):
            continue
        # 3д is about the act's subject, named in its title; 3е about a provision settling the
        # matter, rather than the heading that names it
        units = [u for u in ctx.doc.units if u.is_normative]
        if factor == "3d":
            units.sort(key=lambda u: u.kind != Kind.TITLE)
        else:
            units.sort(key=lambda u: u.kind in _HEADINGS)
        unless = regex.compile(entry["unless"], regex.IGNORECASE) if entry.get("unless") else None
        for unit in units:
            m = pattern.search(unit.text)
            if m and not (unless is not None and unless.search(unit.text)):
                yield Hit(unit, m.start(), m.end(), details={"reason": " ".join(entry["reason"].split()),
                                                              "topic": entry["id"]})
                break  # one hint per topic is enough to send the lawyer to check


@register_check("competence-3d")
def competence_3d(ctx, rule):
    yield from _competence(ctx, rule, "3d")


@register_check("competence-3e")
def competence_3e(ctx, rule):
    yield from _competence(ctx, rule, "3e")


@register_check("competence-3g")
def competence_3g(ctx, rule):
    yield from _competence(ctx, rule, "3g")
