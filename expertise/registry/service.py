"""Recording reviews in the registry and reading them back.

:func:`record_review` is what ``expertise opinion`` and ``expertise registry add`` call. Recording is
idempotent: the same draft content (sha256 of the normalised text), the same review date and the same
kind are one review however often and however concurrently they are recorded (a unique constraint
and ``INSERT … ON CONFLICT``), and a recording is one transaction: all of the card or nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import regex
from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from expertise.errors import InputError
from expertise.language.names import proper_case_body
from expertise.registry.db import in_transaction, open_engine, translate_errors
from expertise.registry.models import REVIEW_KINDS, Draft, ExpertiseWindow, Outcome, Review, ReviewFactor

# --- cards: plain data going in ----------------------------------------------------------------


@dataclass
class DraftCard:
    content_hash: str
    title: str
    act_kind: str | None = None
    body: str | None = None
    act_date: dt.date | None = None
    act_number: str | None = None
    source_path: str | None = None


@dataclass
class ReviewCard:
    kind: str
    review_date: dt.date
    number: str | None = None
    reviewer: str | None = None
    factors_found: bool = False
    factor_counts: dict[str, int] | None = None  # None: keep what the registry has
    findings: list[dict] | None = None  # None: keep what the registry has
    opinion_path: str | None = None


def normalised_text(document) -> str:
    """The draft's text for the content hash: NFC, whitespace collapsed, one paragraph a line."""
    lines = []
    for unit in document.units:
        line = " ".join(unicodedata.normalize("NFC", unit.text).split())
        if line:
            lines.append(line)
    return "\n".join(lines)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_TITLE_LIKE = regex.compile(r"^(?:О|Об|Обо)\s")
_ENACTING = regex.compile(r"(?:ПОСТАНОВЛЯЕТ|ПОСТАНОВЛЯЮ|ПРИКАЗЫВАЮ|РЕШИЛ[АО]?|РЕШИЛИ)\s*:?\s*$")


def _fallback_title(document) -> str | None:
    """The first unit after the реквизиты when it reads as an act's name («О …», «Об …»): very long names
    (the seeds have names of 300–800 characters) are not always recognised as the title."""
    from expertise.documents.model import Kind

    for unit in document.units:
        if unit.kind in (Kind.REQUISITES, Kind.SIGNATURE):
            continue
        text = " ".join(unit.text.split())
        if _TITLE_LIKE.match(text) and not _ENACTING.search(text):
            return text
        return None
    return None


def draft_card(document, *, body: str | None = None, title: str | None = None) -> DraftCard:
    """The draft part of the card from a read document (its реквизиты)."""
    from pathlib import Path

    from expertise.documents.requisites import extract_requisites

    req = extract_requisites(document)
    name = title or req.title or document.title or _fallback_title(document)
    if not name and document.path not in (None, "", "-"):
        name = Path(document.path).stem
    return DraftCard(
        content_hash=content_hash(normalised_text(document)),
        title=" ".join((name or "Без наименования").split()),
        act_kind=req.kind,
        body=body or (proper_case_body(req.body) if req.body else req.body),
        act_date=req.date,
        act_number=req.number,
        source_path=None if document.path in (None, "", "-") else str(document.path),
    )


def factor_counts(findings: Iterable[dict]) -> dict[str, int]:
    """Findings of severity «finding» per factor (hints — «проверить» — are not factors found)."""
    return dict(Counter(f["factor"] for f in findings if f.get("severity", "finding") == "finding"))


def check_kind(kind: str) -> str:
    kind = (kind or "").strip().lower()
    aliases = {"departmental": "ведомственная", "independent": "независимая"}
    kind = aliases.get(kind, kind)
    if kind not in REVIEW_KINDS:
        raise InputError(f"Вид экспертизы «{kind}» неизвестен: допустимы «ведомственная» и «независимая».")
    return kind


# --- recording -----------------------------------------------------------------------------------


