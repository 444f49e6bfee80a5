"""Alembic environment: always run programmatically with a connection from expertise.registry.db.

For a new revision during development:
``.venv/bin/python -m expertise.registry.db revision "message"`` (autogenerates against the models).
"""

from alembic import context

from expertise.registry.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only ever run through expertise.registry.db
    raise RuntimeError("registry migrations run only through expertise.registry.db")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
