"""Web state: organisations, users, reviews (one uploaded draft each) and the reviewer's decisions.

The tables live in the registry's database (the same ``--db`` URL, opened with
:func:`expertise.registry.db.open_engine`, so SQLite by default and PostgreSQL when asked) with the
prefix ``web_``; they are created on first use. A review keeps the draft as the DOCX the findings
refer to (the uploaded DOCX, or the DOCX made from the text of an ODT/RTF/PDF/TXT), the units as
read, and one row per finding: the tool's (with its original wording) or the reviewer's own.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import (JSON, DateTime, ForeignKey, Integer, LargeBinary, MetaData, String, Text, func, select)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from expertise.errors import InputError

ROLES = ("юрист", "руководитель")
STATUSES = ("pending", "accepted", "rejected", "edited", "added")
STATUS_NAMES = {"pending": "без решения", "accepted": "принято", "rejected": "отклонено", "edited": "изменено",
                "added": "добавлено экспертом"}
KEPT = ("accepted", "edited", "added")  # the findings that go into the annotated DOCX and the opinion

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Org(Base):
    __tablename__ = "web_orgs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(400), unique=True)


class User(Base):
    __tablename__ = "web_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str | None] = mapped_column(Text)  # ФИО for the opinion and the registry
    org_id: Mapped[int] = mapped_column(ForeignKey("web_orgs.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)

    org: Mapped[Org] = relationship(lazy="joined")


class WebReview(Base):
    __tablename__ = "web_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("web_orgs.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    filename: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    words: Mapped[int] = mapped_column(Integer, default=0)
    units: Mapped[list] = mapped_column(JSON)  # [{index, label, kind, depth, number, text}]
    draft_card: Mapped[dict] = mapped_column(JSON)  # expertise.registry.service.DraftCard fields
    docx: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # the DOCX the findings' offsets refer to
    registry_review_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    user: Mapped[User] = relationship(lazy="joined")
    findings: Mapped[list[WebFinding]] = relationship(back_populates="review", cascade="all, delete-orphan",
                                                      order_by="WebFinding.serial")


class WebFinding(Base):
    __tablename__ = "web_findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("web_reviews.id", ondelete="CASCADE"), index=True)
    serial: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(16))  # tool | expert
    status: Mapped[str] = mapped_column(String(16), default="pending")
    unit_index: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    factor: Mapped[str] = mapped_column(String(16))
    factor_name: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text)
    recommendation: Mapped[str] = mapped_column(Text)
    original: Mapped[dict | None] = mapped_column(JSON)  # the tool's finding as it was (to_dict + indexes)
    decided_by: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    review: Mapped[WebReview] = relationship(back_populates="findings")

    def as_job(self) -> dict:
        """What the worker needs to rebuild the Finding on the stored DOCX."""
        original = self.original or {}
        return {"unit_index": self.unit_index, "start": self.start, "end": self.end, "quote": self.quote,
                "factor": self.factor, "factor_name": self.factor_name, "rule": self.rule,
                "severity": self.severity, "title": self.title, "legal_basis": self.legal_basis,
                "explanation": self.explanation, "recommendation": self.recommendation,
                "related_index": original.get("related_index", []),
                "also_factors": original.get("also_factors", [])}

    def as_registry(self, unit_label: str) -> dict:
        """The finding as the registry keeps findings (Finding.to_dict() fields) with the decision."""
        base = dict(self.original or {})
        base.pop("related_index", None)
        base.update({"factor": self.factor, "factor_name": self.factor_name, "rule": self.rule,
                     "severity": self.severity, "unit": unit_label, "quote": self.quote, "start": self.start,
                     "end": self.end, "explanation": self.explanation, "recommendation": self.recommendation,
                     "legal_basis": self.legal_basis, "title": self.title, "status": self.status})
        return base


class WebSetting(Base):
    __tablename__ = "web_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- the database ----------------------------------------------------------------------------------


class Store:
    """The web tables in the registry's database."""

    def __init__(self, db: str | None = None):
        from expertise.registry.db import open_engine, resolve_url, translate_errors

        self.url = resolve_url(db)
        self.engine: Engine = open_engine(self.url)
        with translate_errors(self.url):
            Base.metadata.create_all(self.engine)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def secret_key(self) -> str:
        """The key that signs session cookies: made once, kept in the database (survives restarts)."""
        with self.session() as s, s.begin():
            row = s.get(WebSetting, "session_secret")
            if row is None:
                row = WebSetting(key="session_secret", value=secrets.token_urlsafe(48))
                s.add(row)
            return row.value

    # --- users ---

    def add_user(self, login: str, org: str, role: str, password: str, name: str | None = None) -> User:
        from expertise.web.security import hash_password

        login, org = check_login(login), " ".join((org or "").split())
        if not org:
            raise InputError("Укажите организацию пользователя (--org).")
        if role not in ROLES:
            raise InputError(f"Роль «{role}» неизвестна: допустимы «юрист» и «руководитель».")
        check_password(password)
        with self.session() as s, s.begin():
            if s.scalar(select(User).where(User.login == login)) is not None:
                raise InputError(f"Пользователь «{login}» уже существует.")
            org_row = s.scalar(select(Org).where(Org.name == org))
            if org_row is None:
                org_row = Org(name=org)
                s.add(org_row)
                s.flush()
            user = User(login=login, name=" ".join((name or "").split()) or None, org_id=org_row.id, role=role,
                        password_hash=hash_password(password))
            s.add(user)
            try:
                s.flush()
            except IntegrityError:
                raise InputError(f"Пользователь «{login}» уже существует.") from None
            user.org = org_row
            return user

    def set_password(self, login: str, password: str) -> None:
        from expertise.web.security import hash_password

        check_password(password)
        with self.session() as s, s.begin():
            user = s.scalar(select(User).where(User.login == login))
            if user is None:
                raise InputError(f"Пользователя «{login}» нет.")
            user.password_hash = hash_password(password)

    def users(self) -> list[User]:
        with self.session() as s:
            return list(s.scalars(select(User).order_by(User.login)))

    def user(self, user_id: int) -> User | None:
        with self.session() as s:
            return s.get(User, user_id)

    def authenticate(self, login: str, password: str) -> User | None:
        from expertise.web.security import needs_rehash, verify_password

        with self.session() as s:
            user = s.scalar(select(User).where(User.login == (login or "").strip()))
        if user is None:
            verify_password(_DUMMY_HASH(), password)  # the same time whether the login exists or not
            return None
        if not verify_password(user.password_hash, password):
            return None
        if needs_rehash(user.password_hash):
            self.set_password(user.login, password)
        return user

    # --- reviews ---

    def add_review(self, user: User, filename: str, result: dict) -> int:
        with self.session() as s, s.begin():
            review = WebReview(org_id=user.org_id, user_id=user.id, filename=filename, format=result["format"],
                               title=result["title"], words=result["words"], units=result["units"],
                               draft_card=result["draft_card"], docx=result["docx"])
            for serial, f in enumerate(result["findings"], start=1):
                review.findings.append(WebFinding(
                    serial=serial, origin="tool", status="pending", unit_index=f["unit_index"], start=f["start"],
                    end=f["end"], quote=f["quote"], factor=f["factor"], factor_name=f["factor_name"],
                    rule=f["rule"], severity=f["severity"], title=f.get("title") or "",
                    legal_basis=f["legal_basis"], explanation=f["explanation"],
                    recommendation=f["recommendation"], original=f))
            s.add(review)
            s.flush()
            return review.id

    def review(self, org_id: int, review_id: int, *, with_findings: bool = True) -> WebReview | None:
        """The review if it belongs to the organisation (else None: another organisation's is «not found»)."""
        with self.session() as s:
            review = s.scalar(select(WebReview).where(WebReview.id == review_id, WebReview.org_id == org_id))
            if review is not None and with_findings:
                list(review.findings)
            return review

    def review_docx(self, org_id: int, review_id: int) -> bytes | None:
        with self.session() as s:
            return s.scalar(select(WebReview.docx).where(WebReview.id == review_id, WebReview.org_id == org_id))

    def reviews(self, org_id: int, limit: int = 50) -> list[ReviewSummary]:
        with self.session() as s:
            rows = s.execute(
                select(WebReview.id, WebReview.created_at, WebReview.title, WebReview.filename, User.login,
                       User.name, WebReview.registry_review_id)
                .join(User, User.id == WebReview.user_id)
                .where(WebReview.org_id == org_id).order_by(WebReview.id.desc()).limit(limit)).all()
            counts: dict[int, dict[str, int]] = {}
            ids = [r.id for r in rows]
            if ids:
                for rid, status, n in s.execute(
                        select(WebFinding.review_id, WebFinding.status, func.count())
                        .where(WebFinding.review_id.in_(ids)).group_by(WebFinding.review_id, WebFinding.status)):
                    counts.setdefault(rid, {})[status] = n
        return [ReviewSummary(r.id, r.created_at, r.title, r.filename, r.name or r.login, counts.get(r.id, {}),
                              r.registry_review_id) for r in rows]

    def registry_ids(self, org_id: int) -> dict[int, int]:
        """registry review id → the organisation's web review id (the latest)."""
        with self.session() as s:
            rows = s.execute(select(WebReview.registry_review_id, WebReview.id)
                             .where(WebReview.org_id == org_id, WebReview.registry_review_id.is_not(None))
                             .order_by(WebReview.id)).all()
        return {reg: web for reg, web in rows}

    def set_registry_id(self, org_id: int, review_id: int, registry_id: int) -> None:
        with self.session() as s, s.begin():
            review = s.scalar(select(WebReview).where(WebReview.id == review_id, WebReview.org_id == org_id))
            if review is not None:
                review.registry_review_id = registry_id

    def decide(self, org_id: int, review_id: int, finding_id: int, user: User, status: str,
               explanation: str | None = None, recommendation: str | None = None) -> bool:
        """Accept, reject or edit a finding of the organisation's review; False if there is no such finding."""
        if status not in ("accepted", "rejected", "edited", "pending"):
            raise InputError("Неизвестное решение по замечанию.")
        with self.session() as s, s.begin():
            finding = s.scalar(select(WebFinding).join(WebReview).where(
                WebFinding.id == finding_id, WebFinding.review_id == review_id, WebReview.org_id == org_id))
            if finding is None:
                return False
            if status == "edited":
                explanation, recommendation = _required(explanation, "пояснение"), _required(recommendation,
                                                                                            "предложение")
                finding.explanation, finding.recommendation = explanation, recommendation
                if finding.origin == "expert":
                    status = "added"
            elif finding.origin == "expert" and status in ("accepted", "pending"):
                status = "added"
            elif status == "pending" and finding.original:  # «снять решение»: the tool's wording back
                finding.explanation = finding.original.get("explanation", finding.explanation)
                finding.recommendation = finding.original.get("recommendation", finding.recommendation)
            elif status == "accepted" and finding.status == "edited":
                status = "edited"  # accepting an edited finding keeps the reviewer's wording
            finding.status = status
            finding.decided_by = user.name or user.login
            finding.decided_at = _now()
            return True

    def accept_pending(self, org_id: int, review_id: int, user: User) -> int:
        with self.session() as s, s.begin():
            review = s.scalar(select(WebReview).where(WebReview.id == review_id, WebReview.org_id == org_id))
            if review is None:
                return -1
            n = 0
            for finding in review.findings:
                if finding.status == "pending":
                    finding.status, finding.decided_by, finding.decided_at = "accepted", user.name or user.login, _now()
                    n += 1
            return n

    def add_finding(self, org_id: int, review_id: int, user: User, *, unit_index: int, quote: str, factor: str,
                    factor_name: str, legal_basis: str, explanation: str, recommendation: str) -> int | None:
        """The reviewer's own finding on words of a unit; None if the review is not the organisation's."""
        quote = " ".join((quote or "").split())
        explanation = _required(explanation, "пояснение")
        recommendation = _required(recommendation, "предложение")
        with self.session() as s, s.begin():
            review = s.scalar(select(WebReview).where(WebReview.id == review_id, WebReview.org_id == org_id))
            if review is None:
                return None
            unit = next((u for u in review.units if u["index"] == unit_index), None)
            if unit is None:
                raise InputError("Выбранное положение не найдено в проекте.")
            start, end = locate(unit["text"], quote)
            serial = max((f.serial for f in review.findings), default=0) + 1
            finding = WebFinding(serial=serial, origin="expert", status="added", unit_index=unit_index,
                                 start=start, end=end, quote=unit["text"][start:end], factor=factor,
                                 factor_name=factor_name, rule="expert.added", severity="finding",
                                 title="Замечание эксперта", legal_basis=legal_basis, explanation=explanation,
                                 recommendation=recommendation, original=None,
                                 decided_by=user.name or user.login, decided_at=_now())
            review.findings.append(finding)
            s.flush()
            return finding.id