def record_review(*, db: str | None, document, findings, kind: str = "ведомственная",
                  review_date: dt.date | None = None, number: str | None = None, reviewer: str | None = None,
                  opinion_path: str | None = None) -> int:
    """Record one review of ``document`` with its ``findings``; returns the review id.

    ``document``: expertise.documents.model.Document; ``findings``: list of
    expertise.engine.findings.Finding (hints included: they are kept in the findings, but only
    severity «finding» counts as a factor found). Recording the same draft content with the same date
    and kind again updates that review (findings, and number, reviewer, opinion path when given).
    """
    review_id, _created = record(db=db, draft=draft_card(document),
                                 review=review_card(findings, kind=kind, review_date=review_date, number=number,
                                                    reviewer=reviewer, opinion_path=opinion_path))
    return review_id


def review_card(findings, *, kind: str = "ведомственная", review_date: dt.date | None = None,
                number: str | None = None, reviewer: str | None = None, opinion_path: str | None = None) -> ReviewCard:
    data = [f if isinstance(f, dict) else f.to_dict() for f in findings]
    counts = factor_counts(data)
    return ReviewCard(kind=check_kind(kind), review_date=review_date or dt.date.today(), number=number or None,
                      reviewer=reviewer or None, factors_found=bool(counts), factor_counts=counts, findings=data,
                      opinion_path=opinion_path or None)


def record(*, db: str | None, draft: DraftCard, review: ReviewCard) -> tuple[int, bool]:
    """Record one card in one transaction; returns (review id, whether the review is new)."""
    return in_transaction(db, lambda conn: _record(conn, draft, review))


_STATEMENTS: dict[tuple, object] = {}
_DRAFT_KEEP = ("title", "act_kind", "body", "act_date", "act_number", "source_path")
_REVIEW_KEEP = ("number", "reviewer", "opinion_path", "findings")


def _upsert_statement(dialect: str, table, keys: tuple[str, ...], keep: tuple[str, ...], replace: tuple[str, ...],
                      touch: bool):
    """INSERT … ON CONFLICT (keys) DO UPDATE SET keep = coalesce(new, old), replace = new … RETURNING id.

    Built once per shape and executed with parameters (statement construction is most of the cost)."""
    cache_key = (dialect, table.name, keys, keep, replace, touch)
    stmt = _STATEMENTS.get(cache_key)
    if stmt is None:
        ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
        set_ = {c: func.coalesce(ins.excluded[c], table.c[c]) for c in keep}
        set_.update({c: ins.excluded[c] for c in replace})
        if touch:
            set_["updated_at"] = func.now()
        stmt = _STATEMENTS[cache_key] = ins.on_conflict_do_update(index_elements=list(keys), set_=set_) \
            .returning(table.c.id)
    return stmt


def _upsert(conn: Connection, table, values: dict, keys: tuple[str, ...], keep: tuple[str, ...],
            replace: tuple[str, ...] = (), touch: bool = False) -> int:
    """Insert the row or update the one with the same ``keys``; its id. Atomic under concurrency: ON CONFLICT
    on PostgreSQL and SQLite, a savepoint and IntegrityError elsewhere."""
    dialect = conn.dialect.name
    if dialect in ("postgresql", "sqlite"):
        return conn.execute(_upsert_statement(dialect, table, keys, keep, replace, touch), values).scalar_one()
    # pragma: no cover - dialects without ON CONFLICT: select, else insert in a savepoint
    where = [table.c[k] == values[k] for k in keys]
    for _ in range(2):
        found = conn.execute(select(table.c.id).where(*where)).scalar()
        if found is not None:
            given = {k: values[k] for k in keep if values.get(k) is not None} | {k: values[k] for k in replace}
            if given:
                conn.execute(update(table).where(table.c.id == found).values(**given))
            return found
        try:
            with conn.begin_nested():
                return conn.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
        except IntegrityError:
            continue
    raise InputError("Не удалось записать карточку в реестр: конфликт одновременной записи.")


