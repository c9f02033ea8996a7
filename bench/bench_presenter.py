"""Presenter mode: page requested -> first widget visible, and -> every chart drawn.

    .venv/bin/python bench/bench_presenter.py [--section 06-tradeoffs] [--runs 5] [--cold-runs 3]

Warm: `mlsd present` as a presenter runs it (Voila with a preheated kernel that has already
run the notebook); each load starts in a fresh browser context at 1366x768, and the next load
waits until Voila has refilled its pool (the ready file counts kernels that ran to the end).
Baseline in the same run: the same presenter copy served cold (Voila without preheating, so
every request runs the notebook first), as `mlsd present` did before. Medians; the ratio is
cold / warm. Exits 1 if a warm median misses its bar (widgets < 5 s, charts < 8 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mlsd import present  # noqa: E402
from tests.browser import harness  # noqa: E402
from tests.browser.registry import sections  # noqa: E402

BARS_S = {"first widget": 5.0, "all charts": 8.0}
VIEWPORT = {"width": 1366, "height": 768}
CHARTS_DRAWN = """(figs) => figs.every(f => {
  const el = document.querySelector('.' + f);
  return !!el && !!el.querySelector('.main-svg');
})"""


def load_once(chrome, url: str, first_css: str, figures: list[str]) -> dict[str, float]:
    """Seconds from the request to the first widget visible and to every chart drawn."""
    context = chrome.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=180_000)
        page.wait_for_selector(first_css, state="visible", timeout=180_000)
        widget = time.perf_counter() - start
        page.wait_for_function(CHARTS_DRAWN, arg=figures, timeout=180_000, polling=50)
        charts = time.perf_counter() - start
    finally:
        page.close(run_before_unload=True)  # Voila shuts the page's kernel down
        context.close()
    return {"first widget": widget, "all charts": charts}


def start_voila(section: str, home: Path, *, preheat: bool) -> tuple[subprocess.Popen, int, Path]:
    folder = home / "notebook"
    target = present.build(section, folder)
    env = present.presenter_env(home / "jupyter", folder)
    port = present.free_port()
    log = open(home / "voila.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        present.voila_command(target, port, preheat=preheat),
        env=env,
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    present.wait_for_http(f"http://127.0.0.1:{port}/voila/static/materialcolors.css", proc)
    return proc, port, folder


def measure(chrome, section: str, runs: int, *, preheat: bool) -> dict[str, list[float]]:
    spec = sections()[section]
    first_css = f".{spec.widgets[0].css}"
    figures = [f for w in spec.widgets for f in w.figures]
    out: dict[str, list[float]] = {name: [] for name in BARS_S}
    with tempfile.TemporaryDirectory(prefix="mlsd-bench-present-") as tmp:
        proc, port, folder = start_voila(section, Path(tmp), preheat=preheat)
        try:
            for run in range(runs):
                if preheat:  # a warm server: the pool's kernel has run the whole notebook
                    present.wait_until_ready(folder, proc, at_least=run + 1)
                try:
                    times = load_once(chrome, f"http://127.0.0.1:{port}/", first_css, figures)
                except Exception as exc:  # noqa: BLE001 - a failed load counts as a miss
                    log = (Path(tmp) / "voila.log").read_text(errors="replace")[-1500:]
                    print(f"  load {run + 1} failed: {str(exc).splitlines()[0]}\n{log}", flush=True)
                    times = {name: float("inf") for name in BARS_S}
                for name, seconds in times.items():
                    out[name].append(seconds)
                label = "warm" if preheat else "cold"
                print(
                    f"  {label} load {run + 1}: first widget {times['first widget']:.1f} s, "
                    f"all charts {times['all charts']:.1f} s",
                    flush=True,
                )
        finally:
            present.stop(proc)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--section", default="06-tradeoffs")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold-runs", type=int, default=3)
    args = parser.parse_args(argv)
    missing = harness.chromium_missing_message()
    if missing:
        print(missing, file=sys.stderr)
        return 1
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with harness.browser() as chrome:
        cold = measure(chrome, args.section, args.cold_runs, preheat=False)
        warm = measure(chrome, args.section, args.runs, preheat=True)
    failed = False
    for name, bar in BARS_S.items():
        warm_median = statistics.median(warm[name])
        cold_median = statistics.median(cold[name])
        ok = warm_median < bar
        failed |= not ok
        print(
            f"{args.section} {name}: warm median {warm_median:.1f} s (bar {bar:.0f} s) "
            f"{'ok' if ok else 'MISSED'}; cold median {cold_median:.1f} s; "
            f"ratio cold/warm {cold_median / warm_median:.1f}x"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
