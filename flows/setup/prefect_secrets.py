"""Channel secrets kept in Prefect Secret blocks, looked up inside the sending step only."""
from __future__ import annotations


def secret_lookup(name: str) -> str:
    from prefect.blocks.system import Secret

    block = Secret.load(name)  # the block, not a coroutine: lookups run in sync task code
    if not isinstance(block, Secret):
        raise TypeError(f"secret block '{name}' was looked up from async code")
    return str(block.get())
