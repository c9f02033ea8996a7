"""Section 6 (trade-offs): its five widgets, driven from the keyboard in a real browser.

Expected outputs come from the core functions (``choose_model``, ``processing_mode``,
``pick_model``, ``budget_verdict``, the bandit simulation), computed here in the test process.
Every step also checks the layout issue 11 found cut: no control label or button text is
clipped, and every chart title, axis title and annotation lies inside its chart.
"""

from __future__ import annotations

import re
from html import unescape

import pandas as pd

from mlsd.chooser import CANDIDATES, PRESETS, choose_model
from mlsd.complexity import claimed_spectrum, pick_model
from mlsd.features import GUIDE_HYBRID, budget_verdict
from mlsd.processing import processing_mode
from mlsd.widgets import chooser as chooser_mod
from mlsd.widgets import processing as processing_mod
from tests.browser.registry import Page, Section, Step, Widget, js_all, register, text_includes

# --- layout: nothing a learner must read is cut ------------------------------------------------

# Labels, buttons and checkbox texts whose content is wider than their box (ipywidgets cuts
# them with an ellipsis: "Guide's hybrid ex…", "... run in…").
NOT_CLIPPED = """
const texts = [...root.querySelectorAll(
  '.widget-label, .widget-toggle-button, .widget-label-basic span, button')]
  .filter(e => e.offsetParent !== null && e.textContent.trim());
return texts.every(e => e.scrollWidth <= e.clientWidth + 1);
"""
# Chart titles, axis titles and annotations (subplot titles, the tree's yes/no) inside the
# chart's own drawing area.
CHART_TEXT_INSIDE = """
return [...root.querySelectorAll('.js-plotly-plot')].every(plot => {
  const svg = plot.querySelector('.main-svg');
  if (!svg) return false;
  const box = svg.getBoundingClientRect();
  return [...plot.querySelectorAll('.gtitle, .xtitle, .ytitle, .annotation-text')].every(t => {
    const r = t.getBoundingClientRect();
    return r.width === 0 || (r.left >= box.left - 1 && r.right <= box.right + 1 &&
                             r.top >= box.top - 1 && r.bottom <= box.bottom + 1);
  });
});
"""


def laid_out(step: Step) -> Step:
    """The step, with the layout checks added to what must hold after its key press."""
    body, arg = js_all((step.predicate, step.arg), (NOT_CLIPPED, None), (CHART_TEXT_INSIDE, None))
    return Step(step.describe, step.focus, step.key, body, arg)


# --- chooser ---------------------------------------------------------------------------------

# The candidate models are the third scatter trace; the chosen one (only) has the chosen colour.
CHOSEN_POINT = """
const traces = root.querySelectorAll('.mlsd-chooser-fig .scatterlayer .trace');
if (traces.length < 3) return false;
const points = [...traces[2].querySelectorAll('path.point')];
return points.length === arg.n &&
       points.every((p, i) => (p.style.fill === arg.colour) === (i === arg.index));
"""


# The star (last trace) sits on the chosen candidate, in the chart's own pixel coordinates.
STAR_AT = """
const gd = root.querySelector('.mlsd-chooser-fig');
const traces = gd.querySelectorAll('.scatterlayer .trace');
const star = traces.length && traces[traces.length - 1].querySelector('path.point');
if (!star || !gd._fullLayout) return false;
const m = /translate\\(([-\\d.e]+),\\s*([-\\d.e]+)\\)/.exec(star.getAttribute('transform') || '');
if (!m) return false;
const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
return Math.abs(+m[1] - xa.c2p(arg.x)) < 1.5 && Math.abs(+m[2] - ya.c2p(arg.y)) < 1.5;
"""


def chooser_expectations(latency, accuracy, cost) -> dict[str, tuple[str, object]]:
    """What the chooser must show for these inputs, by output: text, star and colours."""
    decision = choose_model(latency, accuracy, cost)
    chosen = decision.candidate
    index = [c.key for c in CANDIDATES].index(decision.key)
    return {
        "text": text_includes(".mlsd-chooser-decision", chosen.name, decision.key),
        "star": (STAR_AT, {"x": chosen.latency_ms, "y": chosen.accuracy_pct}),
        "colours": (
            CHOSEN_POINT,
            {"n": len(CANDIDATES), "index": index, "colour": _rgb(chooser_mod.CHOSEN_COLOUR)},
        ),
    }


