"""`make demo`: the shipped plan lived through July–December 2024 (run as `python -m flows.demo`)."""
