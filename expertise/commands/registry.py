"""`expertise registry …` (the registry of reviews) and `expertise report` (the annual block)."""

from __future__ import annotations

import click

from expertise.errors import InputError

DB_HELP = ("База данных реестра: URL SQLAlchemy (postgresql+psycopg://…) или путь к файлу SQLite; по умолчанию "
           "EXPERTISE_DB, [registry] db в настройках или файл в каталоге данных пользователя.")
KIND_CHOICE = click.Choice(["ведомственная", "независимая"])


def _date(value, what="дата"):
    from expertise.registry.report import parse_date

    return parse_date(value, what)


def _yes_no(value):
    return "" if value is None else ("да" if value else "нет")


def _fmt(value):
    from expertise.registry.report import fmt_date

    return fmt_date(value)


def _counts_text(counts: dict[str, int]) -> str:
    from expertise.registry.report import SHORT, _ordered

    return ", ".join(f"{SHORT.get(k, k)} – {n}" for k, n in _ordered(counts))


@click.group(name="registry")
def registry_group() -> None:
    """Реестр проведенных экспертиз: запись, просмотр, результаты, независимая экспертиза, CSV."""


@registry_group.command("add")
@click.argument("draft")
@click.option("--kind", type=KIND_CHOICE, default="ведомственная", show_default=True, help="Вид экспертизы.")
@click.option("--date", "review_date", help="Дата заключения (01.03.2025 или 2025-03-01; по умолчанию сегодня).")
@click.option("--number", help="Номер заключения.")
@click.option("--reviewer", help="Кто провел экспертизу.")
@click.option("--body", help="Разработчик проекта, если в реквизитах его нет.")
@click.option("--opinion", "opinion_path", type=click.Path(dir_okay=False), help="Файл заключения.")
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None, help="Файл настроек TOML.")
@click.option("--db", help=DB_HELP)
def registry_add(draft, kind, review_date, number, reviewer, body, opinion_path, config, db) -> None:
    """Проверить проект и записать экспертизу в реестр (повторная запись того же проекта с той же датой
    и видом экспертизы не создает новой записи)."""
    from expertise.documents.reader import read_document
    from expertise.engine.catalogue import load_catalogue
    from expertise.pipeline import Checker
    from expertise.registry.service import draft_card, record, review_card
    from expertise.settings import load_settings

    when = _date(review_date, "дата заключения")
    document = read_document(draft)
    settings = load_settings(config, draft)
    checker = Checker(load_catalogue(settings.rule_dirs), "hint", settings)
    report = checker.check_document(document)
    card = review_card(report.findings, kind=kind, review_date=when, number=number, reviewer=reviewer,
                       opinion_path=opinion_path)
    review_id, created = record(db=db, draft=draft_card(document, body=body), review=card)
    found = sum(card.factor_counts.values())
    state = "записана в реестр" if created else "уже была в реестре, обновлена"
    factors = f"выявлено коррупциогенных факторов – {found} ({_counts_text(card.factor_counts)})" if found else \
        "коррупциогенные факторы не выявлены"
    click.echo(f"Запись № {review_id}: {kind} экспертиза от {_fmt(card.review_date)} {state}; {factors}.")


@registry_group.command("list")
@click.option("--year", type=int, help="Год заключения.")
@click.option("--from", "date_from", help="С даты заключения.")
@click.option("--to", "date_to", help="По дату заключения.")
@click.option("--body", help="Разработчик (часть наименования, без учета регистра).")
@click.option("--search", help="Часть наименования проекта.")
@click.option("--kind", type=KIND_CHOICE, help="Вид экспертизы.")
@click.option("--db", help=DB_HELP)
def registry_list(year, date_from, date_to, body, search, kind, db) -> None:
    """Перечень записей реестра."""
    import datetime as dt

    from expertise.registry.service import list_reviews

    start, end = _date(date_from, "дата начала"), _date(date_to, "дата окончания")
    if year:
        start, end = start or dt.date(year, 1, 1), end or dt.date(year, 12, 31)
    rows = list_reviews(db=db, date_from=start, date_to=end, body=body, search=search, kind=kind)
    if not rows:
        click.echo("Записей не найдено.")
        return
    for r in rows:
        factors = _counts_text(r.factor_counts) if r.factors_found else "факторов нет"
        changed = {True: "; изменения внесены", False: "; изменения не внесены", None: ""}[r.changed]
        body_text = f" — {r.body}" if r.body else ""
        click.echo(f"{r.id:>5}  {_fmt(r.review_date)}  {r.kind:13}  {factors}{changed}{body_text} — {r.title}")
    click.echo(f"Всего записей: {len(rows)}.")


