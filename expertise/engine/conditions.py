"""Context conditions a pattern match must satisfy before it becomes a finding.

A rule lists them under ``conditions:`` by name, with an optional argument:

- ``subject: [authority, unknown]`` — the clause's subject is of one of these classes
  (see factors/knowledge/subjects.yaml);
- ``no_term`` — no deadline in the unit, its sub-units, its parent's text or the units it refers to;
- ``authority_action: action`` — the token captured under that name is a decision an authority
  takes about citizens or organisations («отказать», «продлить», …);
- ``affects_persons: action`` — the action concerns citizens or organisations: the captured verb is
  an authority's decision, or the clause names a citizen, applicant or organisation;
- ``passive_agent: [authority, unknown]`` — the agent of a passive («… работодателем», «…
  федеральным законом»), if named, is of one of these classes;
- ``not_in_kinds: [наименование]`` — the unit is not of these kinds;
- ``act_lacks_review_term: what`` — no unit of the act gives a term for reviewing the captured
  thing (an application, a complaint);
- ``not_after_timed_review`` — the decision is not taken «по результатам рассмотрения» of something
  whose review has a term somewhere in the act.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from expertise.documents.model import Unit
from expertise.engine.context import DocContext
from expertise.engine.knowledge import is_authority_action, is_private_party, subject_class
from expertise.engine.patterns import Match
from expertise.language.morphology import Token
from expertise.language.syntax import NounGroup, clause_subject


@dataclass
class MatchContext:
    doc: DocContext
    unit: Unit
    tokens: list[Token]
    match: Match


ConditionFn = Callable[[MatchContext, Any], bool]
CONDITIONS: dict[str, ConditionFn] = {}


def condition(name: str) -> Callable[[ConditionFn], ConditionFn]:
    def wrap(fn: ConditionFn) -> ConditionFn:
        CONDITIONS[name] = fn
        return fn

    return wrap


def _as_list(arg: Any) -> list[str]:
    if arg is None:
        return []
    return [arg] if isinstance(arg, str) else list(arg)


def _subject_of(doc: DocContext, tokens: list[Token], i: int) -> NounGroup | None:
    """``clause_subject``, computed once per token: several rules anchored on the same word
    («вправе») ask for the same subject."""
    return doc.memo(("subject", id(tokens), i), lambda: clause_subject(tokens, i))


@condition("subject")
def _subject(ctx: MatchContext, arg: Any) -> bool:
    group = _subject_of(ctx.doc, ctx.tokens, ctx.match.first)
    return subject_class(group) in _as_list(arg)


@condition("no_term")
def _no_term(ctx: MatchContext, arg: Any) -> bool:
    if not ctx.doc.scope_has_term(ctx.unit):
        return True
    return _terms_only_for_another_actor(ctx)


def _terms_only_for_another_actor(ctx: MatchContext) -> bool:
    """«Отдел в течение 5 рабочих дней проверяет документы. Комиссия рассматривает заявления и
    принимает решение …»: the unit's only terms sit in sentences whose named subject is someone else."""
    if ctx.doc.scope_has_term(ctx.unit, include_self=False):
        return False
    own = _subject_of(ctx.doc, ctx.tokens, ctx.match.first)
    if own is None:
        return False
    clause = ctx.tokens[ctx.match.first].clause
    for term in ctx.doc.terms(ctx.unit):
        at = next((t for t in ctx.tokens if t.start >= term.start), None)
        if at is None or at.clause == clause:
            return False
        other = _subject_of(ctx.doc, ctx.tokens, at.i)
        # «Срок рассмотрения — 10 дней.» names no actor: it covers the whole unit
        if other is None or other.head_lemma == own.head_lemma or subject_class(other) == "unknown":
            return False
    return True


_REVIEW_LEMMAS = frozenset({"рассмотрение", "рассматриваться", "рассматривать", "рассмотреть", "рассмотреться"})


