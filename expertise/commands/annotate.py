"""`expertise annotate` and `expertise review`: the annotated DOCX round-trip with the expert."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import click

from expertise.errors import InputError
from expertise.outputs.paths import check_output_path

_SEVERITY = {"hint": 0, "finding": 1}


@click.command()
@click.argument("draft")
@click.option("-o", "--output", default=None, help="Куда записать размеченный DOCX (по умолчанию ПРОЕКТ.expertise.docx).")
@click.option("--min-severity", type=click.Choice(["hint", "finding"]), default="hint")
@click.option("--author", default="expertise", help="Автор примечаний в Word.")
@click.option("--force", is_flag=True, help="Перезаписать существующий файл результата.")
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None)
def annotate(draft, output, min_severity, author, force, config) -> None:
    """Записать находки в DOCX примечаниями Word на точных словах (исходный файл не меняется)."""
    from expertise.annotation.writer import annotate_docx, default_output, text_to_docx
    from expertise.documents.reader import read_document, read_raw, sniff
    from expertise.pipeline import Checker
    from expertise.settings import load_settings

    output = output or default_output(draft)
    _check_output(draft, output, force)
    settings = load_settings(config, draft)
    checker = Checker(min_severity=min_severity, settings=settings)
    document = read_document(draft)
    with open(draft, "rb") as fh:
        fmt = sniff(fh.read(8), draft)
    with tempfile.TemporaryDirectory(prefix="expertise-") as tmp:
        source = draft
        if fmt != "docx":
            # ODT, RTF, TXT, PDF, DOC: a new DOCX of the text, then comments on it
            source = os.path.join(tmp, "draft.docx")
            text_to_docx(document, source)
            from expertise.documents.docx_reader import read_docx
            from expertise.documents.structure import build_document

            document = build_document(read_docx(source))
        findings = checker.check_document(document).findings
        result = annotate_docx(source, output, findings, author=author, document=document)
    for finding, reason in result.not_commented:
        click.echo(f"{draft}:{finding.unit.label}:{finding.factor}:{finding.rule}: не размечено ({reason}): "
                   f"«{finding.quote}»", err=True)
    click.echo(f"Записан «{output}»: примечаний — {len(result.commented)}"
               + (f", не размечено — {len(result.not_commented)}" if result.not_commented else "") + ".")


def _check_output(draft: str, output: str, force: bool) -> None:
    if not Path(draft).exists():
        raise InputError(f"Файл «{draft}» не найден.")
    check_output_path(draft, output, force, file_kind="файлу .docx", of_what="файла результата",
                      same="Файл результата совпадает с исходным: укажите другой путь в -o (исходный файл не изменяется).")


@click.command()
@click.argument("annotated")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def review(annotated, fmt) -> None:
    """Прочитать размеченный DOCX после эксперта: принятые, измененные, отклоненные и добавленные примечания."""
    from expertise.annotation.review import read_review
    from expertise.documents.reader import check_path

    check_path(annotated)
    result = read_review(annotated)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    names = {"accepted": "принято", "edited": "изменено", "rejected": "отклонено", "added": "добавлено экспертом"}
    for c in result.comments:
        click.echo(f"{names[c.status]}: {c.unit or '—'}: {c.rule or '—'}: «{c.quote}»")
    counts = result.to_dict()["counts"]
    click.echo(f"Принято: {counts['accepted']}; изменено: {counts['edited']}; отклонено: {counts['rejected']}; "
               f"добавлено: {counts['added']}.")


COMMANDS = [annotate, review]
