"""The registry card: drafts, reviews with factor counts, outcomes, independent-expertise windows.

Revision ID: 0001_registry_card
Revises:
Create Date: 2025-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_registry_card"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registry_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("act_kind", sa.String(64), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("act_date", sa.Date(), nullable=True),
        sa.Column("act_number", sa.String(64), nullable=True),
        sa.Column("source_path", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_drafts"),
        sa.UniqueConstraint("content_hash", name="uq_registry_drafts_content_hash"),
    )
    op.create_table(
        "registry_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=False),
        sa.Column("number", sa.String(64), nullable=True),
        sa.Column("reviewer", sa.Text(), nullable=True),
        sa.Column("factors_found", sa.Boolean(), nullable=False),
        sa.Column("findings", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("opinion_path", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["registry_drafts.id"], ondelete="CASCADE",
                                name="fk_registry_reviews_draft_id_registry_drafts"),
        sa.PrimaryKeyConstraint("id", name="pk_registry_reviews"),
        sa.UniqueConstraint("draft_id", "review_date", "kind", name="uq_registry_reviews_draft_date_kind"),
    )
    op.create_index("ix_registry_reviews_draft_id", "registry_reviews", ["draft_id"])
    op.create_index("ix_registry_reviews_review_date", "registry_reviews", ["review_date"])
    op.create_table(
        "registry_review_factors",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("factor", sa.String(16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["registry_reviews.id"], ondelete="CASCADE",
                                name="fk_registry_review_factors_review_id_registry_reviews"),
        sa.PrimaryKeyConstraint("review_id", "factor", name="pk_registry_review_factors"),
    )
    op.create_table(
        "registry_outcomes",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Boolean(), nullable=False),
        sa.Column("outcome_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["review_id"], ["registry_reviews.id"], ondelete="CASCADE",
                                name="fk_registry_outcomes_review_id_registry_reviews"),
        sa.PrimaryKeyConstraint("review_id", name="pk_registry_outcomes"),
    )
    op.create_table(
        "registry_windows",
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("published_from", sa.Date(), nullable=False),
        sa.Column("published_to", sa.Date(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.Column("conclusions_received", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["registry_drafts.id"], ondelete="CASCADE",
                                name="fk_registry_windows_draft_id_registry_drafts"),
        sa.PrimaryKeyConstraint("draft_id", name="pk_registry_windows"),
    )


def downgrade() -> None:
    op.drop_table("registry_windows")
    op.drop_table("registry_outcomes")
    op.drop_table("registry_review_factors")
    op.drop_index("ix_registry_reviews_review_date", table_name="registry_reviews")
    op.drop_index("ix_registry_reviews_draft_id", table_name="registry_reviews")
    op.drop_table("registry_reviews")
    op.drop_table("registry_drafts")
