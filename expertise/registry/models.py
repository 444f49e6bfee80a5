"""SQLAlchemy 2 models of the registry card (Минюст «Агент регистра НПА»).

draft → reviews → (factor counts, outcome); draft → independent-expertise window.

The schema itself is created and changed only by the Alembic migrations in ``migrations/``; these
models must describe the schema at head (``tests/test_registry.py`` compares them).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (JSON, Boolean, Date, DateTime, ForeignKey, Integer, MetaData, String, Text,
                        UniqueConstraint, func)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

REVIEW_KINDS = ("ведомственная", "независимая")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Draft(Base):
    """A draft as reviewed: one row per distinct normalised text (``content_hash``)."""

    __tablename__ = "registry_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the normalised text
    title: Mapped[str] = mapped_column(Text)
    act_kind: Mapped[str | None] = mapped_column(String(64))  # постановление, приказ, решение …
    body: Mapped[str | None] = mapped_column(Text)  # developing body
    act_date: Mapped[dt.date | None] = mapped_column(Date)
    act_number: Mapped[str | None] = mapped_column(String(64))
    source_path: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    reviews: Mapped[list[Review]] = relationship(back_populates="draft", cascade="all, delete-orphan",
                                                 order_by="Review.review_date")
    window: Mapped[ExpertiseWindow | None] = relationship(back_populates="draft", cascade="all, delete-orphan",
                                                          uselist=False)


class Review(Base):
    """One conclusion: kind (ведомственная / независимая), date, number, reviewer, the findings."""

    __tablename__ = "registry_reviews"
    __table_args__ = (UniqueConstraint("draft_id", "review_date", "kind", name="uq_registry_reviews_draft_date_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("registry_drafts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    review_date: Mapped[dt.date] = mapped_column(Date, index=True)
    number: Mapped[str | None] = mapped_column(String(64))
    reviewer: Mapped[str | None] = mapped_column(Text)
    factors_found: Mapped[bool] = mapped_column(Boolean)
    findings: Mapped[list | None] = mapped_column(JSON(none_as_null=True))  # Finding.to_dict() each
    opinion_path: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    draft: Mapped[Draft] = relationship(back_populates="reviews")
    factor_counts: Mapped[list[ReviewFactor]] = relationship(back_populates="review", cascade="all, delete-orphan",
                                                            order_by="ReviewFactor.factor")
    outcome: Mapped[Outcome | None] = relationship(back_populates="review", cascade="all, delete-orphan",
                                                   uselist=False)


class ReviewFactor(Base):
    """How many findings of one factor (severity «finding») a review found."""

    __tablename__ = "registry_review_factors"

    review_id: Mapped[int] = mapped_column(ForeignKey("registry_reviews.id", ondelete="CASCADE"), primary_key=True)
    factor: Mapped[str] = mapped_column(String(16), primary_key=True)  # catalogue id: 3a … 4v
    count: Mapped[int] = mapped_column(Integer)

    review: Mapped[Review] = relationship(back_populates="factor_counts")


class Outcome(Base):
    """What came of a review: were the changes made to the draft."""

    __tablename__ = "registry_outcomes"

    review_id: Mapped[int] = mapped_column(ForeignKey("registry_reviews.id", ondelete="CASCADE"), primary_key=True)
    changed: Mapped[bool] = mapped_column(Boolean)
    outcome_date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

    review: Mapped[Review] = relationship(back_populates="outcome")


class ExpertiseWindow(Base):
    """The draft published for independent expertise: from / to, contact, conclusions received."""

    __tablename__ = "registry_windows"

    draft_id: Mapped[int] = mapped_column(ForeignKey("registry_drafts.id", ondelete="CASCADE"), primary_key=True)
    published_from: Mapped[dt.date] = mapped_column(Date)
    published_to: Mapped[dt.date] = mapped_column(Date)
    contact: Mapped[str | None] = mapped_column(Text)
    conclusions_received: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    draft: Mapped[Draft] = relationship(back_populates="window")
