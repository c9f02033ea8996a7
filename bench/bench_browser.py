"""Slider move -> visible update latency in a real browser (headless Chromium), median of 20.

    .venv/bin/python bench/bench_browser.py [--moves 20] [--only lab|voila]

For the model chooser (decision text; chart highlight = the chosen star drawn on the chosen
model) and the bandit explorer (regret chart redraw with the new ε-greedy curve and summary),
in JupyterLab (section 6 after Run All) and in Voila (``mlsd present 06-tradeoffs``). The time
is measured by the page: from the keydown to the first animation frame after the output
shows the value the core function gives. Baseline in the same run: a key press whose only
visible effect is the slider's own readout. Exits 1 if a median misses its bar.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.browser import harness  # noqa: E402
from tests.browser.sections import s06_tradeoffs as s06  # noqa: E402

SECTION = "06-tradeoffs"
BARS_MS = {"chooser text": 100.0, "chooser chart": 200.0, "explorer redraw": 300.0}
READOUT = """
const r = root.querySelector(arg.css + ' .widget-readout');
return !!r && r.textContent.trim() !== arg.before;
"""


def chooser_moves(page, moves: int) -> dict[str, list[float]]:
    """Alternate End / Home on the latency slider: each move crosses both thresholds."""
    root = ".mlsd-chooser"
    handle = f"{root} .mlsd-chooser-latency-slider .noUi-handle"
    out: dict[str, list[float]] = {"chooser text": [], "chooser chart": []}
    accuracy = float(page.locator(f"{root} .mlsd-chooser-accuracy .widget-readout").inner_text())
    cost = page.locator(f"{root} .mlsd-chooser-cost button.mod-active").inner_text().strip()
    for i in range(moves + 1):
        key, latency = ("End", 10_000) if i % 2 == 0 else ("Home", 1)
        expect = s06.chooser_expectations(latency, accuracy, cost)
        times = harness.timed_keys(
            page,
            handle,
            key,
            root,
            [("chooser text", *expect["text"]), ("chooser chart", *expect["star"])],
        )
        if i:  # the first move only sets a known start
            for name, ms in times.items():
                out[name].append(ms)
    return out


def readout_moves(page, moves: int) -> list[float]:
    """Baseline: ArrowRight / ArrowLeft on the accuracy slider, waiting for its readout."""
    root = ".mlsd-chooser"
    css = ".mlsd-chooser-accuracy"
    handle = f"{root} {css} .noUi-handle"
    out = []
    for i in range(moves):
        before = page.locator(f"{root} {css} .widget-readout").inner_text().strip()
        key = "ArrowRight" if i % 2 == 0 else "ArrowLeft"
        out.append(
            harness.timed_key(page, handle, key, root, READOUT, {"css": css, "before": before})
        )
    return out


def explorer_moves(page, moves: int) -> list[float]:
    """ArrowRight on ε: each move is a new ε, so ε-greedy is re-simulated every time."""
    root = ".mlsd-bandit-explorer"
    handle = f"{root} .mlsd-bandit-epsilon .noUi-handle"
    out = []
    page.locator(root).scroll_into_view_if_needed()
    for i in range(moves):
        before = page.evaluate(
            "([css, body, arg]) => new Function('root', 'arg', body)"
            "(document.querySelector(css), arg)",
            [root, s06.MEAN_PATH, {"trace": 2}],
        )
        body = """
const traces = root.querySelectorAll('.js-plotly-plot')[0].querySelectorAll('.scatterlayer .trace');
const line = traces[arg.trace] && traces[arg.trace].querySelector('path.js-line');
return !!line && line.getAttribute('d') !== arg.before;
"""
        key = "ArrowRight" if (i // 10) % 2 == 0 else "ArrowLeft"
        out.append(harness.timed_key(page, handle, key, root, body, {"trace": 2, "before": before}))
    return out


def measure(where: str, chrome, moves: int) -> dict[str, float]:
    watch = harness.PageWatch()
    page = harness.new_page(chrome, watch)
    if where == "JupyterLab":
        server = harness.start_lab([SECTION])
        load = harness.open_lab_and_run_all(page, server, SECTION)
    else:
        server = harness.start_presenter(SECTION)
        load = harness.open_voila(page, server, SECTION, ".mlsd-bandit-explorer")
    try:
        page.locator(".mlsd-chooser").scroll_into_view_if_needed()
        results = {"page load -> widgets (s)": load}
        base = statistics.median(readout_moves(page, moves))
        results["baseline: slider readout"] = base
        try:
            for name, values in chooser_moves(page, moves).items():
                results[name] = statistics.median(values)
        except Exception as exc:  # the output never showed what the core says
            print(f"  chooser: {str(exc).splitlines()[0]}")
            results.update({"chooser text": float("inf"), "chooser chart": float("inf")})
        try:
            results["explorer redraw"] = statistics.median(explorer_moves(page, moves))
        except Exception as exc:
            print(f"  explorer: {str(exc).splitlines()[0]}")
            results["explorer redraw"] = float("inf")
        return results
    finally:
        page.context.close()
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--only", choices=["lab", "voila"], default=None)
    args = parser.parse_args(argv)
    where = {"lab": ["JupyterLab"], "voila": ["Voila"]}.get(args.only, ["JupyterLab", "Voila"])
    failed = False
    with harness.browser() as chrome:
        for place in where:
            results = measure(place, chrome, args.moves)
            base = results["baseline: slider readout"]
            print(f"== {place} (median of {args.moves} moves)")
            for name, value in results.items():
                if name.endswith("(s)"):
                    print(f"  {name:28s} {value:7.1f} s")
                    continue
                bar = BARS_MS.get(name)
                verdict = "" if bar is None else ("ok" if value < bar else "OVER")
                failed |= bar is not None and value >= bar
                print(
                    f"  {name:28s} {value:7.1f} ms  x{value / base:4.1f} baseline"
                    f"  {'' if bar is None else f'bar < {bar:.0f} ms {verdict}'}"
                )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
