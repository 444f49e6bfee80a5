"""Registry ⇄ CSV: one row per review with its draft, outcome and window (the registry card).

Export writes «;»-separated UTF-8 with a BOM (Excel opens it as is). Import reads UTF-8 or cp1251,
«;», «,» or tab, Russian headers (as exported) or the English keys; it validates every row first and
writes all rows in one transaction, so a bad row leaves the registry as it was. Importing is
idempotent like recording: a draft is its content hash (for rows typed by hand without one, the hash
of its реквизиты), a review is draft + date + kind.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from expertise.errors import InputError
from expertise.registry.db import in_transaction
from expertise.registry.models import Draft, ExpertiseWindow, Outcome, Review
from expertise.registry.report import parse_date
from expertise.registry.service import (DraftCard, ReviewCard, _record, check_kind, content_hash, list_reviews)

COLUMNS = [
    ("id", "№ записи"),
    ("title", "Наименование проекта"),
    ("act_kind", "Вид акта"),
    ("body", "Разработчик"),
    ("act_date", "Дата акта"),
    ("act_number", "Номер акта"),
    ("content_hash", "Хеш текста"),
    ("kind", "Вид экспертизы"),
    ("review_date", "Дата заключения"),
    ("number", "Номер заключения"),
    ("reviewer", "Эксперт"),
    ("factors_found", "Факторы выявлены"),
    ("factor_counts", "Факторы по типам"),
    ("opinion_path", "Файл заключения"),
    ("changed", "Изменения внесены"),
    ("outcome_date", "Дата внесения изменений"),
    ("outcome_note", "Примечание"),
    ("window_from", "Размещен для независимой экспертизы с"),
    ("window_to", "Размещен для независимой экспертизы по"),
    ("window_contact", "Контактные данные для независимых экспертов"),
    ("conclusions", "Заключений независимых экспертов"),
    ("findings", "Находки (JSON)"),
]
HEADER = {header: key for key, header in COLUMNS} | {key: key for key, _ in COLUMNS}
LABEL = dict(COLUMNS)
_CYRILLIC_IDS = {"3а": "3a", "3б": "3b", "3в": "3v", "3г": "3g", "3д": "3d", "3е": "3e", "3ж": "3zh", "3з": "3z",
                 "3и": "3i", "4а": "4a", "4б": "4b", "4в": "4v"}


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("да" if value else "нет")


def _date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def export_rows(db: str | None) -> list[list[str]]:
    rows = [[header for _, header in COLUMNS]]
    for r in list_reviews(db=db, with_findings=True):
        w = r.window
        rows.append([
            str(r.id), r.title, r.act_kind or "", r.body or "", _date(r.act_date), r.act_number or "", r.content_hash,
            r.kind, _date(r.review_date), r.number or "", r.reviewer or "", _yes_no(r.factors_found),
            "; ".join(f"{k}={n}" for k, n in sorted(r.factor_counts.items())), r.opinion_path or "",
            _yes_no(r.changed), _date(r.outcome_date), r.outcome_note or "",
            _date(w.published_from) if w else "", _date(w.published_to) if w else "", (w.contact or "") if w else "",
            str(w.conclusions) if w else "",
            json.dumps(r.findings, ensure_ascii=False) if r.findings is not None else "",
        ])
    return rows


def export_csv(db: str | None, output: str) -> int:
    """Write the registry to ``output`` («-»: standard output); returns the number of reviews."""
    rows = export_rows(db)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    if output == "-":
        sys.stdout.write(buffer.getvalue())
    else:
        try:
            Path(output).write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
        except OSError as error:
            raise InputError(f"Не удалось записать «{output}» ({error.strerror or error}).") from None
    return len(rows) - 1


# --- import -----------------------------------------------------------------------------------------


@dataclass
class ImportRow:
    line: int
    draft: DraftCard
    review: ReviewCard
    changed: bool | None
    outcome_date: dt.date | None
    outcome_note: str | None
    window: tuple[dt.date, dt.date, str | None, int] | None


def _read_text(path: str) -> str:
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"Не удалось прочитать «{path}» ({error.strerror or error}).") from None
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"«{path}»: файл CSV должен быть в кодировке UTF-8 или Windows-1251.")  # pragma: no cover


def _bool(value: str, where: str) -> bool | None:
    v = value.strip().lower()
    if not v:
        return None
    if v in ("да", "yes", "true", "1", "+"):
        return True
    if v in ("нет", "no", "false", "0", "-"):
        return False
    raise InputError(f"{where}: ожидается «да» или «нет», а не «{value}».")


def _counts(value: str, where: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for part in value.replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        factor, sep, n = part.partition("=")
        if not sep:
            factor, sep, n = part.partition("–")
        factor = factor.strip().lower()
        factor = _CYRILLIC_IDS.get(factor, factor)
        try:
            counts[factor] = counts.get(factor, 0) + int(n.strip())
        except ValueError:
            raise InputError(f"{where}: ожидается «3a=2; 4v=1», а не «{value}».") from None
    return counts


def parse_csv(path: str) -> list[ImportRow]:
    text = _read_text(path)
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"«{path}»: файл CSV пуст.") from None
    keys = [HEADER.get(h.strip()) for h in header]
    for need in ("title", "review_date"):
        if need not in keys:
            raise InputError(f"«{path}»: нет графы «{LABEL[need]}».")
    rows = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        raw = {k: v.strip() for k, v in zip(keys, values) if k}

        def where(key: str) -> str:
            return f"«{path}», строка {line}, графа «{LABEL[key]}»"  # noqa: B023

        def date(key: str) -> dt.date | None:
            try:
                return parse_date(raw.get(key) or None)
            except InputError:
                raise InputError(f"{where(key)}: неверная дата «{raw[key]}».") from None

        title = " ".join(raw.get("title", "").split())
        if not title:
            raise InputError(f"{where('title')}: не указано наименование проекта.")
        review_date = date("review_date")
        if review_date is None:
            raise InputError(f"{where('review_date')}: не указана дата заключения.")
        try:
            kind = check_kind(raw.get("kind") or "ведомственная")
        except InputError as error:
            raise InputError(f"{where('kind')}: {error}") from None
        draft = DraftCard(content_hash=raw.get("content_hash") or "", title=title, act_kind=raw.get("act_kind") or None,
                          body=raw.get("body") or None, act_date=date("act_date"),
                          act_number=raw.get("act_number") or None, source_path=None)
        if draft.content_hash and (len(draft.content_hash) != 64
                                   or any(c not in "0123456789abcdef" for c in draft.content_hash)):
            raise InputError(f"{where('content_hash')}: ожидается SHA-256 (64 шестнадцатеричных знака).")
        if not draft.content_hash:  # typed by hand: the draft is its реквизиты
            draft.content_hash = content_hash("\n".join(["реквизиты", title, draft.act_kind or "", draft.body or "",
                                                         _date(draft.act_date), draft.act_number or ""]))
        counts = _counts(raw["factor_counts"], where("factor_counts")) if "factor_counts" in raw else None
        found = _bool(raw.get("factors_found", ""), where("factors_found")) if "factors_found" in raw else None
        findings = None
        if raw.get("findings"):
            try:
                findings = json.loads(raw["findings"])
            except json.JSONDecodeError:
                raise InputError(f"{where('findings')}: неверный JSON.") from None
            if not isinstance(findings, list):
                raise InputError(f"{where('findings')}: ожидается список находок JSON.")
        if counts is None and found is not None:
            counts = {}
        review = ReviewCard(kind=kind, review_date=review_date, number=raw.get("number") or None,
                            reviewer=raw.get("reviewer") or None,
                            factors_found=found if found is not None else bool(counts),
                            factor_counts=counts, findings=findings, opinion_path=raw.get("opinion_path") or None)
        window = None
        w_from, w_to = date("window_from"), date("window_to")
        if w_from or w_to:
            if not (w_from and w_to):
                raise InputError(f"«{path}», строка {line}: укажите обе даты размещения для независимой экспертизы.")
            if w_to < w_from:
                raise InputError(f"«{path}», строка {line}: дата окончания независимой экспертизы раньше даты начала.")
            try:
                conclusions = int(raw.get("conclusions") or 0)
            except ValueError:
                raise InputError(f"{where('conclusions')}: ожидается число, а не «{raw['conclusions']}».") from None
            window = (w_from, w_to, raw.get("window_contact") or None, conclusions)
        rows.append(ImportRow(line, draft, review, _bool(raw.get("changed", ""), where("changed")),
                              date("outcome_date"), raw.get("outcome_note") or None, window))
    return rows


def _apply(conn: Connection, row: ImportRow) -> bool:
    review_id, created = _record(conn, row.draft, row.review)
    if row.changed is None and row.window is None:
        return created
    with Session(bind=conn) as session:
        review = session.get(Review, review_id)
        if row.changed is not None:
            if review.outcome is None:
                review.outcome = Outcome(changed=row.changed, outcome_date=row.outcome_date, note=row.outcome_note)
            else:
                review.outcome.changed = row.changed
                review.outcome.outcome_date = row.outcome_date or review.outcome.outcome_date
                review.outcome.note = row.outcome_note or review.outcome.note
        if row.window is not None:
            draft: Draft = review.draft
            w_from, w_to, contact, conclusions = row.window
            if draft.window is None:
                draft.window = ExpertiseWindow(published_from=w_from, published_to=w_to, contact=contact,
                                               conclusions_received=conclusions)
            else:
                draft.window.published_from, draft.window.published_to = w_from, w_to
                draft.window.contact = contact or draft.window.contact
                draft.window.conclusions_received = conclusions
        session.flush()
    return created


def import_csv(db: str | None, path: str) -> tuple[int, int]:
    """Import ``path`` into the registry in one transaction; returns (rows, new reviews)."""
    rows = parse_csv(path)

    def work(conn: Connection) -> int:
        return sum(1 for row in rows if _apply(conn, row))

    created = in_transaction(db, work)
    return len(rows), created
