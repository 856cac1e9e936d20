"""`make demo`: the shipped plan lived through July–December 2024 (`python -m flows.demo`)."""