def _record(conn: Connection, draft: DraftCard, review: ReviewCard) -> tuple[int, bool]:
    reviews, factors = Review.__table__, ReviewFactor.__table__
    draft_id = _upsert(conn, Draft.__table__, {
        "content_hash": draft.content_hash, "title": draft.title, "act_kind": draft.act_kind, "body": draft.body,
        "act_date": draft.act_date, "act_number": draft.act_number, "source_path": draft.source_path,
    }, ("content_hash",), _DRAFT_KEEP)
    existed = conn.execute(select(reviews.c.id).where(
        reviews.c.draft_id == draft_id, reviews.c.review_date == review.review_date,
        reviews.c.kind == review.kind)).scalar()
    review_id = _upsert(conn, reviews, {
        "draft_id": draft_id, "kind": review.kind, "review_date": review.review_date, "number": review.number,
        "reviewer": review.reviewer, "factors_found": review.factors_found, "findings": review.findings,
        "opinion_path": review.opinion_path,
    }, ("draft_id", "review_date", "kind"), _REVIEW_KEEP,
        replace=("factors_found",) if review.factor_counts is not None else (), touch=True)
    if review.factor_counts is not None:
        conn.execute(delete(factors).where(factors.c.review_id == review_id))
        rows = [{"review_id": review_id, "factor": f, "count": n} for f, n in sorted(review.factor_counts.items()) if n]
        if rows:
            conn.execute(insert(factors), rows)
    return review_id, existed is None


# --- outcome and window ----------------------------------------------------------------------------


