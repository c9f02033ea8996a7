"""Run All in JupyterLab, per section: wall time from opening the notebook to its last cell
executed (headless Chromium), median of N, against the same notebook executed by nbclient
(no browser) in the same run.

    .venv/bin/python bench/bench_run_all.py [--repeats 3] [--sections 06-tradeoffs ...]

The ratio says what the browser adds (widget models, plotly bundles, rendering) to a
learner's Run All. Bar: every section's Run All reaches its last cell within 30 s (the
notebooks' own bar is 15 s of cell time; the page, kernel start and widgets get as much
again). Exits 1 if a section misses it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mlsd import course, present  # noqa: E402
from mlsd.grading.execute import run_notebook  # noqa: E402
from tests.browser import harness  # noqa: E402

BAR_S = 30.0


def nbclient_seconds(section: str) -> float:
    """Execute the released notebook without a browser (kernel start included)."""
    start = time.perf_counter()
    run_notebook(present.section_notebook(section, ROOT), timeout=300)
    return time.perf_counter() - start


def lab_seconds(chrome, server, section: str) -> float:
    watch = harness.PageWatch()
    page = harness.new_page(chrome, watch)
    try:
        return harness.open_lab_and_run_all(page, server, section)
    finally:
        page.context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sections", nargs="*", default=course.sections(ROOT))
    args = parser.parse_args(argv)
    missing = harness.chromium_missing_message()
    if missing:
        print(missing)
        return 2
    server = harness.start_lab(args.sections)
    rows = []
    try:
        with harness.browser() as chrome:
            for section in args.sections:
                lab = [lab_seconds(chrome, server, section) for _ in range(args.repeats)]
                plain = [nbclient_seconds(section) for _ in range(args.repeats)]
                rows.append((section, statistics.median(lab), statistics.median(plain)))
                print(
                    f"{section:24} Run All in JupyterLab {rows[-1][1]:5.1f} s, "
                    f"nbclient {rows[-1][2]:5.1f} s, ratio {rows[-1][1] / rows[-1][2]:.2f}x; "
                    f"load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
    finally:
        server.stop()
    slow = [section for section, lab, _ in rows if lab > BAR_S]
    verdict = "met" if not slow else f"NOT met in {', '.join(slow)}"
    print(f"median of {args.repeats}; bar: Run All within {BAR_S:g} s in every section: {verdict}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
