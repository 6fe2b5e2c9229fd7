from alembic import context

context.configure(url="postgresql://localhost/billing")
