"""Bench: the same N submissions graded by plain sequential ``nbgrader autograde`` and by
``mlsd grade autograde --workers 2`` (sandboxed, its default); prints both wall times
(medians), the speed-up and whether every per-question grade is identical.

The class: reference answers with one wrong answer in turn, plus three bad submissions (an
infinite loop stopped at the per-cell limit, an import error, malformed JSON), as issue 6 asks.

    .venv/bin/python bench/bench_grading.py [--students 40] [--repeats 3] [--workers 2]
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
    malformed_bytes,
    notebook_name,
    question_scores,
    reference_answers,
    submission,
)
from tests.grading.wrong_answers import WRONG_ANSWERS  # noqa: E402

CELL_TIMEOUT = 5  # s, for both runs: the infinite loop costs this much in each


def _class(root: Path, n: int) -> dict[str, bytes]:
    """n students: reference answers with the k-th wrong answer in one exercise, in turn;
    the last three are bad submissions."""
    ref = reference_answers(root)
    variants = [{}] + [
        {grade_id: source}
        for grade_id in sorted(ref)
        if grade_id in WRONG_ANSWERS
        for _label, source in WRONG_ANSWERS[grade_id]
    ]
    good = {
        f"student-{i:02d}": submission(root, ref | variants[i % len(variants)])
        for i in range(n - 3)
    }
    loop = ref["rubric-total"] + "\nwhile True:\n    pass\n"
    bad = {
        "zz-loop": submission(root, ref | {"rubric-total": loop}),
        "zz-importerror": submission(root, ref | {"rubric-band": "import no_such_mod\n"}),
        "zz-malformed": malformed_bytes(),
    }
    return good | bad


def _points(root: Path, student: str) -> dict[str, float]:
    """The questions that earned points. A malformed notebook scores nothing either way:
    plain nbgrader leaves an empty submission row, the pipeline screens it out first."""
    from nbgrader.api import MissingEntry

    try:
        scores = question_scores(root, SECTION, student)
    except MissingEntry:
        return {}
    return {question: score for question, score in scores.items() if score}


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
    parser.add_argument("--students", type=int, default=40)
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
            try:  # nbgrader grades everyone, then exits 1 because of the malformed notebook
                course.nbgrader(plain, "autograde", SECTION, f"--Execute.timeout={CELL_TIMEOUT}")
            except RuntimeError as exc:
                if "zz-malformed" not in str(exc):
                    raise
            sequential.append(time.perf_counter() - start)
            cpu["seq"].append(_cpu() - cpu0)

            ours = _course(Path(tmp), f"pipeline-{rep}", notebooks)
            start, cpu0 = time.perf_counter(), _cpu()
            results = pipeline.autograde(
                ours, SECTION, workers=args.workers, timeout=CELL_TIMEOUT, log=lambda m: None
            )
            parallel.append(time.perf_counter() - start)
            cpu["par"].append(_cpu() - cpu0)
            ratios.append(sequential[-1] / parallel[-1])
            assert len(results) == args.students

            for student in notebooks:
                if _points(plain, student) != _points(ours, student):
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