_DECISION_LEMMAS = frozenset({"принятие", "приниматься", "принимать", "принять"})


def _review_timed(ctx: MatchContext, nouns: frozenset[str], verbs: frozenset[str] | None = _REVIEW_LEMMAS,
                  stem: str = "рассм", also: frozenset[str] = frozenset()) -> bool:
    """Some unit of the act gives a term for reviewing one of these things (an application, a
    complaint): «Жалоба подлежит рассмотрению в течение 20 рабочих дней»; with ``verbs`` of
    deciding, for taking a decision («решение … принимается в течение 10 дней»); with ``verbs=None``
    and no ``stem``, for any action named by the nouns themselves («снятие с учета»)."""
    def timed_somewhere() -> bool:
        for unit in ctx.doc.doc.units:
            if not unit.is_normative or stem not in unit.text or not ctx.doc.terms(unit):
                continue
            lemmas = {lemma for tok in ctx.doc.tokens(unit) for lemma in tok.lemmas}
            if lemmas & nouns and (verbs is None or lemmas & verbs) and (not also or lemmas & also):
                return True
        return False

    return bool(nouns) and ctx.doc.memo(("review-term", nouns, verbs, stem, also), timed_somewhere)


@condition("act_lacks_review_term")
def _act_lacks_review_term(ctx: MatchContext, arg: Any) -> bool:
    """``act_lacks_review_term: what`` — no unit of the act gives a term for reviewing the captured
    thing: «Жалоба рассматривается главой» in one пункт, «Жалоба подлежит рассмотрению в течение 20
    рабочих дней» in another is a complete procedure."""
    what = ctx.match.captures.get(arg or "what")
    if what is None:
        return True
    nouns = frozenset(r.lemma for r in what.readings if r.pos == "NOUN")
    if nouns == {"решение"}:
        # «решение о предоставлении … принимается»: a term for taking that decision, anywhere in
        # the act — a unit naming «решение», a form of «принять» and what it is about
        about = ctx.match.captures.get("about")
        subject = frozenset(r.lemma for r in about.readings if r.pos == "NOUN") if about is not None else frozenset()
        return not _review_timed(ctx, nouns, _DECISION_LEMMAS, "прин", also=subject)
    return not _review_timed(ctx, nouns)


@condition("act_lacks_term_for")
def _act_lacks_term_for(ctx: MatchContext, arg: Any) -> bool:
    """``act_lacks_term_for: what`` — no unit of the act that names the captured action
    («снятие с учета», «исключение из реестра») gives a term."""
    what = ctx.match.captures.get(arg or "what")
    if what is None:
        return True
    nouns = frozenset(r.lemma for r in what.readings if r.pos == "NOUN")
    return not _review_timed(ctx, nouns, verbs=None, stem="")


@condition("not_after_timed_review")
def _not_after_timed_review(ctx: MatchContext, arg: Any) -> bool:
    """A decision taken «по результатам рассмотрения заявки» has the term the act sets for that
    review, wherever it is set: then it is not a decision without a term."""
    tokens = ctx.tokens
    clause = tokens[ctx.match.first].clause
    for i, tok in enumerate(tokens):
        if tok.clause != clause or "рассмотрение" not in tok.lemmas or i < 2:
            continue
        if not ({"результат", "итог"} & tokens[i - 1].lemmas):
            continue
        nouns = frozenset(r.lemma for t in tokens[i + 1:i + 3] for r in t.readings if r.pos == "NOUN")
        if _review_timed(ctx, nouns):
            return False
    return True


_LIGHT_VERBS = frozenset({"принять", "принимать", "провести", "проводить", "осуществить", "осуществлять",
                          "оказывать", "оказать"})


