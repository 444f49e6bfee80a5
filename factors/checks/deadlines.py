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


_SINCE = regex.compile(r"^,?\s*(?:со\s+дня|с\s+даты|с\s+момента|после\s+дня|после|до\s+дня|до\s+даты|"
                       r"следующ\w+\s+за\s+дн[её]м)\s+"
                       r"(?:(?:его|ее|её|их)\s+)?(?P<words>[а-яё]+(?:\s+[а-яё]+){0,4})", regex.IGNORECASE)
_CONNECTIVE_AT_END = regex.compile(r"(?:со\s+дня|с\s+даты|с\s+момента|после\s+дня|до\s+дня|до\s+даты)\s*$", regex.IGNORECASE)
_DETERMINERS = frozenset({"такой", "указанный", "соответствующий", "этот", "данный", "настоящий"})


def _since_span(unit: Unit, term: Term) -> tuple[str | None, int]:
    """The event a term runs from («со дня [поступления заявления]») and where that phrase ends."""
    rest = unit.text[term.end: term.end + 160]  # the event is named in the next few words
    tail = _CONNECTIVE_AT_END.search(term.text)  # the term sometimes swallows «со дня» itself
    prefix = tail.group(0) if tail else ""
    m = _SINCE.match(prefix + rest)
    if not m:
        return None, term.end
    from expertise.language.morphology import readings

    lemmas: list[str] = []
    end = m.start("words")
    for word in regex.finditer(r"[а-яё]+", m["words"], regex.IGNORECASE):
        parses = readings(word.group().lower())
        if parses and parses[0].pos in ("PREP", "NPRO", "CONJ", "PRCL"):
            if lemmas:
                continue  # «со дня поступления [к нему] рекомендаций»
            break
        lemma = next((r.lemma for r in parses if r.pos == "NOUN"), None)
        adj = next((r.lemma for r in parses if r.pos in ("ADJF", "PRTF")), None)
        if lemma is None and adj in _DETERMINERS:
            end = m.start("words") + word.end()
            continue
        if lemma is None and lemmas:
            break  # the event is named by nouns: «поступления заявления», not «… принимает»
        lemmas.append(lemma or word.group().lower())
        end = m.start("words") + word.end()
        if len(lemmas) == 2:
            break
    return " ".join(lemmas), term.end + end - len(prefix)


def _since(ctx, unit: Unit, term: Term) -> str | None:
    return _since_span(unit, term)[0]


_DECISION_VERBS = frozenset({"принимать", "принять", "приниматься"})


def _decision_object(tokens, around: int) -> tuple[bool, str | None]:
    """«принимает решение о постановке …», «Решение о постановке … принимается»: is the verb at
    ``around`` taking a decision, and what is it about (the noun after «о»)?"""
    for i in range(max(0, around - 14), min(len(tokens), around + 3)):
        if "решение" in tokens[i].lemmas:
            for j in range(i + 1, min(len(tokens), i + 3)):
                if tokens[j].text.lower() in ("о", "об"):
                    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
                    noun = nxt and next((r.lemma for r in nxt.readings if r.pos == "NOUN"), None)
                    return True, noun
            return True, None
    return False, None


_VALIDITY_WORDS = frozenset({"действие", "действительный", "недействительный", "действовать"})


