"""The record: every plan, agency, deadline, report, KPI value and message, kept in SQL.

Owns the tables (`models`), where they live (`store`: SQLite by default, PostgreSQL by URL),
their migrations, the questions everyone asks of them (`lookups`), and appending reports and
events (`appending`). Reports, events and values are appended, never overwritten.
"""
