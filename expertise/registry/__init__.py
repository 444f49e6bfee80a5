"""The registry of reviews (Минюст's registry card) and the annual anti-corruption report.

SQLite in the user's data directory by default, any SQLAlchemy URL (PostgreSQL through psycopg 3)
with ``--db``, ``EXPERTISE_DB`` or ``[registry] db`` in the settings. The schema is managed by the
Alembic migrations in ``migrations/``, applied when the database is opened.

Public API: :func:`expertise.registry.service.record_review` and the query functions beside it;
:mod:`expertise.registry.report` builds and renders the annual report.
"""
