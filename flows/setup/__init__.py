"""Prefect set-up: the embedded local server, deployments and schedules, and secret lookup."""
