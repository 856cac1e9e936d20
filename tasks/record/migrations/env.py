"""Alembic environment: migrates the record described by tasks.models."""
from alembic import context
from sqlmodel import SQLModel

from tasks.record import models  # noqa: F401  (registers the tables)
from tasks.record.store import engine

config = context.config
url = config.get_main_option("sqlalchemy.url")

with engine(url).connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