def locate(text: str, quote: str) -> tuple[int, int]:
    """Offsets of the reviewer's words in the unit's text (whitespace-insensitive, case-insensitive)."""
    import regex

    if not quote:
        return 0, len(text)
    pattern = r"\s+".join(regex.escape(w) for w in quote.split())
    found = regex.search(pattern, text, regex.IGNORECASE)
    if found is None:
        raise InputError(f"Слова «{quote[:80]}» не найдены в тексте выбранного положения.")
    return found.start(), found.end()


def _required(value: str | None, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InputError(f"Заполните {what}.")
    if len(value) > 10_000:
        raise InputError(f"Слишком длинное {what}: не более 10 000 знаков.")
    return value


def check_login(login: str) -> str:
    import regex

    login = (login or "").strip()
    if not regex.fullmatch(r"[\p{L}\p{N}._@-]{2,100}", login):
        raise InputError("Имя пользователя: от 2 до 100 букв, цифр или знаков «. _ @ -», без пробелов.")
    return login


def check_password(password: str) -> None:
    if len(password or "") < 8:
        raise InputError("Пароль слишком короткий: не менее 8 знаков.")
    if len(password) > 1024:
        raise InputError("Пароль слишком длинный: не более 1024 знаков.")


_dummy: list[str] = []


def _DUMMY_HASH() -> str:  # noqa: N802 - a constant made once
    if not _dummy:
        from expertise.web.security import hash_password

        _dummy.append(hash_password(secrets.token_urlsafe(16)))
    return _dummy[0]


@dataclass
class ReviewSummary:
    id: int
    created_at: dt.datetime
    title: str
    filename: str
    user: str
    counts: dict[str, int]
    registry_review_id: int | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def pending(self) -> int:
        return self.counts.get("pending", 0)
