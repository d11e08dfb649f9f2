"""Planning a board's conference round: 1,000 families in one run of the pure planner.

In-process, no database: a generated board (`conferences/synthetic.py: BOARD`, 48 groups, about 30%
duo teachers, a quarter of the families with siblings, 80% of the guardians answering with a few half hours
on one of two evenings). Prints the wall-clock and CPU time of `plan` beside the target, and the quality
figures beside it: the share of answering families in a time they marked as possible, siblings back to back,
flagged families placed, and the longest run of talks without a break. The capacity check the action runs
first (`shortages`) is timed too.
"""

import os
import time

TARGET_S = 5.0


def run() -> list[str]:
    from conferences import synthetic
    from conferences.planner import plan, shortages

    problem = synthetic.generate(synthetic.BOARD)
    lines = [
        f"board: {len(problem.requests)} talks, {len(problem.slots)} teacher slots, "
        f"load average {os.getloadavg()[0]:.2f}"
    ]
    started = time.perf_counter()
    short = shortages(problem)
    lines.append(f"capacity check: {(time.perf_counter() - started) * 1000:.0f} ms, {len(short)} shortages")
    started, cpu = time.perf_counter(), time.process_time()
    result = plan(problem)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    report = result.report
    possible, answered = report.families_in_possible_time, report.families_answered
    verdict = "ok" if wall < TARGET_S else "SLOW"
    lines += [
        f"planning {report.families} families: {wall:.2f} s wall, {cpu:.2f} s CPU "
        f"(target < {TARGET_S:.0f} s) {verdict}",
        f"families in a time they marked possible: {possible}/{answered} = {possible / max(1, answered):.1%},"
        f" in a time they cannot: {report.families_in_impossible_time}",
        f"siblings back to back: {report.siblings_back_to_back}/{report.sibling_families}"
        f" = {report.siblings_back_to_back / max(1, report.sibling_families):.1%}",
        f"flagged families placed: {report.priority_placed}/{report.priority_families}; "
        f"talks placed: {report.talks_placed}/{report.talks}",
        f"longest run without a break: {max(report.longest_run.values())} min",
    ]
    return lines