def _decides_about_persons(ctx: MatchContext, tok: Token) -> bool:
    """The captured verb is an authority's decision, itself or through its object
    («принять решение об отказе», «провести проверку»)."""
    if is_authority_action(tok.lemmas):
        return True
    if not tok.lemmas & _LIGHT_VERBS:
        return False
    for nxt in ctx.tokens[tok.i + 1 : tok.i + 5]:
        if nxt.clause != tok.clause:
            break
        if any(r.pos == "NOUN" for r in nxt.readings) and is_authority_action(nxt.lemmas):
            return True
    return False


@condition("authority_action")
def _authority_action(ctx: MatchContext, arg: Any) -> bool:
    tok = ctx.match.captures.get(arg or "action")
    return tok is not None and _decides_about_persons(ctx, tok)


@condition("not_in_kinds")
def _not_in_kinds(ctx: MatchContext, arg: Any) -> bool:
    return ctx.unit.kind not in _as_list(arg)


@condition("affects_persons")
def _affects_persons(ctx: MatchContext, arg: Any) -> bool:
    tok = ctx.match.captures.get(arg or "action")
    if tok is not None and _decides_about_persons(ctx, tok):
        return True
    clause = ctx.tokens[ctx.match.first].clause
    # the subject itself is not the addressee («представитель нанимателя вправе …»)
    subject = _subject_of(ctx.doc, ctx.tokens, ctx.match.first)
    own = {t.i for t in subject.tokens} if subject is not None else set()
    if any(is_private_party(t.lemmas) for t in ctx.tokens if t.clause == clause and t.i not in own):
        return True
    # the same sentence ends in a refusal («… издает распоряжение о согласовании либо направляет
    # отказ в согласовании»): someone asked and may be refused
    return any(t.clause == clause and t.i > ctx.match.last and "отказ" in t.lemmas
               and any(r.pos == "NOUN" for r in t.readings) for t in ctx.tokens)


@condition("passive_agent")
def _passive_agent(ctx: MatchContext, arg: Any) -> bool:
    """The agent of the passive — an instrumental noun right after the participle, or anywhere in
    the clause («федеральным законом может быть установлено», «коллективным договором …») — if
    named, must be of these classes."""
    last = ctx.match.last
    clause = ctx.tokens[last].clause
    wanted = _as_list(arg)
    for tok in ctx.tokens[last + 1 : last + 4]:
        if tok.clause != clause:
            break
        if any(r.pos == "NOUN" and "ablt" in r.grammemes for r in tok.readings):
            lemma = next(r.lemma for r in tok.readings if r.pos == "NOUN" and "ablt" in r.grammemes)
            return subject_class(NounGroup((tok,), tok, lemma)) in wanted
    in_clause = [t for t in ctx.tokens if t.clause == clause]
    for tok in in_clause:
        for r in tok.readings:
            if r.pos == "NOUN" and "ablt" in r.grammemes and r.score > 0.3 and r.lemma in _NORM_SOURCES:
                return "legislator" in wanted
    # «на общем собрании», «по соглашению сторон»: a decision of the parties, not of an authority
    if any(t.lemmas & {"собрание", "соглашение", "съезд"} for t in in_clause):
        return False
    return True


_NORM_SOURCES = frozenset({"закон", "кодекс", "договор", "соглашение", "указ", "постановление"})


@condition("captured_class")
def _captured_class(ctx: MatchContext, arg: Any) -> bool:
    """``captured_class: {who: [authority]}`` — the noun group starting at the captured token
    («по решению [руководителя] учреждения») is of one of these classes."""
    (name, classes), = dict(arg).items()
    tok = ctx.match.captures.get(name)
    if tok is None:
        return False
    run = [tok]
    for nxt in ctx.tokens[tok.i + 1 : tok.i + 4]:
        if nxt.clause != tok.clause or not any(r.pos in ("NOUN", "ADJF", "PRTF") for r in nxt.readings):
            break
        run.append(nxt)
    lemma = next((r.lemma for r in tok.readings if r.pos == "NOUN"), tok.lower)
    return subject_class(NounGroup(tuple(run), tok, lemma)) in _as_list(classes)


