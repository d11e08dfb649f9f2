"""Precision and recall of screening on the labelled table of parent/teacher messages.

The table (moderation/tests/data/screening_corpus.csv: text,label,rule,lang) was written before the
sentence rules were tuned; every 4th row (0-based index 3, 7, ...) is the held-out part, kept out of tuning.
Hostile is the positive class. The test suite asserts the targets and the benchmark prints the figures.
Both parts were written by the same hand as the rules, so their figures flatter them. screening_probe.csv
was written after the first round of rules (recall 0.16 there) and the second round was tuned on it;
screening_probe2.csv was written before the second round (recall 0.43 there), the third round was tuned
on it; screening_probe3.csv was written before the third round and never tuned on: its figure, only
printed, is the closest to out of sample (still the same author), and it is far below the target.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "tests" / "data" / "screening_corpus.csv"
# Written after the first round of rules; the second round was tuned on its misses.
PROBE = CORPUS.with_name("screening_probe.csv")
# Written before the second round and not tuned on: the out-of-sample figure.
PROBE2 = CORPUS.with_name("screening_probe2.csv")
# Written before the third round (tuned on probe 2's misses) and not tuned on.
PROBE3 = CORPUS.with_name("screening_probe3.csv")
TARGET_PRECISION = 0.95
TARGET_RECALL = 0.9


@dataclass(frozen=True)
class Figures:
    rows: int
    true_positives: int
    false_positives: int
    false_negatives: int
    wrong_rule: int  # held, but not (also) for the rule the table gives

    @property
    def precision(self) -> float:
        held = self.true_positives + self.false_positives
        return self.true_positives / held if held else 1.0

    @property
    def recall(self) -> float:
        hostile = self.true_positives + self.false_negatives
        return self.true_positives / hostile if hostile else 1.0


def read_corpus(path: Path = CORPUS) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def held_out(rows: list[dict]) -> list[dict]:
    return [row for index, row in enumerate(rows) if index % 4 == 3]


def figures_of(rows: list[dict]) -> Figures:
    """Screen every row without a school's extra terms and count hits and misses."""
    from moderation.screening import screen

    tp = fp = fn = wrong = 0
    for row in rows:
        result = screen(row["text"], school=None)
        hostile = row["label"] == "hostile"
        if result.held and hostile:
            tp += 1
            wrong += row["rule"] not in result.categories
        elif result.held:
            fp += 1
        elif hostile:
            fn += 1
    return Figures(len(rows), tp, fp, fn, wrong)


def misses(rows: list[dict]) -> list[tuple[str, str, list[str]]]:
    """(label, text, categories) of the rows screening gets wrong."""
    from moderation.screening import screen

    wrong = []
    for row in rows:
        result = screen(row["text"], school=None)
        if result.held != (row["label"] == "hostile"):
            wrong.append((row["label"], row["text"], result.categories))
    return wrong
