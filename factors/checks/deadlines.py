"""Deadlines across the act (3и, 3а/3ж): the same action with different terms in different units,
and a total term shorter than the sum of its stages."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

import regex

from expertise.documents.model import Kind, Unit
from expertise.engine.checks import Hit, register_check
from expertise.engine.knowledge import knowledge
from expertise.language.terms import Term


@functools.cache
def _actions() -> list[tuple[str, str]]:
    pairs = [(stem, key) for key, stems in knowledge("procedures")["actions"].items() for stem in stems]
    return sorted(pairs, key=lambda p: -len(p[0]))


@functools.cache
def _objects() -> frozenset[str]:
    return frozenset(knowledge("procedures")["objects"])


@functools.lru_cache(maxsize=50_000)
def _action_key(lemmas: frozenset[str]) -> str | None:
    for lemma in lemmas:
        for stem, key in _actions():
            if lemma.startswith(stem):
                return key
    return None


@dataclass
class TimedAction:
    unit: Unit
    term: Term
    action: str
    obj: str | None
    since: str | None = None  # the event the term runs from: «со дня [поступления] заявления»

    @property
    def key(self) -> tuple[str, str | None, str | None]:
        return self.action, self.obj, self.since


_SINCE = regex.compile(r"^\s*(?:со\s+дня|с\s+даты|с\s+момента|после\s+дня|после|до\s+дня|до\s+даты)\s+"
                       r"(?:(?:его|ее|её|их)\s+)?(?P<event>[а-яё]+)(?:\s+(?P<what>[а-яё]+))?", regex.IGNORECASE)


_CONNECTIVE_AT_END = regex.compile(r"(?:со\s+дня|с\s+даты|с\s+момента|после\s+дня|до\s+дня|до\s+даты)\s*$", regex.IGNORECASE)


def _since(ctx, unit: Unit, term: Term) -> str | None:
    rest = unit.text[term.end:]
    tail = _CONNECTIVE_AT_END.search(term.text)  # the term sometimes swallows «со дня» itself
    m = _SINCE.match((tail.group(0) if tail else "") + rest)
    if not m:
        return None
    from expertise.language.morphology import readings

    words = [w for w in (m["event"], m["what"]) if w]
    lemmas = [next((r.lemma for r in readings(w.lower()) if r.pos == "NOUN"), w.lower()) for w in words]
    return " ".join(lemmas)


def timed_actions(ctx) -> list[TimedAction]:
    """Every deadline with the action it governs: the nearest action word of the same clause."""
    return ctx.memo("timed_actions", lambda: _timed_actions(ctx))


def _timed_actions(ctx) -> list[TimedAction]:
    out = []
    for unit in ctx.doc.units:
        if not unit.is_normative:
            continue
        terms = [t for t in ctx.terms(unit) if t.days is not None and t.unit != "day-of-month"]
        if not terms:
            continue
        tokens = ctx.tokens(unit)
        for term in terms:
            at = next((t for t in tokens if t.start >= term.start), None)
            if at is None:
                continue
            window = tokens[max(0, at.i - 15): at.i + 15]  # the action governing a term stands near it
            same = [t for t in window if t.clause == at.clause and not (term.start <= t.start < term.end)]
            best = None
            for parts in (("VERB", "INFN", "PRTS", "GRND"), ("NOUN", "PRTF")):  # a verb governs first
                for tok in sorted(same, key=lambda t: abs(t.start - term.start)):
                    key = _action_key(tok.lemmas)
                    if key is not None and any(r.pos in parts and r.score > 0.2 for r in tok.readings):
                        best = (tok, key)
                        break
                if best:
                    break
            if best is None:
                continue
            tok, key = best
            obj = None
            near = sorted((t for t in tokens if t.clause == tok.clause and 0 < abs(t.i - tok.i) <= 4),
                          key=lambda t: (abs(t.i - tok.i), t.i < tok.i))
            for nxt in near:
                hit = nxt.lemmas & _objects()
                if hit:
                    obj = sorted(hit)[0]
                    break
            out.append(TimedAction(unit, term, key, obj, _since(ctx, unit, term)))
    return out


def _same_kind(a: Term, b: Term) -> bool:
    return a.working is None or b.working is None or a.working == b.working


@register_check("deadline-conflict")
def deadline_conflict(ctx, rule):
    groups: dict[tuple, list[TimedAction]] = defaultdict(list)
    for ta in timed_actions(ctx):
        if ta.obj is not None and ta.since is not None:  # same action, same object, same starting event
            groups[ta.key].append(ta)
    reported = set()
    for (action, obj, _since_event), items in groups.items():
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                if a.unit is b.unit or a.term.unit != b.term.unit or a.term.value == b.term.value:
                    continue
                if not _same_kind(a.term, b.term) or _is_nested(a.unit, b.unit):
                    continue
                if a.unit.enclosing(Kind.ARTICLE) is not b.unit.enclosing(Kind.ARTICLE):
                    continue  # statutes regulate a separate procedure in each статья
                if (id(a.unit), id(b.unit)) in reported:
                    continue
                reported.add((id(a.unit), id(b.unit)))
                yield Hit(a.unit, a.term.start, a.term.end, related=[b.unit], details={
                    "action": action, "object": obj, "term_a": a.term.text, "term_b": b.term.text,
                    "unit_b": b.unit.label,
                })


def _is_nested(a: Unit, b: Unit) -> bool:
    return a in b.ancestors or b in a.ancestors


_TOTAL = regex.compile(
    r"(?:общий\s+)?срок\s+(?:предоставления|исполнения|оказания|осуществления|рассмотрения)\s+"
    r"(?:государственной\s+|муниципальной\s+)?(?:услуги|функции|субсидии|заявлени[яй])",
    regex.IGNORECASE,
)
# «Решение о … принимается … не позднее 30 рабочих дней со дня представления документов»: the term to
# the decision, counted from the application; the stages up to the decision must fit into it.
_DECISION = regex.compile(r"\bрешени[ея]\b.{0,250}?\bприним(?:ается|аются|ает|ают)\b", regex.IGNORECASE | regex.DOTALL)
_FROM_APPLICATION = ("поступление", "представление", "регистрация", "подача", "получение")
# «Срок выполнения административной процедуры (действия) — 7 рабочих дней»: the stage's own term.
_STAGE_TERM = regex.compile(
    r"(?:максимальный\s+)?срок\s+(?:выполнения|исполнения|осуществления)\s+"
    r"(?:административной\s+процедуры|административного\s+действия|действия|процедуры)",
    regex.IGNORECASE,
)
_DECISION_STAGE = regex.compile(r"\bпринятие\b|\bподписание\b", regex.IGNORECASE)
_DELIVERY_STAGE = regex.compile(r"^\W*[\d.]*\s*(?:выдача|направление|вручение|уведомление)", regex.IGNORECASE)


@dataclass
class Total:
    unit: Unit
    term: Term
    to_decision: bool  # the term runs to the decision, not to the delivery of the result


def _stated_total(ctx, section: Unit) -> Total | None:
    decision = None
    for unit in ctx.doc.units:
        if not unit.is_normative or section in unit.ancestors or unit is section:
            continue
        days = [t for t in ctx.terms(unit) if t.days is not None and t.unit == "day"]
        if not days:
            continue
        m = _TOTAL.search(unit.text)
        if m:
            after = [t for t in days if t.start >= m.start()]
            if after:
                return Total(unit, after[0], to_decision=False)
        m = _DECISION.search(unit.text)
        if decision is None and m:
            for term in days:
                since = _since(ctx, unit, term) or ""
                if term.start >= m.start() and since.startswith(_FROM_APPLICATION):
                    decision = Total(unit, term, to_decision=True)
                    break
    return decision


def _stage_of(unit: Unit, section: Unit) -> Unit:
    """The procedure a unit belongs to: its ancestor standing directly under the section."""
    node = unit
    while node.parent is not None and node.parent is not section:
        node = node.parent
    return node if node.parent is section else unit


def _stage_terms(ctx, section: Unit, total: Total) -> list[tuple[Unit, Unit, Term]]:
    """(stage, unit, term) for each «Срок выполнения административной процедуры — …» of the section."""
    out: list[tuple[Unit, Unit, Term]] = []
    seen: set[int] = set()
    for unit in section.walk():
        m = _STAGE_TERM.search(unit.text) if unit.is_normative else None
        if not m:
            continue
        term = next((t for t in ctx.terms(unit) if t.start >= m.start() and t.days is not None), None)
        if term is None or term.unit != "day" or not _same_kind(term, total.term):
            continue
        stage = _stage_of(unit, section)
        if id(stage) in seen:
            continue
        seen.add(id(stage))
        out.append((stage, unit, term))
    if total.to_decision:
        decided = next((i for i, (stage, _, _) in enumerate(out) if _DECISION_STAGE.search(stage.text)), None)
        if decided is not None:
            out = out[: decided + 1]
        else:
            out = [item for item in out if not _DELIVERY_STAGE.search(item[0].text)]
    return out


@register_check("total-term-vs-stages")
def total_term_vs_stages(ctx, rule):
    """A stated total term shorter than the sum of the stage terms of the procedures section."""
    section = _procedures_section(ctx.doc)
    if section is None:
        return
    total = _stated_total(ctx, section)
    if total is None:
        return
    staged = _stage_terms(ctx, section, total)
    if len(staged) >= 2:
        stages = [(unit, term, stage.text.split(".", 2)[-1].strip(" .") or unit.label) for stage, unit, term in staged]
    else:
        by_action: dict[str, TimedAction] = {}
        for ta in timed_actions(ctx):
            if ta.unit is total.unit or section not in ta.unit.ancestors or ta.term.unit != "day":
                continue
            if _same_kind(ta.term, total.term):
                by_action.setdefault(ta.action, ta)  # one term per action: the first stated
        stages = [(ta.unit, ta.term, ta.action) for ta in by_action.values()]
    if len(stages) < 2:
        return
    total_days = sum(term.value for _, term, _ in stages)
    if total_days > total.term.value:
        ordered = sorted(stages, key=lambda s: s[0].index)
        yield Hit(total.unit, total.term.core_start, total.term.end, related=[unit for unit, _, _ in ordered], details={
            "total": total.term.text, "sum": total_days,
            "stages": "; ".join(f"{name} — {term.text} ({unit.label})" for unit, term, name in ordered),
        })


def _procedures_section(doc) -> Unit | None:
    """The раздел/глава of administrative procedures («Состав, последовательность и сроки …»)."""
    for unit in doc.root.walk():
        if unit.kind in (Kind.SECTION, Kind.CHAPTER, Kind.POINT) and unit.text:
            heading = unit.full_text()[:300] if unit.kind == Kind.POINT else " ".join(
                [unit.text] + [c.text for c in unit.children if c.kind == Kind.TITLE])
            if regex.search(r"административных\s+процедур|последовательность\s+(?:и\s+сроки|действий|выполнения)",
                            heading, regex.IGNORECASE):
                if unit.kind != Kind.POINT or len(unit.text) < 250:
                    return unit
    return None