def _chooser_step(describe, focus, key, latency, accuracy, cost, extra=()) -> Step:
    decision = choose_model(latency, accuracy, cost)
    body, arg = js_all(
        *chooser_expectations(latency, accuracy, cost).values(),
        text_includes(".mlsd-chooser-path", decision.path[-1]),
        *extra,
    )
    return laid_out(Step(describe, focus, key, body, arg))


def chooser_steps(page: Page):
    handle = ".mlsd-chooser-{} .noUi-handle"
    yield _chooser_step(
        "ArrowRight on the accuracy slider adds 0.5 % to the requirement",
        handle.format("accuracy"),
        "ArrowRight",
        100,
        85.5,
        "medium",
    )
    yield _chooser_step(
        "End on the latency slider: 10 s leaves latency unconstrained",
        handle.format("latency-slider"),
        "End",
        10_000,
        85.5,
        "medium",
    )
    yield _chooser_step(
        "Space on the 'low' cost button: cached batch predictions",
        ".mlsd-chooser-cost button:nth-child(1)",
        "Space",
        10_000,
        85.5,
        "low",
    )
    preset = PRESETS[0]
    yield _chooser_step(
        f"Space on the '{preset.name}' example button",
        ".mlsd-chooser-preset button:nth-child(1)",
        "Space",
        preset.latency_budget_ms,
        preset.accuracy_requirement_pct,
        preset.cost_budget,
        extra=(text_includes(".mlsd-chooser-message", preset.story),),
    )
    yield _chooser_step(
        "End on the latency slider again",
        handle.format("latency-slider"),
        "End",
        10_000,
        preset.accuracy_requirement_pct,
        preset.cost_budget,
    )
    yield _chooser_step(
        "Home on the latency slider: 1 ms leaves only a simple model",
        handle.format("latency-slider"),
        "Home",
        1,
        preset.accuracy_requirement_pct,
        preset.cost_budget,
    )


# --- processing tree ------------------------------------------------------------------------

EDGE_COLOURS = """
const traces = root.querySelectorAll('.mlsd-tree-fig .scatterlayer .trace');
if (traces.length < arg.on.length) return false;
return arg.on.every((on, i) => {
  const line = traces[i].querySelector('path.js-line');
  return !!line && (line.style.stroke === arg.colour) === on;
});
"""


EDGE_LABELS = """
const labels = [...root.querySelectorAll('.mlsd-tree-fig .annotation-text')]
  .map(t => t.textContent.trim()).sort();
return JSON.stringify(labels) === JSON.stringify(arg);
"""


def _tree_step(describe, focus, key, needs, fits) -> Step:
    mode, _steps = processing_mode(needs, fits)
    visited = processing_mod._visited(mode, needs)
    on = [a in visited and b in visited for a, b, _ in processing_mod.EDGES]
    body, arg = js_all(
        text_includes(".mlsd-tree-mode", f"Mode: {mode}"),
        (EDGE_COLOURS, {"on": on, "colour": _rgb(processing_mod.ACTIVE)}),
        (EDGE_LABELS, sorted(label for *_, label in processing_mod.EDGES)),
    )
    return laid_out(Step(describe, focus, key, body, arg))


def tree_steps(page: Page):
    yes, no = "button:nth-child(1)", "button:nth-child(2)"
    # opening state: request-time data yes, fits no -> hybrid
    yield _tree_step(
        "Space on 'Yes' (fits the budget)", f".mlsd-tree-fits {yes}", "Space", True, True
    )
    yield _tree_step(
        "Space on 'No' (needs request-time data)", f".mlsd-tree-needs {no}", "Space", False, True
    )
    yield _tree_step(
        "Space on 'Yes' (needs request-time data)", f".mlsd-tree-needs {yes}", "Space", True, True
    )
    yield _tree_step(
        "Space on 'No' (fits the budget)", f".mlsd-tree-fits {no}", "Space", True, False
    )


# --- complexity explorer -------------------------------------------------------------------

# The measured table the notebook displays just before the explorer (rounded to 3 decimals).
READ_TABLE = """
const table = [...doc.querySelectorAll('table')].find(t =>
  [...t.querySelectorAll('thead th')].some(th => th.textContent.trim() === 'p99_ms'));
if (!table) return null;
const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
return {heads, rows: [...table.querySelectorAll('tbody tr')].map(tr =>
  [...tr.children].map(td => td.textContent.trim()))};
"""
X_TITLE = """
const t = root.querySelector('.mlsd-complexity-fig .xtitle');
return !!t && t.textContent.includes(arg);
"""


