from core.access_matrix import AccessCase  # noqa: F401

CASES: list = []
