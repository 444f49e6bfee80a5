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
- ``not_in_kinds: [наименование]`` — the unit is not of these kinds.
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


@condition("subject")
def _subject(ctx: MatchContext, arg: Any) -> bool:
    group = clause_subject(ctx.tokens, ctx.match.first)
    return subject_class(group) in _as_list(arg)


@condition("no_term")
def _no_term(ctx: MatchContext, arg: Any) -> bool:
    return not ctx.doc.scope_has_term(ctx.unit)


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
    return any(is_private_party(t.lemmas) for t in ctx.tokens if t.clause == clause)


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