def _validity(unit: Unit, tokens, at) -> str | None:
    """A term of validity: «Срок действия [свидетельства] составляет 7 месяцев», «[Свидетельство],
    по которому в течение девяти месяцев … не произведена оплата, считается недействительным». The
    document is the noun after «срок действия», or the sentence's first noun."""
    clause = [t for t in tokens if t.clause == at.clause]
    for i, tok in enumerate(clause):
        if "срок" in tok.lemmas and i + 2 < len(clause) and "действие" in clause[i + 1].lemmas:
            noun = next((r.lemma for r in clause[i + 2].readings if r.pos == "NOUN"), None)
            if noun:
                return noun
    if any(t.lemmas & _VALIDITY_WORDS for t in clause):
        first = next((t for t in clause if t.start >= unit.marker_end and t.is_word), None)
        if first is not None:
            return next((r.lemma for r in first.readings if r.pos == "NOUN" and "nomn" in r.grammemes), None)
    return None


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
            since, since_end = _since_span(unit, term)
            window = tokens[max(0, at.i - 15): at.i + 15]  # the action governing a term stands near it
            # neither the term's words nor the event it runs from («со дня размещения объявления»)
            same = [t for t in window if t.clause == at.clause and not (term.start <= t.start < since_end)]
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
                validity = _validity(unit, tokens, at)
                if validity is not None:
                    out.append(TimedAction(unit, term, "срок действия", validity, since))
                continue
            tok, key = best
            obj = None
            if tok.lemmas & _DECISION_VERBS:
                decides, about = _decision_object(tokens, tok.i)
                if decides:
                    key, obj = "принятие решения", about
            if key != "принятие решения":
                # the object is what the verb acts on, not the event the term runs from
                # («со дня регистрации [заявления] направляет заявителю уведомление»)
                near = sorted((t for t in tokens if t.clause == tok.clause and 0 < abs(t.i - tok.i) <= 4
                               and not (term.start <= t.start < since_end)),
                              key=lambda t: (abs(t.i - tok.i), t.i < tok.i))
                for nxt in near:
                    hit = nxt.lemmas & _objects()
                    if hit:
                        obj = sorted(hit)[0]
                        break
            out.append(TimedAction(unit, term, key, obj, since))
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
                if a.unit is b.unit or a.term.unit != b.term.unit or _is_nested(a.unit, b.unit):
                    continue
                if not _differ(a.term, b.term):
                    continue
                named_decision = action == "принятие решения" and obj is not None
                if a.unit.enclosing(Kind.ARTICLE) is not b.unit.enclosing(Kind.ARTICLE) and not named_decision:
                    continue  # statutes regulate a separate procedure in each статья
                if (id(a.unit), id(b.unit)) in reported:
                    continue
                reported.add((id(a.unit), id(b.unit)))
                x, y = (b, a) if _MINIMUM.search(a.term.text) and not _MINIMUM.search(b.term.text) else (a, b)
                # the finding sits on the term that breaks a stated minimum, else on the first
                yield Hit(x.unit, x.term.start, x.term.end, related=[y.unit], details={
                    "action": action, "object": obj, "term_a": x.term.text, "term_b": y.term.text,
                    "unit_b": y.unit.label,
                })


_MINIMUM = regex.compile(r"^\W*не\s+менее|^\W*не\s+ранее", regex.IGNORECASE)


def _differ(a: Term, b: Term) -> bool:
    """Two terms for the same step say different things: different lengths («3» and «5 рабочих
    дней»; «20 рабочих» and «30 календарных дней»), or a term shorter than a stated minimum."""
    if a.working is not None and b.working is not None and a.working != b.working:
        working, calendar = (a, b) if a.working else (b, a)
        if abs(working.value * 7 / 5 - calendar.value) <= 1:
            return False  # 5 рабочих дней ≈ 7 календарных: the same length said two ways
    elif a.value == b.value:
        return False
    a_min, b_min = bool(_MINIMUM.search(a.text)), bool(_MINIMUM.search(b.text))
    if a_min != b_min:  # «не менее 30 дней» is broken only by a shorter term
        minimum, other = (a, b) if a_min else (b, a)
        return other.value < minimum.value
    return True


def _is_nested(a: Unit, b: Unit) -> bool:
    return a in b.ancestors or b in a.ancestors


