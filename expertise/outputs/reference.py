"""The catalogue as documentation: `explain` and the generated reference under docs/ (one source)."""

from __future__ import annotations

import regex

from expertise.engine.catalogue import Catalogue, Factor, Rule

_PLACEHOLDER = regex.compile(r"\{\{.*?\}\}")


def _display(template: str) -> str:
    """A rule's explanation or fix as a reader sees it before a match fills it in."""
    return _PLACEHOLDER.sub("…", template)


def _example(e) -> str:
    if e.fires:
        s, t = e.span
        return e.text[:s] + "[" + e.text[s:t] + "]" + e.text[t:]
    return e.text


def explain_rule(rule: Rule) -> str:
    lines = [
        f"{rule.id} — {rule.title}",
        f"Фактор: {rule.factor.id} ({rule.factor.name}); уровень: "
        f"{'коррупциогенный фактор' if rule.severity == 'finding' else 'подсказка для проверки'}",
        f"Основание: {rule.legal_basis}",
        "",
        "Почему это коррупциогенный фактор:",
        f"  {_display(rule.explanation)}",
    ]
    if rule.not_a_factor:
        lines += ["", "Когда это не фактор:", f"  {rule.not_a_factor}"]
    lines += ["", "Примеры (срабатывает, цитата в скобках):"]
    lines += [f"  + {_example(e)}" for e in rule.examples if e.fires]
    lines += ["Примеры (не срабатывает):"]
    lines += [f"  − {_example(e)}" for e in rule.examples if not e.fires]
    lines += ["", "Как исправить:", f"  {_display(rule.recommendation)}"]
    if rule.satellites:
        lines += ["", f"Проверить вместе с факторами: {', '.join(rule.satellites)}"]
    return "\n".join(lines)


def explain_factor(catalogue: Catalogue, factor: Factor) -> str:
    rules = catalogue.select(enabled_only=False, factor=factor.id)
    lines = [
        f"{factor.id} — {factor.name}",
        f"Основание: {factor.citation}",
        f"Определение: {factor.definition}",
        "",
        f"Правила ({len(rules)}):",
    ]
    lines += [f"  {r.id:38} {r.severity:8} {r.title}" for r in rules]
    return "\n".join(lines)
