"""The Prefect flows: each calls the core's use cases and records in Prefect what it did.

`daily-run` (tracking flows per plan task, then dispatch), `monthly-digest` and `sync-plan`.
No business rule and no query lives here: the flows decide *when* and show *what happened*.
"""
