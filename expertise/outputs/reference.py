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


def _md_example(e) -> str:
    return "`" + _example(e).replace("\n", " ⏎ ") + "`"


def reference_markdown(catalogue: Catalogue) -> str:
    """docs/reference.md: every factor and rule, generated from the catalogue (never edited by hand)."""
    out = [
        "# Справочник факторов и правил",
        "",
        "<!-- Сгенерировано командой `expertise docs`; не редактируйте вручную. -->",
        "",
        f"Основание: пункты 3 и 4 {catalogue.methodika}.",
        "",
        f"{catalogue.version_note}",
        "",
        "| Фактор | Подпункт Методики | Наименование | Правил |",
        "|---|---|---|---|",
    ]
    for f in catalogue.factors.values():
        out.append(f"| {f.id} | {f.item} | {f.name} | {len(catalogue.select(False, f.id))} |")
    for f in catalogue.factors.values():
        out += ["", f"## {f.id} — {f.name}", "", f"**Основание:** {f.citation}.", "", f"**Определение:** {f.definition}."]
        for rule in catalogue.select(False, f.id):
            level = "коррупциогенный фактор" if rule.severity == "finding" else "подсказка «проверить»"
            out += [
                "", f"### `{rule.id}` — {rule.title}", "",
                f"Уровень: {level}." + ("" if rule.enabled else " Выключено по умолчанию."),
                "", "**Что ищет.** " + _display(rule.explanation),
                "", f"**Почему это коррупциогенный фактор.** {f.name[:1].upper() + f.name[1:]}: {f.definition}.",
            ]
            if rule.not_a_factor:
                out += ["", "**Когда это не фактор.** " + rule.not_a_factor]
            out += ["", "**Пример.**", ""]
            out += [f"- срабатывает: {_md_example(e)}" for e in rule.examples if e.fires]
            out += [f"- не срабатывает: {_md_example(e)}" for e in rule.examples if not e.fires]
            out += ["", "**Как исправить.** " + _display(rule.recommendation), "", f"**Основание.** {rule.legal_basis}."]
    return "\n".join(out) + "\n"
