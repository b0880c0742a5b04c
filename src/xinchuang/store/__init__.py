"""The workspace database: SQLAlchemy tables, Alembic migrations, repositories."""