_TOTAL = regex.compile(
    r"(?:общий\s+)?срок\s+(?:предоставления|исполнения|оказания|осуществления|рассмотрения)\s+"
    r"(?:государственной\s+|муниципальной\s+)?(?:услуги|функции|субсидии|заявлени[яй]|заявк[иок])",
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
        if term.ordinal:
            return []  # stages given as milestones from one event («не позднее 24-го дня») do not add up
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


def _total_inside_section(ctx) -> tuple[Unit | None, Total | None]:
    for unit in ctx.doc.units:
        if not unit.is_normative or "срок" not in unit.text:
            continue
        m = _TOTAL.search(unit.text)
        if not m:
            continue
        days = [t for t in ctx.terms(unit) if t.days is not None and t.unit == "day" and t.start >= m.start()]
        section = unit.enclosing(Kind.SECTION) or unit.enclosing(Kind.CHAPTER)
        if days and section is not None:
            return section, Total(unit, days[0], to_decision=False)
    return None, None


_NOT_A_STAGE = frozenset({"исправление ошибок", "возврат"})
_MFC_STEP = regex.compile(r"\s*(?:МФЦ|многофункциональн\w+\s+центр\w*)\b", regex.IGNORECASE)


@register_check("total-term-vs-stages")
def total_term_vs_stages(ctx, rule):
    """A stated total term shorter than the sum of the stage terms of the procedures section."""
    section = _procedures_section(ctx.doc)
    before_total = False
    if section is not None:
        total = _stated_total(ctx, section)
    else:
        # a порядок or положение without a procedures section: a total stated inside a раздел
        # («Общий срок рассмотрения заявки … не должен превышать 30 рабочих дней») against the steps
        # of that раздел that come before it
        section, total = _total_inside_section(ctx)
        before_total = True
    if total is None:
        return
    staged = _stage_terms(ctx, section, total)
    if len(staged) >= 2:
        stages = [(unit, term, stage.text.split(".", 2)[-1].strip(" .") or unit.label) for stage, unit, term in staged]
    else:
        by_action: dict[tuple[int, str], TimedAction] = {}
        for ta in timed_actions(ctx):
            if ta.unit is total.unit or section not in ta.unit.ancestors or ta.term.unit != "day" or ta.term.ordinal:
                continue  # a milestone («не позднее 27-го дня со дня …») is not a length to add up
            if before_total and ta.unit.index > total.unit.index:
                continue
            if ta.action in _NOT_A_STAGE or _MFC_STEP.match(ta.unit.text[ta.unit.marker_end:]):
                continue  # corrections and returns follow the result; the МФЦ's transfer runs beside it
            if _same_kind(ta.term, total.term):
                # one term per action in each procedure: the first stated (a procedure restating its
                # own term is not a second stage; the same action in the next procedure is)
                by_action.setdefault((id(_stage_of(ta.unit, section)), ta.action), ta)
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


_BEFORE_EVENT = regex.compile(r"^\s*до\s+(?:дня|даты)\b", regex.IGNORECASE)
_NOTICE_ACTIONS = frozenset({"размещение", "опубликование", "объявление", "извещение", "информирование", "уведомление"})
_FROM_NOTICE = ("опубликование", "размещение", "объявление", "извещение")


@register_check("intake-outlasts-notice")
def intake_outlasts_notice(ctx, rule):
    """The notice of an event is published at least M days before it, yet documents (bids) are
    accepted for N > M days from that publication: the event may come before the intake ends."""
    actions = timed_actions(ctx)
    leads = [ta for ta in actions if ta.action in _NOTICE_ACTIONS and ta.since
             and _BEFORE_EVENT.match(ta.unit.text[ta.term.end:])]
    intakes = [ta for ta in actions if ta.action == "прием документов" and ta.since
               and ta.since.startswith(_FROM_NOTICE)]
    for intake in intakes:
        for lead in leads:
            if lead.unit is intake.unit or lead.term.unit != intake.term.unit or not _same_kind(lead.term, intake.term):
                continue
            if intake.term.value > lead.term.value:
                yield Hit(intake.unit, intake.term.core_start, intake.term.end, related=[lead.unit], details={
                    "intake": intake.term.text, "notice": lead.term.text, "event": lead.since,
                })
                break