_CRITERIA = (
    "в случае", "в случаях", "при условии", "при наличии", "на основании", "критери", "показател",
    "в соответствии с", "в размере", "не более", "не менее", "не выше", "не ниже", "процент", "исходя из",
    "по основаниям", "следующих", "предусмотренн", "установленн",
)


@condition("no_criteria")
def _no_criteria(ctx: MatchContext, arg: Any) -> bool:
    """Neither the unit nor the units it refers to state conditions, criteria or limits."""
    text = ctx.doc.scope_text(ctx.unit).lower()
    return not any(word in text for word in _CRITERIA)


# --- conditions used by the 3в, 3г, 3з, 4а and 4в rules -----------------------------------------

_PREDICATE_POS = frozenset({"VERB", "PRED", "PRTS"})


def _predicate_after(tokens: list[Token], start: int, clause: int) -> Token | None:
    """The first finite verb, predicative or short participle after ``start`` in the clause."""
    for tok in tokens[start:]:
        if tok.clause != clause:
            return None
        if tok.lemmas & {"вправе", "обязанный", "должный"}:
            return tok
        if any(r.pos in _PREDICATE_POS and r.score >= 0.2 for r in tok.readings):
            return tok
    return None


@condition("actor")
def _actor(ctx: MatchContext, arg: Any) -> bool:
    """``actor: [authority, unknown]`` — like ``subject``, but also for a marker that opens the
    clause («При необходимости [администрация] запрашивает …»): if nothing before the marker names
    the subject, the noun group before the next predicate is taken; for a list item without a
    subject, the subject of the list's lead-in («Специалист отдела: … 2) при необходимости …»);
    for a passive with an unknown subject, its instrumental agent («… увеличена работодателем»)."""
    tokens, match = ctx.tokens, ctx.match
    clause = tokens[match.last].clause
    group = _subject_of(ctx.doc, tokens, match.first)
    pred = _predicate_after(tokens, match.last + 1, clause)
    if group is None and pred is not None:
        group = _subject_between(tokens, match.last + 1, pred.i) or _subject_of(ctx.doc, tokens, pred.i)
    if group is None:
        group = _lead_in_subject(ctx)  # a list item: the subject is in the lead-in
    cls = subject_class(group)
    if cls == "unknown" and pred is not None:
        # a passive with a named agent: «… может быть увеличена [работодателем]»
        agent = _passive_agent_after(tokens, pred.i, clause)
        if agent is not None:
            cls = subject_class(agent)
    return cls in _as_list(arg)


_SEPARATORS = frozenset({",", "(", ")", "—", "–"})


def _subject_between(tokens: list[Token], start: int, end: int) -> NounGroup | None:
    """A nominative noun group between a fronted marker and the predicate («В исключительных
    случаях [иные лица] могут …»), from the last comma-separated stretch before the predicate."""
    from expertise.language.syntax import _candidates  # the same noun-group heuristics

    seg: list[Token] = []
    for tok in tokens[start:end]:
        if tok.text in _SEPARATORS:
            seg = []
        else:
            seg.append(tok)
    found = _candidates(seg) if seg else []
    return found[0] if found else None


def _passive_agent_after(tokens: list[Token], i: int, clause: int) -> NounGroup | None:
    """The instrumental agent right after a passive participle at or after tokens[i]."""
    for j in range(i, min(i + 4, len(tokens))):
        tok = tokens[j]
        if tok.clause != clause:
            return None
        if any(r.pos == "PRTS" and "pssv" in r.grammemes for r in tok.readings):
            for nxt in tokens[j + 1 : j + 4]:
                if nxt.clause != clause:
                    return None
                for r in nxt.readings:
                    if r.pos == "NOUN" and "ablt" in r.grammemes:
                        return NounGroup((nxt,), nxt, r.lemma)
            return None
    return None


