"""Bench: the same N submissions graded by plain sequential ``nbgrader autograde`` and by
``mlsd grade autograde --workers 2``; prints both wall times (medians), the speed-up and
whether every per-question grade is identical.

    .venv/bin/python bench/bench_grading.py [--students 20] [--repeats 3] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mlsd import course  # noqa: E402
from mlsd.grading import pipeline  # noqa: E402
from tests.grading.pipeline_course import (  # noqa: E402
    SECTION,
    make_root,
    notebook_name,
    question_scores,
    reference_answers,
    submission,
)
from tests.grading.wrong_answers import WRONG_ANSWERS  # noqa: E402


def _class(root: Path, n: int) -> dict[str, bytes]:
    """n students: reference answers with the k-th wrong answer in one exercise, in turn."""
    ref = reference_answers(root)
    variants = [{}] + [
        {grade_id: source}
        for grade_id in sorted(ref)
        if grade_id in WRONG_ANSWERS
        for _label, source in WRONG_ANSWERS[grade_id]
    ]
    return {
        f"student-{i:02d}": submission(root, ref | variants[i % len(variants)]) for i in range(n)
    }


def _course(tmp: Path, label: str, notebooks: dict[str, bytes]) -> Path:
    root = make_root(tmp / label)
    course.nbgrader(root, "generate_assignment", SECTION, "--force")
    name = notebook_name(root)
    for student, data in notebooks.items():
        folder = root / "autograder" / "submitted" / student / SECTION
        folder.mkdir(parents=True)
        (folder / name).write_bytes(data)
    return root


def _cpu() -> float:
    """CPU seconds of finished child processes (nbgrader, workers and their kernels)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    sequential, parallel, ratios, cpu, identical = [], [], [], {"seq": [], "par": []}, True
    with tempfile.TemporaryDirectory() as tmp:
        seed = make_root(Path(tmp) / "seed")
        course.nbgrader(seed, "generate_assignment", SECTION, "--force")
        notebooks = _class(seed, args.students)
        for rep in range(args.repeats):
            plain = _course(Path(tmp), f"plain-{rep}", notebooks)
            start, cpu0 = time.perf_counter(), _cpu()
            course.nbgrader(plain, "autograde", SECTION)
            sequential.append(time.perf_counter() - start)
            cpu["seq"].append(_cpu() - cpu0)

            ours = _course(Path(tmp), f"pipeline-{rep}", notebooks)
            start, cpu0 = time.perf_counter(), _cpu()
            results = pipeline.autograde(ours, SECTION, workers=args.workers, log=lambda m: None)
            parallel.append(time.perf_counter() - start)
            cpu["par"].append(_cpu() - cpu0)
            ratios.append(sequential[-1] / parallel[-1])
            assert len(results) == args.students

            for student in notebooks:
                if question_scores(plain, SECTION, student) != question_scores(
                    ours, SECTION, student
                ):
                    identical = False
                    print(f"grades differ for {student} in repeat {rep}")
            print(
                f"repeat {rep + 1}: sequential {sequential[-1]:.1f} s, "
                f"pipeline {parallel[-1]:.1f} s ({ratios[-1]:.2f}x); CPU s of children: "
                f"{cpu['seq'][-1]:.1f} vs {cpu['par'][-1]:.1f}; load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    seq, par = statistics.median(sequential), statistics.median(parallel)
    ratio = statistics.median(ratios)
    print(f"{args.students} submissions of {SECTION}, median of {args.repeats}:")
    print(f"  sequential nbgrader autograde: {seq:.1f} s")
    print(f"  pipeline, {args.workers} workers:        {par:.1f} s")
    print(
        f"  CPU s of children (median): sequential {statistics.median(cpu['seq']):.1f}, "
        f"pipeline {statistics.median(cpu['par']):.1f}"
    )
    verdict = "met" if ratio >= 1.8 else "NOT met"
    print(f"  speed-up, median of per-repeat ratios: {ratio:.2f}x (bar >= 1.8x): {verdict}")
    print(f"  grades identical: {identical}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
