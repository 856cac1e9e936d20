"""The task-tracking core of plantrack: plain Python, never imports Prefect."""