def _lead_in(unit: Unit) -> Unit | None:
    """The unit introducing the list this unit belongs to: its parent, or an earlier sibling
    paragraph, whose text ends with a colon (only list items ending with «;» in between)."""
    parent = unit.parent
    if parent is None:
        return None
    if parent.is_normative and parent.text.rstrip().endswith(":"):
        return parent
    siblings = parent.children
    k = next((n for n, u in enumerate(siblings) if u is unit), None)
    if k is None:
        return None
    for prev in reversed(siblings[:k]):
        text = prev.text.rstrip()
        if text.endswith(":"):
            return prev if prev.is_normative else None
        if not text.endswith(";"):
            return None
    return None


def _lead_in_subject(ctx: MatchContext):
    """The subject of a list's lead-in («Специалист отдела: … 2) при необходимости запрашивает …»,
    «Работодатель обязан: …»)."""
    parent = _lead_in(ctx.unit)
    if parent is None:
        return None
    ptoks = ctx.doc.tokens(parent)
    if not ptoks:
        return None
    last = ptoks[-1].clause  # the colon closes the lead-in's last clause
    first = next(t.i for t in ptoks if t.clause == last)
    pred = _predicate_after(ptoks, first, last)
    return clause_subject(ptoks, pred.i if pred is not None else ptoks[-1].i)


def _context_lemmas(ctx: MatchContext) -> frozenset[str]:
    """Lemmas of the match's clause and of the parent unit's own text (the lead-in of a list:
    «К заявлению прилагаются следующие документы:»)."""
    clause = ctx.tokens[ctx.match.first].clause
    return ctx.doc.memo(("context", id(ctx.tokens), clause), lambda: _compute_context_lemmas(ctx, clause))


def _compute_context_lemmas(ctx: MatchContext, clause: int) -> frozenset[str]:
    out: set[str] = set()
    for tok in ctx.tokens:
        if tok.clause == clause:
            out |= tok.lemmas
    parent = ctx.unit.parent
    if parent is not None and parent.text and parent.is_normative:
        for tok in ctx.doc.tokens(parent):
            out |= tok.lemmas
    return frozenset(out)


@condition("context_has")
def _context_has(ctx: MatchContext, arg: Any) -> bool:
    """``context_has: [заявитель, представлять, …]`` — the match's clause or the parent unit's
    lead-in contains one of these lemmas."""
    return bool(_context_lemmas(ctx) & set(_as_list(arg)))


@condition("context_lacks")
def _context_lacks(ctx: MatchContext, arg: Any) -> bool:
    """``context_lacks: [конкурс, …]`` — neither the match's clause nor the parent's lead-in
    contains any of these lemmas."""
    return not (_context_lemmas(ctx) & set(_as_list(arg)))


@condition("scope_lacks")
def _scope_lacks(ctx: MatchContext, arg: Any) -> bool:
    """``scope_lacks: [конкурс, аукцион, торг]`` — none of these word stems occurs in the unit, its
    sub-units, its parent's text or the units it refers to."""
    text = ctx.doc.scope_text(ctx.unit).lower()
    return not any(stem.lower() in text for stem in _as_list(arg))


@condition("has_predicate")
def _has_predicate(ctx: MatchContext, arg: Any) -> bool:
    """The match's clause has a verb, short participle, predicative or infinitive — it is a rule,
    not an item of a nominal list («порядок доступа к системе (при необходимости);»)."""
    clause = ctx.tokens[ctx.match.first].clause
    pos = {"VERB", "PRTS", "PRED", "INFN"}
    for t in ctx.tokens:
        if t.clause == clause and any(r.pos in pos and r.score >= 0.2 for r in t.readings):
            return True
    return False


@condition("no_list")
def _no_list(ctx: MatchContext, arg: Any) -> bool:
    """The unit does not open a list: it has no sub-units and does not end with a colon."""
    if any(child.text for child in ctx.unit.children):
        return False
    return not ctx.unit.text.rstrip().endswith(":")


