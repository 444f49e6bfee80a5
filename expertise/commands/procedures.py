"""`expertise procedures`: the completeness checklist of each administrative procedure (3ж)."""

from __future__ import annotations

import json

import click


@click.command()
@click.argument("draft")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def procedures(draft, fmt) -> None:
    """Чек-лист административных процедур: срок, ответственный, результат и форма, уведомление, обжалование."""
    from expertise.documents.reader import read_document
    from expertise.engine.catalogue import load_catalogue
    from expertise.engine.context import DocContext
    from expertise.factors.checks.procedures import ELEMENTS, checklist, checklist_rows, procedures_section_found

    load_catalogue()  # registers the checks
    ctx = DocContext(read_document(draft))
    rows = checklist_rows(ctx)
    act = checklist(ctx)
    source = "раздел административных процедур" if procedures_section_found(ctx) else "пункты, где орган действует"
    if fmt == "json":
        click.echo(json.dumps({
            "path": draft,
            "source": source,
            "procedures": [{"unit": head.label, "title": head.text.strip(), **marks} for head, marks in rows],
            "act": {ELEMENTS[k][0]: ok for k, ok in act.items()},
        }, ensure_ascii=False, indent=2))
        return
    if not procedures_section_found(ctx):
        click.echo("Раздел административных процедур не найден." + (" Шаги порядка — пункты, где орган действует:" if rows else ""))
    for head, marks in rows:
        cells = "; ".join(f"{name}: {'есть' if ok else 'НЕТ'}" for name, ok in marks.items())
        click.echo(f"{head.label}: {head.text.strip()[:70]} — {cells}")
    click.echo("В акте в целом: " + "; ".join(f"{ELEMENTS[k][0]}: {'есть' if ok else 'НЕТ'}" for k, ok in act.items()))


COMMANDS = [procedures]