def _review_or_fail(session: Session, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        raise InputError(f"В реестре нет записи № {review_id}.")
    return review


def set_outcome(*, db: str | None, review_id: int, changed: bool, outcome_date: dt.date | None = None,
                note: str | None = None) -> None:
    """Were changes made to the draft after review ``review_id`` (and when, and a note)."""

    def work(conn: Connection) -> None:
        with Session(bind=conn) as session:
            review = _review_or_fail(session, review_id)
            if review.outcome is None:
                review.outcome = Outcome(changed=changed, outcome_date=outcome_date, note=note)
            else:
                review.outcome.changed = changed
                review.outcome.outcome_date = outcome_date if outcome_date is not None else review.outcome.outcome_date
                review.outcome.note = note if note is not None else review.outcome.note
            session.flush()

    in_transaction(db, work)


def set_window(*, db: str | None, review_id: int, published_from: dt.date, published_to: dt.date,
               contact: str | None = None, conclusions: int | None = None) -> None:
    """The independent-expertise window of the draft of review ``review_id``."""
    if published_to < published_from:
        raise InputError("Дата окончания приема заключений раньше даты размещения проекта.")
    if conclusions is not None and conclusions < 0:
        raise InputError("Число поступивших заключений не может быть отрицательным.")

    def work(conn: Connection) -> None:
        with Session(bind=conn) as session:
            draft = _review_or_fail(session, review_id).draft
            window = draft.window
            if window is None:
                draft.window = ExpertiseWindow(published_from=published_from, published_to=published_to,
                                               contact=contact, conclusions_received=conclusions or 0)
            else:
                window.published_from, window.published_to = published_from, published_to
                if contact is not None:
                    window.contact = contact
                if conclusions is not None:
                    window.conclusions_received = conclusions
            session.flush()

    in_transaction(db, work)


# --- reading -------------------------------------------------------------------------------------------


@dataclass
class WindowRow:
    published_from: dt.date
    published_to: dt.date
    contact: str | None
    conclusions: int


@dataclass
class ReviewRow:
    """A review with its draft, outcome and the draft's window: one line of the registry."""

    id: int
    draft_id: int
    content_hash: str
    title: str
    act_kind: str | None
    body: str | None
    act_date: dt.date | None
    act_number: str | None
    source_path: str | None
    kind: str
    review_date: dt.date
    number: str | None
    reviewer: str | None
    factors_found: bool
    factor_counts: dict[str, int]
    opinion_path: str | None
    changed: bool | None = None
    outcome_date: dt.date | None = None
    outcome_note: str | None = None
    window: WindowRow | None = None
    findings: list[dict] | None = field(default=None, repr=False)

    @property
    def factors_total(self) -> int:
        return sum(self.factor_counts.values())


def _row(review: Review, with_findings: bool = False) -> ReviewRow:
    draft, outcome, window = review.draft, review.outcome, review.draft.window
    return ReviewRow(
        id=review.id, draft_id=draft.id, content_hash=draft.content_hash, title=draft.title, act_kind=draft.act_kind,
        body=draft.body, act_date=draft.act_date, act_number=draft.act_number, source_path=draft.source_path,
        kind=review.kind, review_date=review.review_date, number=review.number, reviewer=review.reviewer,
        factors_found=review.factors_found, factor_counts={f.factor: f.count for f in review.factor_counts},
        opinion_path=review.opinion_path,
        changed=None if outcome is None else outcome.changed,
        outcome_date=None if outcome is None else outcome.outcome_date,
        outcome_note=None if outcome is None else outcome.note,
        window=None if window is None else WindowRow(window.published_from, window.published_to, window.contact,
                                                     window.conclusions_received),
        findings=review.findings if with_findings else None,
    )


def _contains(haystack: str | None, needle: str | None) -> bool:
    """Case-insensitive substring test done in Python: SQLite's lower() knows only ASCII."""
    if not needle:
        return True
    return needle.casefold().replace("ё", "е") in (haystack or "").casefold().replace("ё", "е")


def list_reviews(*, db: str | None, date_from: dt.date | None = None, date_to: dt.date | None = None,
                 body: str | None = None, search: str | None = None, kind: str | None = None,
                 with_findings: bool = False) -> list[ReviewRow]:
    """Reviews by review date (inclusive bounds), developing body and title substring, oldest first."""
    engine = open_engine(db)
    stmt = (select(Review).join(Review.draft)
            .options(selectinload(Review.factor_counts), selectinload(Review.outcome),
                     selectinload(Review.draft).selectinload(Draft.window))
            .order_by(Review.review_date, Review.id))
    if date_from is not None:
        stmt = stmt.where(Review.review_date >= date_from)
    if date_to is not None:
        stmt = stmt.where(Review.review_date <= date_to)
    if kind is not None:
        stmt = stmt.where(Review.kind == check_kind(kind))
    with translate_errors(str(engine.url)), Session(engine) as session:
        reviews = session.scalars(stmt).all()
        rows = [_row(r, with_findings) for r in reviews]
    return [r for r in rows if _contains(r.body, body) and _contains(r.title, search)]


def get_review(*, db: str | None, review_id: int) -> ReviewRow:
    engine = open_engine(db)
    with translate_errors(str(engine.url)), Session(engine) as session:
        return _row(_review_or_fail(session, review_id), with_findings=True)


@dataclass
class WindowEntry:
    draft_id: int
    title: str
    act_kind: str | None
    body: str | None
    window: WindowRow


def list_windows(*, db: str | None, date_from: dt.date | None = None, date_to: dt.date | None = None,
                 body: str | None = None) -> list[WindowEntry]:
    """Independent-expertise windows overlapping the period, by publication date."""
    engine = open_engine(db)
    stmt = select(ExpertiseWindow).options(selectinload(ExpertiseWindow.draft)).order_by(
        ExpertiseWindow.published_from, ExpertiseWindow.draft_id)
    if date_to is not None:
        stmt = stmt.where(ExpertiseWindow.published_from <= date_to)
    if date_from is not None:
        stmt = stmt.where(ExpertiseWindow.published_to >= date_from)
    with translate_errors(str(engine.url)), Session(engine) as session:
        out = [WindowEntry(w.draft_id, w.draft.title, w.draft.act_kind, w.draft.body,
                           WindowRow(w.published_from, w.published_to, w.contact, w.conclusions_received))
               for w in session.scalars(stmt).all()]
    return [w for w in out if _contains(w.body, body)]


def counts(*, db: str | None) -> dict[str, int]:
    """Rows per table (tests, `registry list` footer)."""
    engine = open_engine(db)
    with translate_errors(str(engine.url)), engine.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()
                for name, model in (("drafts", Draft), ("reviews", Review), ("factors", ReviewFactor),
                                    ("outcomes", Outcome), ("windows", ExpertiseWindow))}