# «Трудовой кодекс Российской Федерации», «ФЕДЕРАЛЬНЫЙ ЗАКОН» as a heading line of the act
@condition("not_federal_statute")
def _not_federal_statute(ctx: MatchContext, arg: Any) -> bool:
    """The act is not a federal law or code. A federal statute that leaves a matter to acts of the
    Government, of a subject or of local self-government delegates it — the normal pattern
    (Методика, п. 3 «г»: not a factor when the referral is the delegation a statute makes)."""
    return not ctx.doc.is_federal_statute


@condition("document_lacks")
def _document_lacks(ctx: MatchContext, arg: Any) -> bool:
    """``document_lacks: [regex, …]`` — none of these patterns occurs anywhere in the act (e.g. the
    federal law that allows the non-competitive route is not cited). ``{patterns: […], only_if_unit:
    regex}``: asked only of a unit that matches ``only_if_unit`` (the Земельный кодекс's routes
    excuse a provision about land, not one about buildings)."""
    import regex

    if isinstance(arg, dict):
        only = arg.get("only_if_unit")
        if only and not regex.search(only, ctx.unit.text, regex.IGNORECASE):
            return True
        arg = arg["patterns"]
    patterns = tuple(_as_list(arg))

    def compute() -> bool:
        text = "\n".join(u.text for u in ctx.doc.doc.units)
        return not any(regex.search(p, text, regex.IGNORECASE) for p in patterns)

    return ctx.doc.memo(f"document_lacks:{patterns}", compute)


@condition("short_validity")
def _short_validity(ctx: MatchContext, arg: Any) -> bool:
    """``short_validity: 30`` — the number of days in the match («не ранее чем за [10] дней») is
    below this many days."""
    from expertise.language.numbers import word_value

    for tok in ctx.match.tokens:
        value = int(tok.text) if tok.text.isdigit() else (
            word_value(tok.lower) if any(r.pos == "NUMR" for r in tok.readings) else None)
        if value is not None:
            return value < int(arg)
    return False


@condition("no_private_nominative_before")
def _no_private_nominative_before(ctx: MatchContext, arg: Any) -> bool:
    """No citizen or organisation stands in the nominative before the marker in its clause: when
    the subject parser loses a long subject («Наниматель жилого помещения … с согласия членов его
    семьи в любое время вправе …»), the person named first is still the likely holder of the right."""
    first = ctx.match.first
    clause = ctx.tokens[first].clause
    for tok in ctx.tokens[:first]:
        if tok.clause != clause:
            continue
        if is_private_party(tok.lemmas) and any(r.pos == "NOUN" and "nomn" in r.grammemes and r.score > 0.2
                                                for r in tok.readings):
            return False
    return True


@condition("handed_over")
def _handed_over(ctx: MatchContext, arg: Any) -> bool:
    """``handed_over: [представлять, …]`` — the documents are to be handed over: the clause or the
    list's lead-in has one of these verbs, or the clause is an item of a nominal list (no predicate:
    «4) документы, необходимые учреждению связи;»), not a description («если документы, необходимые
    для выдачи разрешения, содержат сведения, составляющие государственную тайну»)."""
    return _context_has(ctx, arg) or not _has_predicate(ctx, None)


@condition("scope_lacks_pattern")
def _scope_lacks_pattern(ctx: MatchContext, arg: Any) -> bool:
    """``scope_lacks_pattern: [regex, …]`` — like ``scope_lacks``, with regular expressions: none
    occurs in the unit, its sub-units, its parent's text or the units it refers to (the federal
    ground a provision relies on is cited there, not somewhere else in the act)."""
    import regex

    text = ctx.doc.scope_text(ctx.unit)
    return not any(regex.search(p, text, regex.IGNORECASE) for p in _as_list(arg))
