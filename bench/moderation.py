"""Screening speed: how long moderation.screening.screen takes for a parent's comment or message.

In-process on one core, timed in CPU time (the machine is shared), no database (the school's extra
terms are one indexed query on top). Texts are built deterministically from ordinary Dutch and English
school sentences with a hit mixed into some, in three sizes: a short comment, a long message and an
oversized one. Prints the median and p95 per text beside the target, and the one-off cost of reading
the lists. Then the quality of screening on the labelled table of parent/teacher messages
(moderation/evaluation.py): precision and recall, hostile as positive, on the held-out part and on the whole
table, beside the targets, and the time per message of the table.
"""

import random
import statistics
import time

SENTENCES = [
    "Daan is morgen om tien uur bij de tandarts, hij komt daarna weer naar school.",
    "Wat een mooie foto's van de schoolreis, dank jullie wel!",
    "Kunnen we volgende week een gesprek plannen over het rapport?",
    "Mijn moeder heeft kanker, daarom is Eva soms wat stiller in de klas.",
    "The children loved the trip to the museum, thank you for organising it.",
    "Ik kom je om drie uur halen bij de poort, neem je gymtas mee.",
    "Is the parents' evening on Tuesday or on Thursday this year?",
    "De sponsorloop voor het kankeronderzoek was een groot succes.",
]
HITS = ["wat een kutschool", "k4nk3rl1jer", "I know where you live", "f*ck this", "K.U.T"]
SIZES = {"comment (≈100 chars)": 100, "message (≈500 chars)": 500, "oversized (≈4000 chars)": 4000}
TARGET_P95_MS = {"comment (≈100 chars)": 1.0, "message (≈500 chars)": 3.0, "oversized (≈4000 chars)": 25.0}
ROUNDS = 400
DEADLINE_S = 60


def text_of(rng: random.Random, size: int) -> str:
    parts = []
    while sum(len(part) + 1 for part in parts) < size:
        parts.append(rng.choice(SENTENCES))
    if rng.random() < 0.3:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(HITS))
    return " ".join(parts)


def run() -> list[str]:
    from moderation import screening

    started = time.perf_counter()
    screening.base_lists.cache_clear()
    screening.base_lists()
    lines = [f"reading the lists once: {(time.perf_counter() - started) * 1000:.1f} ms"]
    rng = random.Random(9)
    stop_at = time.perf_counter() + DEADLINE_S
    for label, size in SIZES.items():
        texts = [text_of(rng, size) for _ in range(ROUNDS)]
        timings, held = [], 0
        for text in texts:
            if time.perf_counter() > stop_at:
                break
            t0 = time.thread_time()
            held += screening.screen(text, school=None).held
            timings.append((time.thread_time() - t0) * 1000)
        p95 = statistics.quantiles(timings, n=20)[-1]
        target = TARGET_P95_MS[label]
        verdict = "ok" if p95 <= target else "OVER TARGET"
        lines.append(
            f"{label}: median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms "
            f"(target p95 ≤ {target} ms: {verdict}); {held}/{len(timings)} held"
        )
    lines.extend(quality())
    return lines


def quality() -> list[str]:
    from moderation import evaluation, screening

    rows = evaluation.read_corpus()
    lines = []
    parts = (
        ("held-out (every 4th row)", evaluation.held_out(rows)),
        ("whole table", rows),
        ("probe 1 (new phrasings; round 2 was tuned on it)", evaluation.read_corpus(evaluation.PROBE)),
        ("probe 2 (round 3 was tuned on it)", evaluation.read_corpus(evaluation.PROBE2)),
        ("probe 3 (never tuned on: out of sample)", evaluation.read_corpus(evaluation.PROBE3)),
    )
    for name, part in parts:
        figures = evaluation.figures_of(part)
        ok = figures.precision >= evaluation.TARGET_PRECISION and figures.recall >= evaluation.TARGET_RECALL
        lines.append(
            f"{name}, {figures.rows} texts: precision {figures.precision:.3f}, recall {figures.recall:.3f} "
            f"(target precision ≥ {evaluation.TARGET_PRECISION}, recall ≥ {evaluation.TARGET_RECALL}: "
            f"{'ok' if ok else 'BELOW TARGET'}); {figures.false_positives} benign held, "
            f"{figures.false_negatives} hostile missed, {figures.wrong_rule} held under another rule"
        )
    timings = []
    for text in [row["text"] for row in rows] * 3:
        t0 = time.thread_time()
        screening.screen(text, school=None)
        timings.append((time.thread_time() - t0) * 1000)
    lines.append(
        f"time per table message: median {statistics.median(timings):.3f} ms, "
        f"p95 {statistics.quantiles(timings, n=20)[-1]:.3f} ms"
    )
    return lines
