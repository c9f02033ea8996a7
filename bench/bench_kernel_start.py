"""What a notebook pays before its first widget: importing plotly's FigureWidget.

    .venv/bin/python bench/bench_kernel_start.py [--repeats 5]

Runs a fresh interpreter per measurement, once as installed and once with the
``rfc3987_syntax`` module blocked (what `make` installs: it uninstalls that package), and
prints the medians and their ratio. The Makefile's note quotes this figure.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

PROBE = """
import sys, time
{block}
start = time.perf_counter()
import plotly.graph_objects as go
go.FigureWidget
print(time.perf_counter() - start)
"""


def seconds(block: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(block=block)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    try:
        import rfc3987_syntax  # noqa: F401

        installed = "installed"
    except ImportError:
        installed = "not installed (as `make` sets up)"
    with_it = statistics.median(seconds("") for _ in range(args.repeats))
    without = statistics.median(
        seconds("sys.modules['rfc3987_syntax'] = None") for _ in range(args.repeats)
    )
    print(f"rfc3987_syntax here: {installed}")
    print(f"FigureWidget import, as installed here   : {with_it * 1000:7.0f} ms (median)")
    print(f"FigureWidget import, rfc3987_syntax absent: {without * 1000:7.0f} ms (median)")
    print(f"ratio: {with_it / without:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