@registry_group.command("show")
@click.argument("review_id", type=int)
@click.option("--db", help=DB_HELP)
def registry_show(review_id, db) -> None:
    """Карточка записи реестра."""
    from expertise.registry.report import SHORT, describe
    from expertise.registry.service import get_review

    r = get_review(db=db, review_id=review_id)
    lines = [
        f"Запись № {r.id}",
        f"Проект: {describe(r.title, r.act_kind, r.body)}",
        f"Наименование: {r.title}",
        f"Вид акта: {r.act_kind or '—'}",
        f"Разработчик: {r.body or '—'}",
        f"Дата и номер проекта: {_fmt(r.act_date) or '—'}{' № ' + r.act_number if r.act_number else ''}",
        f"Хеш текста (SHA-256): {r.content_hash}",
        f"Файл проекта: {r.source_path or '—'}",
        f"Экспертиза: {r.kind}, заключение от {_fmt(r.review_date)}{' № ' + r.number if r.number else ''}",
        f"Эксперт: {r.reviewer or '—'}",
        f"Коррупциогенные факторы выявлены: {_yes_no(r.factors_found)}",
    ]
    if r.factor_counts:
        lines.append(f"Факторы по типам: {_counts_text(r.factor_counts)}")
    lines.append(f"Файл заключения: {r.opinion_path or '—'}")
    if r.changed is None:
        lines.append("Изменения в проект: сведений нет")
    else:
        extra = f" ({_fmt(r.outcome_date)})" if r.outcome_date else ""
        note = f"; {r.outcome_note}" if r.outcome_note else ""
        lines.append(f"Изменения в проект внесены: {_yes_no(r.changed)}{extra}{note}")
    if r.window:
        w = r.window
        lines.append(f"Независимая экспертиза: размещен с {_fmt(w.published_from)} по {_fmt(w.published_to)}"
                     f"{'; контакт: ' + w.contact if w.contact else ''}; заключений поступило – {w.conclusions}")
    findings = [f for f in (r.findings or []) if isinstance(f, dict)]
    if findings:
        lines.append("Находки:")
        for f in findings:
            mark = "" if f.get("severity") == "finding" else " (проверить)"
            lines.append(f"  {f.get('unit', '')}: {SHORT.get(f.get('factor', ''), f.get('factor', ''))} {f.get('factor_name', '')}{mark} — "
                         f"«{f.get('quote', '')}»")
    click.echo("\n".join(lines))


@registry_group.command("set-outcome")
@click.argument("review_id", type=int)
@click.option("--changed", type=click.Choice(["yes", "no", "да", "нет"]), required=True,
              help="Внесены ли изменения в проект по заключению.")
@click.option("--date", "outcome_date", help="Дата внесения изменений.")
@click.option("--note", help="Примечание.")
@click.option("--db", help=DB_HELP)
def registry_set_outcome(review_id, changed, outcome_date, note, db) -> None:
    """Отметить, внесены ли изменения в проект по результатам экспертизы."""
    from expertise.registry.service import set_outcome

    flag = changed in ("yes", "да")
    set_outcome(db=db, review_id=review_id, changed=flag, outcome_date=_date(outcome_date, "дата изменений"), note=note)
    click.echo(f"Запись № {review_id}: изменения в проект {'внесены' if flag else 'не внесены'}.")


@registry_group.command("window")
@click.argument("review_id", type=int)
@click.option("--from", "date_from", required=True, help="Дата размещения проекта (начало независимой экспертизы).")
@click.option("--to", "date_to", required=True, help="Дата окончания приема заключений.")
@click.option("--contact", help="Контактные данные для независимых экспертов.")
@click.option("--conclusions", type=click.IntRange(0), help="Сколько заключений независимых экспертов поступило.")
@click.option("--db", help=DB_HELP)
def registry_window(review_id, date_from, date_to, contact, conclusions, db) -> None:
    """Размещение проекта для независимой антикоррупционной экспертизы."""
    from expertise.registry.service import set_window

    start, end = _date(date_from, "дата размещения"), _date(date_to, "дата окончания")
    set_window(db=db, review_id=review_id, published_from=start, published_to=end, contact=contact,
               conclusions=conclusions)
    click.echo(f"Запись № {review_id}: проект размещен для независимой экспертизы с {_fmt(start)} по {_fmt(end)}.")


@registry_group.command("import")
@click.argument("csv_path")
@click.option("--db", help=DB_HELP)
def registry_import(csv_path, db) -> None:
    """Загрузить записи из CSV (как выгружает `registry export`; «-» — стандартный ввод)."""
    from expertise.registry.transfer import import_csv

    total, created = import_csv(db, csv_path)
    click.echo(f"Загружено строк: {total}; новых записей: {created}.")


@registry_group.command("export")
@click.argument("csv_path")
@click.option("--db", help=DB_HELP)
def registry_export(csv_path, db) -> None:
    """Выгрузить реестр в CSV («-» — стандартный вывод)."""
    from expertise.registry.transfer import export_csv

    n = export_csv(db, csv_path)
    if csv_path != "-":
        click.echo(f"Выгружено записей: {n} в «{csv_path}».")


@click.command(name="report")
@click.option("--year", type=int, help="Отчетный год (по умолчанию текущий).")
@click.option("--from", "date_from", help="Начало периода (вместо целого года).")
@click.option("--to", "date_to", help="Конец периода.")
@click.option("--body", help="Только проекты этого разработчика (часть наименования).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "docx", "csv", "xlsx"]), default="text",
              show_default=True, help="Формат отчета.")
@click.option("-o", "--output", help="Файл отчета (для docx и xlsx обязателен).")
@click.option("--db", help=DB_HELP)
def report_command(year, date_from, date_to, body, fmt, output, db) -> None:
    """Годовой отчет об антикоррупционной экспертизе в формулировках отчетов органов."""
    from expertise.registry.report import build_report, period, render

    if year is not None and not 1990 <= year <= 2200:
        raise InputError(f"Неверный отчетный год «{year}».")
    start, end = period(year, _date(date_from, "дата начала периода"), _date(date_to, "дата окончания периода"))
    if fmt in ("docx", "xlsx") and not output:
        raise InputError(f"Для формата {fmt} укажите файл отчета: -o ОТЧЕТ.{fmt}")
    text = render(build_report(db=db, date_from=start, date_to=end, body=body), fmt, output)
    if text is not None:
        click.echo(text, nl=False)
    elif output:
        click.echo(f"Отчет записан в «{output}».", err=True)


COMMANDS = [registry_group, report_command]
