"""Channel secrets kept in Prefect Secret blocks, looked up inside the sending step only."""
from __future__ import annotations


def secret_lookup(name: str) -> str:
    from prefect.blocks.system import Secret

    return str(Secret.load(name).get())
