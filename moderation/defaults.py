"""The default conduct rules, drawn from the schools' own communication agreements, in Dutch and English.

They are data, not interface text (default_rules/*.txt): a school replaces them with its own.
"""

from functools import cache
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parent / "default_rules"


@cache
def default_rules() -> dict[str, str]:
    return {
        language: (RULES_DIR / f"{language}.txt").read_text(encoding="utf-8") for language in ("nl", "en")
    }
