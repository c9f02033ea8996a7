"""The bandit explorer (guide section 6.5): ε-greedy, UCB1 and Thompson sampling side by side.

Controls pick the true rates of the arms, each strategy's knob, the horizon and the number
of runs; two plots show mean cumulative regret with a band over runs (plus the theoretical
curves) and how the pulls were shared among the arms. Simulations are cached per strategy,
so moving ε only re-simulates ε-greedy.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from functools import partial

import ipywidgets as W
import numpy as np
import plotly.colors
import plotly.graph_objects as go

from mlsd import background
from mlsd.bandits import (
    BAND_PERCENTILES,
    DEFAULT_CONFIDENCE,
    DEFAULT_EPSILON,
    PRESET_BY_NAME,
    PRESETS,
    STRATEGIES,
    STRATEGY_LABELS,
    BanditRun,
    lai_robbins_constant,
    parse_rates,
    simulate,
    simulate_strategies,
    ucb1_regret_bound,
)
from mlsd.widgets.common import (
    LABEL_STYLE,
    WIDE,
    MessageLine,
    ToggleSet,
    errors_to,
    live_figure,
    observe_all,
    slider,
)

SAFE = plotly.colors.qualitative.Safe
# Paul Tol's colour-blind-safe palette: one hue per strategy, greys for theory.
COLOURS = {"epsilon_greedy": SAFE[0], "ucb1": SAFE[1], "thompson": SAFE[2]}
LAI_ROBBINS_COLOUR, AUER_COLOUR, RANDOM_COLOUR = "#222222", "#777777", "#aaaaaa"
CUSTOM = "custom"
CACHE_SIZE = 24
# regret_fig traces: per strategy (band top, band bottom, mean), then three theory lines
TRACES_PER_STRATEGY = 3
LAI_ROBBINS, AUER, RANDOM = range(3 * TRACES_PER_STRATEGY, 3 * TRACES_PER_STRATEGY + 3)


def _fill(colour: str, alpha: float) -> str:
    r, g, b = (round(v) for v in plotly.colors.unlabel_rgb(colour))
    return f"rgba({r}, {g}, {b}, {alpha})"


def _within(values, top: float) -> list:
    """The curve with the points above ``top`` left out (None), so plotly draws only the part
    inside the chart. Drawn whole, a curve that leaves the chart within a few steps shows as
    a vertical line near t = 0 (the Lai-Robbins floor with rare clicks did exactly that)."""
    return [float(v) if v <= top else None for v in np.asarray(values, dtype=float)]


def _arm_labels(rates) -> list[str]:
    best = max(rates)
    return [f"arm {i}{' ★' if r == best else ''}<br>p = {r:.3g}" for i, r in enumerate(rates)]


class BanditExplorer:
    """Controls ``preset``, ``rates``, ``epsilon``, ``confidence``, ``horizon``, ``runs``,
    ``strategies`` and ``seed``; outputs ``message``, ``summary``, ``regret_fig`` and
    ``shares_fig``; display ``container``. ``redraw()`` recomputes and redraws."""

    def __init__(
        self,
        preset: str = PRESETS[0].name,
        epsilon: float = DEFAULT_EPSILON,
        confidence: float = DEFAULT_CONFIDENCE,
        horizon: int = 2000,
        runs: int = 200,
        strategies=STRATEGIES,
        seed: int = 0,
    ):
        self._cache: OrderedDict[tuple, BanditRun] = OrderedDict()
        background.start()  # a second process for Thompson sampling, ready for later redraws
        self._syncing = False
        self.preset = W.Dropdown(
            options=[(p.name, p.name) for p in PRESETS] + [("Custom (type the rates)", CUSTOM)],
            value=preset,
            description="Scenario",
            style=LABEL_STYLE,
            layout=WIDE,
        )
        rates = PRESET_BY_NAME[preset].rates if preset in PRESET_BY_NAME else (0.1, 0.2)
        self.rates = W.Text(
            value=", ".join(f"{r:g}" for r in rates),
            description="True rates, one per arm (0 to 1)",
            placeholder="e.g. 0.02, 0.035, 4.8%",
            continuous_update=False,
            style=LABEL_STYLE,
            layout=WIDE,
        )
        self.epsilon = slider(
            "ε-greedy: ε, share of random pulls",
            epsilon,
            0.0,
            0.5,
            0.01,
            css="mlsd-bandit-epsilon",
            tooltip="Probability of pulling a random arm; 0.05 to 0.20 is typical",
        )
        self.confidence = slider(
            "UCB1: confidence (bonus weight)",
            confidence,
            0.0,
            6.0,
            0.1,
            css="mlsd-bandit-confidence",
            tooltip="score = average + sqrt(confidence × ln t / pulls); 2 is UCB1's proof",
        )
        self.horizon = slider(
            "Steps per run (pulls)",
            horizon,
            100,
            10_000,
            100,
            css="mlsd-bandit-horizon",
            tooltip="How many pulls each simulated experiment lasts",
        )
        self.runs = slider(
            "Runs (independent experiments)",
            runs,
            10,
            1000,
            10,
            css="mlsd-bandit-runs",
            tooltip="More runs give smoother curves and take longer",
        )
        for control in (self.epsilon, self.confidence, self.horizon, self.runs):
            control.continuous_update = False  # one simulation per release, not per pixel
        # On/off buttons, not a multi-select list: selecting several needs Ctrl-click there.
        self.strategies = ToggleSet(
            [(STRATEGY_LABELS[name], name) for name in STRATEGIES],
            value=tuple(strategies),
            description="Strategies shown:",
            tooltips=[f"show or hide {STRATEGY_LABELS[name]}" for name in STRATEGIES],
        )
        self.seed = W.BoundedIntText(
            value=seed, min=0, max=10**9, description="Random seed", style=LABEL_STYLE
        )
        self.message = MessageLine("mlsd-bandit-message")
        self.summary = W.HTML()
        for control, css in [
            (self.preset, "mlsd-bandit-preset"),
            (self.rates, "mlsd-bandit-rates"),
            (self.strategies, "mlsd-bandit-strategies"),
            (self.seed, "mlsd-bandit-seed"),
            (self.summary, "mlsd-bandit-summary"),
        ]:
            control.add_class(css)

        # First paint: data, colours and titles all go into the constructors, because Voila
        # drops changes made to a FigureWidget before it is displayed.
        figures = None
        with errors_to(self.message):
            figures = self._figures(*self._compute())
        if figures is None:  # bad initial values: the error is shown; plots start empty
            error = self.message.value
            figures = self._figures(np.asarray(rates, dtype=float), {})
            self.message.widget.value = error
        self.regret_fig, self.shares_fig = figures

        self.preset.observe(self._apply_preset, names="value")
        self.rates.observe(self._rates_typed, names="value")
        observe_all(
            [self.epsilon, self.confidence, self.horizon, self.runs, self.strategies, self.seed],
            self.redraw,
        )
        self.container = W.VBox(
            [
                self.preset,
                self.rates,
                self.epsilon,
                self.confidence,
                self.horizon,
                self.runs,
                W.HBox([self.strategies, self.seed]),
                self.message.widget,
                self.summary,
                self.regret_fig,
                self.shares_fig,
            ]
        )
        self.container.add_class("mlsd-bandit-explorer")

    # --- computing ------------------------------------------------------------------------

    def _selected(self) -> list[str]:
        names = [name for name in STRATEGIES if name in self.strategies.value]
        if not names:
            raise ValueError("strategies: select at least one strategy to simulate.")
        return names

    def _key(self, name, rates) -> tuple:
        knob = {"epsilon_greedy": self.epsilon.value, "ucb1": self.confidence.value}.get(name)
        return (name, knob, rates, self.horizon.value, self.runs.value, self.seed.value)

    def _compute(self) -> tuple[np.ndarray, dict[str, BanditRun]]:
        """Results for the selected strategies, simulating only those not in the cache."""
        rates = parse_rates(self.rates.value)
        names = self._selected()
        missing = [name for name in names if self._key(name, rates) not in self._cache]
        if missing:
            fresh = self._simulate(rates, missing)
            for name, result in fresh.items():
                self._cache[self._key(name, rates)] = result
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return np.asarray(rates), {name: self._cache[self._key(name, rates)] for name in names}

    def _simulate(self, rates, names: list[str]) -> dict[str, BanditRun]:
        """Thompson sampling (the slowest) in the helper process while the others run here;
        each strategy has its own random stream, so the results are the same either way."""
        run = partial(
            simulate_strategies,
            rates,
            horizon=self.horizon.value,
            runs=self.runs.value,
            seed=self.seed.value,
            epsilon=self.epsilon.value,
            confidence=self.confidence.value,
        )
        here = [name for name in names if name != "thompson"]
        away = background.submit(run, ["thompson"]) if here and "thompson" in names else None
        if away is None:
            return run(names)
        results = run(here)
        try:
            results |= away.result(timeout=60)
        except Exception:  # the helper died or hung: do it here
            results |= run(["thompson"])
        return {name: results[name] for name in names}

    def clear_cache(self) -> None:
        self._cache.clear()

    # --- drawing --------------------------------------------------------------------------

    @staticmethod
    def _theory(rates, steps) -> dict[str, np.ndarray]:
        gaps = rates.max() - rates
        steps = np.asarray(steps, dtype=float)
        return {
            "lai_robbins": lai_robbins_constant(rates) * np.log(steps),
            "auer": np.atleast_1d(ucb1_regret_bound(rates, steps)),
            "random": steps * gaps.mean(),
        }

    def _regret_traces(self, rates, results) -> tuple[list[dict], list[float]]:
        """Trace properties (same order as the figure's traces) and the y range."""
        traces, tops = [], []
        for name in STRATEGIES:
            result = results.get(name)
            if result is None:
                traces += [{"x": [], "y": []}] * TRACES_PER_STRATEGY
                continue
            x = result.steps
            tops.append(float(result.high.max()))
            traces += [
                {"x": x, "y": result.high},
                {"x": x, "y": result.low},
                {"x": x, "y": result.mean_regret},
            ]
        steps = next(iter(results.values())).steps if results else np.arange(1, 3)
        theory = self._theory(rates, steps)
        top = max(tops) if tops else 1.0
        y_range = [0.0, 1.15 * max(top, 1e-9)]
        for key in ("lai_robbins", "auer", "random"):
            traces.append({"x": steps, "y": _within(theory[key], y_range[1])})
        return traces, y_range

    def _figures(self, rates, results) -> tuple[go.FigureWidget, go.FigureWidget]:
        traces, y_range = self._regret_traces(rates, results)
        low, high = BAND_PERCENTILES
        data = []
        for j, name in enumerate(STRATEGIES):
            colour, label = COLOURS[name], STRATEGY_LABELS[name]
            top, bottom, mean = traces[j * 3 : j * 3 + 3]
            data += [
                go.Scatter(
                    **top,
                    mode="lines",
                    line={"width": 0, "color": colour},
                    showlegend=False,
                    hoverinfo="skip",
                    legendgroup=name,
                    name=f"{label}: {high}th percentile",
                ),
                go.Scatter(
                    **bottom,
                    mode="lines",
                    line={"width": 0, "color": colour},
                    fill="tonexty",
                    fillcolor=_fill(colour, 0.2),
                    legendgroup=name,
                    name=f"{label}: {low}th–{high}th percentile of runs",
                    hoverinfo="skip",
                ),
                go.Scatter(
                    **mean,
                    mode="lines",
                    line={"width": 3, "color": colour},
                    legendgroup=name,
                    name=f"{label}: mean",
                    hovertemplate="t = %{x:,}<br>mean regret %{y:.1f}<extra>" + label + "</extra>",
                ),
            ]
        for (key, colour, dash, name), props in zip(
            [
                (
                    "lai_robbins",
                    LAI_ROBBINS_COLOUR,
                    "dash",
                    "Lai–Robbins C · ln t (asymptotic floor)",
                ),
                ("auer", AUER_COLOUR, "dot", "UCB1 bound (Auer et al. 2002)"),
                ("random", RANDOM_COLOUR, "dashdot", "always random: t × mean gap"),
            ],
            traces[-3:],
            strict=True,
        ):
            data.append(
                go.Scatter(
                    **props,
                    mode="lines",
                    name=name,
                    line={"color": colour, "dash": dash},
                    hovertemplate="t = %{x:,}<br>%{y:.1f}<extra>" + key + "</extra>",
                )
            )
        regret_fig = go.Figure(
            data=data,
            layout={
                "title": {
                    "text": "Mean cumulative regret over runs, with the band of 80 % of runs"
                },
                "xaxis": {"title": {"text": "step t (pulls so far)"}},
                # short: a projector's larger font cut the longer title at the chart's height
                "yaxis": {"title": {"text": "regret (rewards lost)"}, "range": y_range},
                "height": 500,
                "margin": {"t": 50, "l": 70, "r": 20, "b": 50},
                # below the x-axis title even at a projector's larger font
                "legend": {"orientation": "h", "yanchor": "top", "y": -0.3},
                "template": "plotly_white",
            },
        )
        shares_fig = go.Figure(
            data=[
                go.Bar(
                    name=STRATEGY_LABELS[name],
                    marker={"color": COLOURS[name]},
                    **self._shares(name, rates, results),
                    hovertemplate="%{x}<br>%{y:.1f} % of pulls<extra>"
                    + STRATEGY_LABELS[name]
                    + "</extra>",
                )
                for name in STRATEGIES
            ],
            layout={
                "title": {"text": "Share of pulls per arm (mean over runs; ★ = best arm)"},
                "barmode": "group",
                "xaxis": {"title": {"text": "arm and its true rate p"}},
                "yaxis": {"title": {"text": "share of pulls (%)"}, "range": [0, 100]},
                "height": 360,
                "margin": {"t": 50, "l": 70, "r": 20, "b": 60},
                "template": "plotly_white",
            },
        )
        self._summarise(rates, results)
        self._note_off_chart(traces, y_range)
        return (
            live_figure(regret_fig, "mlsd-bandit-regret-fig"),
            live_figure(shares_fig, "mlsd-bandit-shares-fig"),
        )

    @staticmethod
    def _shares(name, rates, results) -> dict:
        result = results.get(name)
        if result is None:
            return {"x": [], "y": []}
        return {"x": _arm_labels(rates), "y": 100 * result.pull_shares}

    def _summarise(self, rates, results) -> None:
        if not results:
            self.summary.value = ""
            return
        horizon = next(iter(results.values())).horizon
        constant = lai_robbins_constant(rates)
        floor = constant * np.log(horizon)
        rows = "".join(
            f"<tr><td>{r.label}</td><td>{r.mean_regret[-1]:,.1f}</td>"
            f"<td>{r.low[-1]:,.1f} – {r.high[-1]:,.1f}</td>"
            f"<td>{100 * r.best_arm_share.mean():.0f} %</td></tr>"
            for r in results.values()
        )
        self.summary.value = (
            f"<table class='mlsd-bandit-table'><caption>After {horizon:,} pulls, "
            f"{next(iter(results.values())).runs} runs</caption>"
            "<tr><th>strategy</th><th>mean regret</th><th>80 % of runs</th>"
            "<th>pulls on the best arm</th></tr>"
            f"{rows}</table><div>Lai–Robbins constant C = {constant:,.1f}, so C · ln "
            f"{horizon:,} = {floor:,.1f}; UCB1's bound there is "
            f"{ucb1_regret_bound(rates, horizon):,.0f}.</div>"
        )

    def redraw(self) -> None:
        """Recompute (using the cache) and update both figures in place."""
        with errors_to(self.message):
            rates, results = self._compute()
            traces, y_range = self._regret_traces(rates, results)
            with self.regret_fig.batch_update():
                for trace, props in zip(self.regret_fig.data, traces, strict=True):
                    trace.x, trace.y = props["x"], props["y"]
                self.regret_fig.layout.yaxis.range = y_range
            with self.shares_fig.batch_update():
                for trace, name in zip(self.shares_fig.data, STRATEGIES, strict=True):
                    props = self._shares(name, rates, results)
                    trace.x, trace.y = props["x"], props["y"]
            self._summarise(rates, results)
            self._note_off_chart(traces, y_range)

    def _note_off_chart(self, traces, y_range) -> None:
        off_chart = [
            label
            for label, values in (
                ("the Lai–Robbins curve", traces[LAI_ROBBINS]["y"]),
                ("UCB1's bound", traces[AUER]["y"]),
            )
            if len(values) and values[-1] is None  # left out: above the chart
        ]
        if off_chart:
            names = " and ".join(off_chart)
            verb = "run" if len(off_chart) > 1 else "runs"
            self.message.info(
                f"{names[0].upper()}{names[1:]} {verb} above the chart at this horizon: with "
                "small gaps between the arms, a few thousand pulls are not yet 'asymptotic'."
            )

    # --- control plumbing ------------------------------------------------------------------

    def _apply_preset(self, change) -> None:
        if self._syncing or change["new"] == CUSTOM:
            return
        preset = PRESET_BY_NAME[change["new"]]
        self._syncing = True
        try:
            self.rates.value = ", ".join(f"{r:g}" for r in preset.rates)
        finally:
            self._syncing = False
        self.redraw()

    def _rates_typed(self, change) -> None:
        if self._syncing:
            return
        chosen = PRESET_BY_NAME.get(self.preset.value)
        try:
            same = chosen is not None and parse_rates(change["new"]) == chosen.rates
        except ValueError:
            same = False
        if not same and self.preset.value != CUSTOM:
            self._syncing = True
            try:
                self.preset.value = CUSTOM
            finally:
                self._syncing = False
        self.redraw()


def bandit_explorer(**initial) -> BanditExplorer:
    """Build the bandit explorer; display ``.container``."""
    return BanditExplorer(**initial)


def compare_rules(
    rules: Mapping[str, Callable],
    true_rates=PRESET_BY_NAME["One clear winner"].rates,
    horizon: int = 1000,
    runs: int = 100,
    seed: int = 0,
) -> W.VBox:
    """Play any selection rules (a learner's, say) with ``mlsd.bandits.simulate`` and plot
    their mean regret with the 10th-90th percentile band. A rule that fails is named in
    the message line instead of stopping the cell."""
    message = MessageLine("mlsd-bandit-compare-message")
    results, problems = {}, []
    for label, rule in rules.items():
        try:
            results[label] = simulate(true_rates, rule, horizon, runs, seed, points=100)
        except NotImplementedError:
            problems.append(f"{label}: not written yet (it still raises NotImplementedError)")
        except Exception as exc:  # the learner's bug, shown as a line rather than a traceback
            problems.append(f"{label}: {type(exc).__name__}: {exc}")
    if problems:
        message.error("; ".join(problems))
    palette = list(COLOURS.values()) + SAFE[3:]
    data = []
    for (label, result), colour in zip(results.items(), palette, strict=False):
        data += [
            go.Scatter(
                x=result.steps,
                y=result.high,
                mode="lines",
                line={"width": 0, "color": colour},
                showlegend=False,
                hoverinfo="skip",
            ),
            go.Scatter(
                x=result.steps,
                y=result.low,
                mode="lines",
                line={"width": 0, "color": colour},
                fill="tonexty",
                fillcolor=_fill(colour, 0.2),
                hoverinfo="skip",
                name=f"{label}: 10th–90th percentile",
            ),
            go.Scatter(
                x=result.steps,
                y=result.mean_regret,
                mode="lines",
                name=f"{label}: mean",
                line={"width": 3, "color": colour},
            ),
        ]
    fig = go.Figure(
        data=data,
        layout={
            "title": {
                "text": f"Your rules on true rates {', '.join(f'{r:g}' for r in true_rates)}"
            },
            "xaxis": {"title": {"text": "step t (pulls so far)"}},
            "yaxis": {"title": {"text": "regret (rewards lost)"}},
            "height": 420,
            "template": "plotly_white",
            "legend": {"orientation": "h", "y": -0.2},
        },
    )
    box = W.VBox([message.widget, live_figure(fig, "mlsd-bandit-compare-fig")])
    box.add_class("mlsd-bandit-compare")
    return box
