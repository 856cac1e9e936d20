"""National-scale workload generator and timed runs against hand-written baselines.

Run with `make bench` (`python -m benchmarks.run`); never part of `make test`.
"""
