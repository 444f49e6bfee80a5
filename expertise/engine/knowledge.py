"""Knowledge data shipped in ``factors/knowledge/`` (versioned YAML), loaded once."""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass

from expertise.engine.catalogue import load_yaml
from expertise.language.syntax import NounGroup


@functools.cache
def knowledge(name: str) -> dict:
    path = importlib.resources.files("expertise.factors").joinpath("knowledge", f"{name}.yaml")
    return load_yaml(path.read_text(encoding="utf-8"), f"factors/knowledge/{name}.yaml")


@dataclass(frozen=True)
class _Subjects:
    authority: frozenset[str]
    private: frozenset[str]
    legislator: frozenset[str]
    qualified: dict[str, frozenset[str]]
    private_qualifiers: frozenset[str]
    actions: frozenset[str]


def _norm(words) -> frozenset[str]:
    return frozenset(str(w).replace("ё", "е") for w in words)


@functools.cache
def _subjects() -> _Subjects:
    data = knowledge("subjects")
    return _Subjects(
        authority=_norm(data["authority"]),
        private=_norm(data["private"]),
        legislator=_norm(data["legislator"]),
        qualified={k: _norm(v) for k, v in data["authority_qualified"].items()},
        private_qualifiers=_norm(data["private_qualifiers"]),
        actions=_norm(data["authority_actions"]) | _norm(data["authority_action_nouns"]),
    )


def subject_class(group: NounGroup | None) -> str:
    """«authority», «private», «legislator» or «unknown» for a clause's subject group."""
    if group is None:
        return "unknown"
    s = _subjects()
    head = group.head_lemma
    qualifiers = s.qualified.get(head)
    if qualifiers and group.lemmas & qualifiers:
        return "authority"
    if group.lemmas & s.private_qualifiers:
        return "private"
    if head in s.legislator:
        return "legislator"
    if head in s.private:
        return "private"
    if head in s.authority:
        return "authority"
    return "unknown"


def is_authority_action(lemmas: frozenset[str]) -> bool:
    """A decision an authority takes about persons; imperfective and reflexive forms count too
    («учитываться» → «учитывать» → «учесть»)."""
    actions = _subjects().actions
    if lemmas & actions:
        return True
    perfective = _perfectives()
    for lemma in lemmas:
        base = lemma[:-2] if lemma.endswith(("ся", "сь")) else lemma
        if base in actions or perfective.get(base, "") in actions:
            return True
    return False


@functools.cache
def _perfectives() -> dict[str, str]:
    """Imperfective → perfective (the reverse of factors/knowledge/aspect_pairs.yaml)."""
    pairs = knowledge("aspect_pairs")["pairs"]
    return {str(v).replace("ё", "е"): str(k).replace("ё", "е") for k, v in pairs.items()}


def is_private_party(lemmas: frozenset[str]) -> bool:
    """Is this word a citizen or an organisation (an addressee of an authority's decision)?"""
    s = _subjects()
    return bool(lemmas & (s.private - {"он", "она", "они", "никто", "каждый", "сторона"}))