def _measured(page: Page) -> pd.DataFrame:
    got = page.page_js(READ_TABLE)
    assert got, "the measured spectrum table is not on the page"
    heads, rows = got["heads"], got["rows"]
    # pandas' HTML has an empty corner header for the index column.
    if len(heads) == len(rows[0]) and heads[0] == "":
        heads, rows = heads[1:], [r[1:] for r in rows]
    table = pd.DataFrame(rows, columns=heads)
    for col in table.columns:
        if col not in ("model", "family"):
            table[col] = table[col].astype(float)
    return table


def _complexity_step(describe, focus, key, table, budget, col) -> Step:
    measured = pick_model(table, budget, col)
    claimed = pick_model(claimed_spectrum(), budget, "latency_ms")
    headline = f"Pick: {measured}" if measured is not None else "Pick: none fits"
    body, arg = js_all(
        text_includes(
            ".mlsd-complexity-pick",
            headline,
            f"at {col.removesuffix('_ms')}",
            f"same budget buys: {claimed or 'nothing'}",
        ),
        (X_TITLE, f"measured latency, {col.removesuffix('_ms')}"),
    )
    return laid_out(Step(describe, focus, key, body, arg))


def complexity_steps(page: Page):
    table = _measured(page)
    handle = ".mlsd-complexity-budget .noUi-handle"
    yield _complexity_step("End on the budget slider: 200 ms", handle, "End", table, 200, "p99_ms")
    yield _complexity_step(
        "Home on the budget slider: 0.1 ms", handle, "Home", table, 0.1, "p99_ms"
    )
    yield _complexity_step(
        "Space on 'p50 (median)'",
        ".mlsd-complexity-percentile button:nth-child(1)",
        "Space",
        table,
        0.1,
        "p50_ms",
    )
    yield _complexity_step("End again, measured at p50", handle, "End", table, 200, "p50_ms")


# --- feature latency budget ----------------------------------------------------------------


def _features_step(describe, focus, key, **changes) -> Step:
    inputs = {**GUIDE_HYBRID.stages(), **changes}
    try:
        verdict = budget_verdict(**inputs)
    except ValueError as exc:  # shown in the message line, not as a traceback
        body, arg = text_includes(".mlsd-features-message", str(exc)[:60])
        return laid_out(Step(describe, focus, key, body, arg))
    body, arg = text_includes(".mlsd-features-verdict", verdict.text[1:])
    return laid_out(Step(describe, focus, key, body, arg))


def features_steps(page: Page):
    slo = ".mlsd-features-slo .noUi-handle"
    yield _features_step("Home on the SLO slider: 0 ms is rejected", slo, "Home", slo_ms=0.0)
    yield _features_step("End on the SLO slider: 1000 ms", slo, "End", slo_ms=1000.0)
    yield _features_step("Home on the SLO slider again", slo, "Home", slo_ms=0.0)
    yield _features_step("ArrowRight on the SLO slider: 0.5 ms", slo, "ArrowRight", slo_ms=0.5)
    yield _features_step(
        "Space on the parallel checkbox",
        ".mlsd-features-parallel input",
        "Space",
        slo_ms=0.5,
        parallel_features=not GUIDE_HYBRID.parallel_features,
    )
    yield _features_step(
        "ArrowRight on the model slider",
        ".mlsd-features-model .noUi-handle",
        "ArrowRight",
        slo_ms=0.5,
        parallel_features=not GUIDE_HYBRID.parallel_features,
        model_ms=GUIDE_HYBRID.model_ms + 0.5,
    )


# --- bandit explorer -----------------------------------------------------------------------

# Traces of the regret chart: three per strategy (band top, band bottom, mean); ε-greedy first.
MEAN_PATH = """
const traces = root.querySelectorAll('.js-plotly-plot')[0].querySelectorAll('.scatterlayer .trace');
const line = traces[arg.trace] && traces[arg.trace].querySelector('path.js-line');
return line ? line.getAttribute('d') : null;
"""
PATH_CHANGED_AND_ROW = """
const traces = root.querySelectorAll('.js-plotly-plot')[0].querySelectorAll('.scatterlayer .trace');
const line = traces[arg.trace] && traces[arg.trace].querySelector('path.js-line');
if (!line || line.getAttribute('d') === arg.before) return false;
const rows = [...root.querySelectorAll('.mlsd-bandit-summary tr')];
const row = rows.find(r => r.children[0] && r.children[0].textContent.trim() === arg.label);
return !!row && [...row.children].map(c => c.textContent.trim()).join('|') === arg.row;
"""


