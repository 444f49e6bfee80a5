"""Context conditions a pattern match must satisfy before it becomes a finding.

A rule lists them under ``conditions:`` by name, with an optional argument:

- ``subject: [authority, unknown]`` — the clause's subject is of one of these classes
  (see factors/knowledge/subjects.yaml);
- ``no_term`` — no deadline in the unit, its sub-units, its parent's text or the units it refers to;
- ``authority_action: action`` — the token captured under that name is a decision an authority
  takes about citizens or organisations («отказать», «продлить», …);
- ``not_in_kinds: [наименование]`` — the unit is not of these kinds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from expertise.documents.model import Unit
from expertise.engine.context import DocContext
from expertise.engine.knowledge import is_authority_action, subject_class
from expertise.engine.patterns import Match
from expertise.language.morphology import Token
from expertise.language.syntax import clause_subject


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


@condition("authority_action")
def _authority_action(ctx: MatchContext, arg: Any) -> bool:
    tok = ctx.match.captures.get(arg or "action")
    return tok is not None and is_authority_action(tok.lemmas)


@condition("not_in_kinds")
def _not_in_kinds(ctx: MatchContext, arg: Any) -> bool:
    return ctx.unit.kind not in _as_list(arg)
