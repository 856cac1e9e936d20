"""The workflow layer: Prefect flows that wrap the core, deployments, and the command line.

Importing this package does not import Prefect: read-only commands must stay fast.
"""