def _summary_row(explorer, label: str) -> str:
    for tr in re.findall(r"<tr>(.*?)</tr>", explorer.summary.value):
        cells = [
            unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td>(.*?)</td>", tr)
        ]
        if cells and cells[0] == label:
            return "|".join(cells)
    raise AssertionError(f"no summary row for {label}")


# A strategy hidden with its on/off button: no summary row, and its mean trace holds no
# points (plotly removes an empty trace's SVG, so later traces' indices shift: read the
# graph div's data instead of counting SVG traces).
HIDDEN_STRATEGY = """
const rows = [...root.querySelectorAll('.mlsd-bandit-summary tr')];
if (rows.some(r => r.children[0] && r.children[0].textContent.trim() === arg.label)) return false;
const gd = root.querySelectorAll('.js-plotly-plot')[0];
const mean = gd && gd.data && gd.data[arg.trace];
return !!mean && !!mean.y && mean.y.length === 0;
"""


def bandit_steps(page: Page):
    from mlsd.bandits import DEFAULT_EPSILON, STRATEGY_LABELS
    from mlsd.widgets.bandits import bandit_explorer

    label = STRATEGY_LABELS["epsilon_greedy"]
    for k in (1, 2):
        epsilon = round(DEFAULT_EPSILON + 0.01 * k, 2)
        expected = _summary_row(bandit_explorer(epsilon=epsilon), label)
        before = page.js(MEAN_PATH, {"trace": 2})
        yield laid_out(
            Step(
                f"ArrowRight on the ε slider: ε = {epsilon} re-simulates ε-greedy",
                ".mlsd-bandit-epsilon .noUi-handle",
                "ArrowRight",
                PATH_CHANGED_AND_ROW,
                {"trace": 2, "before": before, "label": label, "row": expected},
            )
        )
    # The strategies are on/off buttons (a multi-select list needed Ctrl-click).
    yield laid_out(
        Step(
            "Space on the ε-greedy button hides that strategy",
            ".mlsd-bandit-strategies button:nth-of-type(1)",
            "Space",
            HIDDEN_STRATEGY,
            {"trace": 2, "label": label},
        )
    )


# --- factories for the Python-side accessibility checks -------------------------------------

SMALL_TABLE = pd.DataFrame(
    {
        "model": ["logistic regression", "random forest", "gradient boosting", "mlp", "ensemble"],
        "accuracy_pct": [95.9, 94.7, 93.6, 95.3, 96.5],
        "p50_ms": [0.23, 2.2, 0.21, 0.23, 3.3],
        "p99_ms": [0.35, 2.8, 0.30, 0.50, 5.2],
        "train_s": [0.05, 0.16, 0.29, 0.18, 0.69],
    }
)


def _complexity():
    from mlsd.widgets.complexity import complexity_explorer

    return complexity_explorer(SMALL_TABLE)


def _features():
    from mlsd.widgets.features import feature_budget

    return feature_budget()


def _bandits():
    from mlsd.widgets.bandits import bandit_explorer

    return bandit_explorer(horizon=200, runs=20)


def _rgb(colour: str) -> str:
    """Plotly colours as the browser reports a computed style: ``rgb(r, g, b)``."""
    if colour.startswith("#"):
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return f"rgb({r}, {g}, {b})"
    return re.sub(r"\s+", "", colour).replace(",", ", ")


register(
    Section(
        name="06-tradeoffs",
        main="chooser",
        widgets=(
            Widget(
                "chooser",
                "mlsd-chooser",
                chooser_mod.model_chooser,
                chooser_steps,
                figures=("mlsd-chooser-fig",),
            ),
            Widget(
                "tree",
                "mlsd-tree",
                processing_mod.processing_tree,
                tree_steps,
                figures=("mlsd-tree-fig",),
            ),
            Widget(
                "complexity",
                "mlsd-complexity",
                _complexity,
                complexity_steps,
                figures=("mlsd-complexity-fig",),
            ),
            Widget(
                "features",
                "mlsd-features",
                _features,
                features_steps,
                figures=("mlsd-features-fig",),
            ),
            Widget("bandits", "mlsd-bandit-explorer", _bandits, bandit_steps),
        ),
    )
)
