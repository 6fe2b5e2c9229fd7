"""create invoices"""
revision = "3f1a2b4c5d6e"
down_revision = None
