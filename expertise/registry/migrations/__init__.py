"""Alembic migrations of the registry schema (run by :func:`expertise.registry.db.open_engine`)."""
