"""`expertise opinion`: the expert opinion (заключение) on a draft, from templates, in three forms.

Findings of severity «finding» are the corruption factors of the opinion; «hint»s go to «иные
положения» (see :mod:`expertise.opinion.context` for why). After the opinion is written it is
recorded in the registry of reviews (``--no-registry`` to skip).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import click

from expertise.errors import InputError
from expertise.outputs.paths import check_output_path

# Kept here (not imported from expertise.opinion) so that `expertise --help` stays fast: the opinion
# machinery is imported when the command runs. tests/test_opinion.py checks they agree.
FORMS = ("independent", "departmental", "table")
FORMATS = ("docx", "md", "html")
_SUFFIX_FORMAT = {".docx": "docx", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def default_output(draft: str, fmt: str) -> str:
    """«проект.docx» → «проект.заключение.docx» (next to the draft)."""
    path = Path(draft)
    return str(path.with_name(f"{path.stem}.заключение.{fmt}"))


def _check_output(draft: str, output: str, force: bool) -> None:
    check_output_path(draft, output, force, file_kind="файлу заключения", of_what="файла заключения",
                      same="Файл заключения совпадает с проектом: укажите другой путь в -o (проект не изменяется).")


def _settings_templates(settings) -> str | None:
    value = settings.get("opinion", "templates")
    if not value:
        return None
    source = settings.sources.get(("opinion", "templates"))
    path = Path(value).expanduser()
    if not path.is_absolute() and source:
        path = Path(source).resolve().parent / path
    return str(path)


def _record(*, db, document, findings, form, date, number, reviewer, output) -> str:
    """Record the review in the registry; returns the line to print (or raises InputError)."""
    from expertise.opinion.context import REGISTRY_KIND

    try:
        available = importlib.util.find_spec("expertise.registry.service") is not None
    except ImportError:
        available = False
    if not available:
        return "Реестр экспертиз не установлен: запись в реестр не выполнена."
    try:
        from expertise.registry.service import record_review
    except ImportError as exc:
        return f"Реестр экспертиз недоступен ({exc}): запись в реестр не выполнена."
    try:
        review_id = record_review(db=db, document=document, findings=findings, kind=REGISTRY_KIND[form],
                                  review_date=date, number=number or None, reviewer=reviewer or None,
                                  opinion_path=str(Path(output).resolve()))
    except InputError as exc:
        raise InputError(f"Заключение записано в «{output}», но в реестр не внесено: {exc}") from None
    return f"Экспертиза внесена в реестр: запись № {review_id} ({REGISTRY_KIND[form]})."


@click.command(name="opinion")
@click.argument("draft")
@click.option("--form", type=click.Choice(FORMS), default=None,
              help="Форма: independent — независимая экспертиза (Приказ Минюста России № 363), departmental — "
                   "ведомственная, table — табличная (по умолчанию [opinion] form в настройках или independent).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Формат файла (по умолчанию — по расширению -o, иначе docx).")
@click.option("-o", "--output", default=None, help="Файл заключения (по умолчанию ПРОЕКТ.заключение.docx рядом с проектом).")
@click.option("--force", is_flag=True, help="Перезаписать существующий файл заключения.")
@click.option("--templates", "templates_dir", default=None,
              help="Каталог своих шаблонов (те же имена файлов: independent.docx, table.md …).")
@click.option("--date", "opinion_date", default=None, help="Дата заключения, ГГГГ-ММ-ДД (по умолчанию сегодня).")
@click.option("--number", default="", help="Номер заключения.")
@click.option("--addressee", default=None, help="Адресат (по умолчанию — орган, разработавший проект).")
@click.option("--act-kind", default=None, help="Вид акта (постановление, решение, приказ …).")
@click.option("--act-body", default=None, help="Орган, принявший (разработавший) акт, в именительном падеже.")
@click.option("--act-date", default=None, help="Дата акта, ГГГГ-ММ-ДД или ДД.ММ.ГГГГ.")
@click.option("--act-number", default=None, help="Номер акта.")
@click.option("--act-title", default=None, help="Наименование акта («Об утверждении …»).")
@click.option("--expert", "expert_name", default=None, help="Фамилия, имя, отчество эксперта.")
@click.option("--organization", default=None, help="Организация эксперта (юридическое лицо, правовое управление).")
@click.option("--accreditation", default=None, help="Аккредитация: распоряжение Минюста России, дата, номер.")
@click.option("--position", default=None, help="Должность подписывающего лица.")
@click.option("--signature", default=None, help="Инициалы и фамилия под подписью (по умолчанию из ФИО эксперта).")
@click.option("--min-severity", type=click.Choice(["hint", "finding"]), default="hint",
              help="hint — включить «иные положения» (подсказки «проверить»); finding — только факторы.")
@click.option("--no-registry", is_flag=True, help="Не вносить экспертизу в реестр.")
@click.option("--db", default=None, help="База данных реестра (по умолчанию EXPERTISE_DB или [registry] db).")
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None, help="Файл настроек TOML.")
def opinion_command(draft, form, fmt, output, force, templates_dir, opinion_date, number, addressee, act_kind,
                    act_body, act_date, act_number, act_title, expert_name, organization, accreditation, position,
                    signature, min_severity, no_registry, db, config) -> None:
    """Составить заключение по результатам антикоррупционной экспертизы проекта (DOCX, Markdown или HTML)."""
    from expertise.documents.reader import read_document, read_stdin_text
    from expertise.opinion.context import OpinionOptions, build_context, parse_user_date
    from expertise.opinion.render import check_templates_dir, render_opinion, write_atomic
    from expertise.pipeline import Checker
    from expertise.settings import load_settings

    settings = load_settings(config, draft)
    form = form or settings.get("opinion", "form") or "independent"
    if fmt is None:
        fmt = _SUFFIX_FORMAT.get(Path(output).suffix.lower(), "docx") if output else "docx"
    if output is None:
        if draft == "-":
            raise InputError("Для проекта из стандартного ввода укажите файл заключения в -o.")
        output = default_output(draft, fmt)
    when = parse_user_date(opinion_date, "дата заключения") if opinion_date else None
    templates_dir = templates_dir or _settings_templates(settings)
    check_templates_dir(templates_dir)
    if draft != "-" and not Path(draft).exists():
        raise InputError(f"Файл «{draft}» не найден.")
    _check_output(draft, output, force)

    document = read_stdin_text(sys.stdin.buffer.read()) if draft == "-" else read_document(draft)
    checker = Checker(min_severity=min_severity, settings=settings)
    report = checker.check_document(document)
    if draft != "-":
        # an annotated DOCX reviewed by the expert: the findings as the expert left them
        from expertise.opinion.reviewed import findings_from_review, is_reviewed

        review = is_reviewed(draft)
        if review is not None:
            report.findings, warnings = findings_from_review(review, document, report.findings, checker.catalogue)
            for warning in warnings:
                click.echo(warning, err=True)
    options = OpinionOptions(
        form=form, date=when, number=number, addressee=addressee, min_severity=min_severity,
        act={"kind": act_kind, "body": act_body, "date": act_date, "number": act_number, "title": act_title},
        expert={"name": expert_name, "organization": organization, "accreditation": accreditation,
                "position": position, "signature": signature},
    )
    context = build_context(document, report.findings, checker.catalogue, settings, options)
    data = render_opinion(context, form, fmt, templates_dir)
    write_atomic(output, data)

    counts = context["counts"]
    click.echo(f"Записано заключение «{output}»: коррупциогенных факторов — {counts['findings']}, "
               f"иных положений — {counts['other']}.")
    expert = context["expert"]
    if not expert["display"]:
        click.echo("Внимание: эксперт не указан (expertise config set expert.name … или --expert).", err=True)
    if form == "independent" and not expert["accreditation"]:
        click.echo("Внимание: не указана аккредитация эксперта (expertise config set expert.accreditation … "
                   "или --accreditation).", err=True)
    if not no_registry:
        line = _record(db=db, document=document, findings=report.findings, form=form,
                       date=when or _today(context), number=number, reviewer=expert["display"], output=output)
        click.echo(line)


def _today(context: dict):
    import datetime as dt

    return dt.date.fromisoformat(context["date_iso"])


COMMANDS = [opinion_command]
