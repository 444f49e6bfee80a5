"""3и: the same body's quorum stated twice with different shares («правомочно, если присутствует не
менее половины членов» in one unit, «при участии не менее двух третей» in another)."""

from __future__ import annotations

from collections import defaultdict

import regex

from expertise.engine.checks import Hit, register_check

_QUORUM = regex.compile(
    r"(?:правомочн\w*|кворум\w*|при\s+(?:участии|присутствии)|присутству\w+)[^.;]{0,60}?"
    r"(?P<share>(?:не\s+менее|более)\s+(?:чем\s+)?(?:половин\w+|двух\s+трет\w+|тр[её]х\s+четверт\w+|одной\s+трет\w+|"
    r"\d{1,3}\s*(?:процент\w*|%)))",
    regex.IGNORECASE,
)
_BODY = regex.compile(r"\b(комисси|совет|оргкомитет|собрани|дум|жюри|коллеги|президиум)\w*", regex.IGNORECASE)
_VOTES = regex.compile(r"голос\w*|присутствующих", regex.IGNORECASE)  # a voting threshold, not a quorum
_SHARES = {"половин": "1/2", "двух трет": "2/3", "трех четверт": "3/4", "трёх четверт": "3/4", "одной трет": "1/3"}


def _share(text: str) -> str:
    t = regex.sub(r"\s+", " ", text.lower())
    bound = "более" if t.startswith("более") else "не менее"
    for stem, value in _SHARES.items():
        if stem in t:
            return f"{bound} {value}"
    digits = regex.search(r"\d{1,3}", t)
    return f"{bound} {digits.group()}%" if digits else t


@register_check("quorum-conflict")
def quorum_conflict(ctx, rule):
    by_body: dict[str, list[tuple]] = defaultdict(list)
    for unit in ctx.doc.units:
        if not unit.is_normative:
            continue
        lower = unit.text.lower()
        if not ("правомоч" in lower or "кворум" in lower or "присутств" in lower or "участи" in lower):
            continue  # cheap test before the regex: most units say nothing of a quorum
        for m in _QUORUM.finditer(unit.text):
            tail = unit.text[m.end("share"): m.end("share") + 40]
            if _VOTES.match(tail.lstrip(" ,")) or regex.match(r"\s*(?:голос|от\s+числа\s+присутств)", tail):
                continue
            sentence_start = max(unit.text.rfind(".", 0, m.start()), unit.text.rfind(";", 0, m.start())) + 1
            body = _BODY.search(unit.text, sentence_start, m.end())
            if body is None:
                continue
            by_body[body.group(1).lower()].append((unit, m, _share(m["share"])))
    for items in by_body.values():
        first = items[0]
        for later in items[1:]:
            if later[2] != first[2] and later[0] is not first[0]:
                unit, m = later[0], later[1]
                yield Hit(unit, m.start("share"), m.end("share"), related=[first[0]], details={
                    "share_a": m["share"], "share_b": first[1]["share"],
                })
                break
