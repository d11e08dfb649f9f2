"""Benchmarks: each module with `run() -> list[str]` is one; run them with `python -m bench [name ...]`."""
