"""Accessibility of every registered widget, checked on the Python objects (no browser):
every control has a descriptive label, every chart a title and axis titles with units, and
the chart colours stay apart under simulated colour-vision deficiencies.

Keyboard access is tested in the browser: every step in tests/browser/sections/ is a key
press (test_lab.py and test_presenter.py)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import ipywidgets as W
import nbformat
import numpy as np
import plotly.colors
import plotly.graph_objects as go
import pytest

from tests.browser.registry import sections, widget_params

ROOT = Path(__file__).resolve().parents[2]
PARAMS = widget_params()
IDS = [f"{s}-{w}" for s, w in PARAMS]
OUTPUTS = (W.HTML, W.HTMLMath, W.Label, W.Output, W.Box, W.Image)
SAFE = {re.sub(r"\s", "", c) for c in plotly.colors.qualitative.Safe}
# Machado, Oliveira & Fernandes (2009) full-severity simulation matrices, linear RGB.
CVD = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}
MIN_DELTA_E = 10.0  # CIE76 distance between two series' colours after simulation


def build(section, name):
    return sections()[section].widget(name).factory()


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def figures(obj):
    return [w for w in walk(obj.container) if isinstance(w, go.FigureWidget)]


def test_every_course_section_registers_its_widgets():
    course = sorted(p.name for p in (ROOT / "course").iterdir() if any(p.glob("*.ipynb")))
    missing = sorted(set(course) - set(sections()))
    files = [f"tests/browser/sections/s{name.replace('-', '_')}.py" for name in missing]
    assert missing == [], (
        f"course sections without browser tests: {missing}; add "
        + ", ".join(files)
        + " (copy tests/browser/sections/s06_tradeoffs.py; see tests/browser/registry.py)"
    )


@pytest.mark.parametrize("section", list(sections()))
def test_registry_lists_every_widget_the_notebook_displays(section):
    path = next((ROOT / "course" / section).glob("*.ipynb"))
    shown = [
        line
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if re.fullmatch(r"\s*\w+\.container\s*", line)
    ]
    assert len(shown) == len(sections()[section].widgets), (
        f"{section} displays {len(shown)} widgets ({shown}) but registers "
        f"{[w.name for w in sections()[section].widgets]}"
    )


@pytest.mark.parametrize(("section", "name"), PARAMS, ids=IDS)
def test_every_control_has_a_descriptive_label(section, name):
    obj = build(section, name)
    controls = [
        w
        for w in walk(obj.container)
        if isinstance(w, W.DOMWidget) and not isinstance(w, (*OUTPUTS, go.FigureWidget))
    ]
    assert controls, f"{name}: no controls"
    bad = [
        type(w).__name__
        for w in controls
        if len((getattr(w, "description", "") or getattr(w, "tooltip", "") or "").strip()) < 3
    ]
    assert bad == [], f"{name}: controls without a label: {bad}"


def _axes(fig):
    layout = fig.layout.to_plotly_json()
    for key, axis in layout.items():
        if re.fullmatch(r"[xy]axis\d*", key) and axis.get("visible", True) is not False:
            yield key, axis


@pytest.mark.parametrize(("section", "name"), PARAMS, ids=IDS)
def test_every_chart_has_a_title_and_axis_titles_with_units(section, name):
    figs = figures(build(section, name))
    declared = sections()[section].widget(name).figures
    if not figs:  # a quiz or a text check has no chart; then it must register none either
        assert declared == (), f"{name}: registers charts {declared} but builds none"
        return
    for fig in figs:
        assert (fig.layout.title.text or "").strip(), f"{name}: a chart without a title"
        cartesian = [t for t in fig.data if hasattr(t, "x")]  # a radar (Scatterpolar) has r/theta
        numeric = {t.xaxis or "x" for t in cartesian if _is_numeric(t.x)} | {
            t.yaxis or "y" for t in cartesian if _is_numeric(t.y)
        }
        for key, axis in _axes(fig):
            title = (axis.get("title") or {}).get("text", "")
            assert title.strip(), f"{name}: {key} has no title"
            short = key[0] + key[5:]  # xaxis2 -> x2
            if short in numeric:
                assert re.search(r"\(.+\)", title), f"{name}: {key} title {title!r} has no unit"


def _is_numeric(values) -> bool:
    if values is None or len(values) == 0:
        return False
    return all(isinstance(v, (int, float, np.number)) for v in list(values)[:5])


def _rgb(colour: str) -> tuple[float, float, float] | None:
    colour = colour.strip()
    if colour.startswith("#") and len(colour) == 7:
        return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    m = re.fullmatch(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*[\d.]+)?\)", colour)
    return tuple(float(m.group(i)) / 255 for i in (1, 2, 3)) if m else None


def _grey(rgb) -> bool:
    return max(rgb) - min(rgb) < 0.03


def _series(fig) -> list[tuple[tuple, str]]:
    """(style, colour) per trace and colour: style = (mode, dash, symbol), the cues other
    than colour that tell two series apart."""
    out = []
    for trace in fig.data:
        line = getattr(trace, "line", None)
        marker = getattr(trace, "marker", None)
        style = (
            getattr(trace, "type", ""),
            getattr(trace, "mode", None),
            getattr(line, "dash", None) if line is not None else None,
            getattr(marker, "symbol", None) if marker is not None else None,
        )
        for part in (marker, line):
            value = getattr(part, "color", None) if part is not None else None
            values = value if isinstance(value, (list, tuple)) else [value]
            out += [(style, v) for v in values if isinstance(v, str)]
    return out


def _lab(rgb):
    c = np.asarray(rgb, dtype=float)
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin


def _to_lab(lin):
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ np.clip(lin, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize(("section", "name"), PARAMS, ids=IDS)
def test_chart_colours_are_colourblind_safe(section, name):
    for fig in figures(build(section, name)):
        series = _series(fig)
        colours = {c: _rgb(c) for _, c in series}
        unknown = [c for c, rgb in colours.items() if rgb is None]
        assert unknown == [], f"{name}: colours the test cannot read: {unknown}"
        hues = {c for c, rgb in colours.items() if not _grey(rgb)}
        off_palette = sorted(c for c in hues if re.sub(r"\s", "", _as_rgb_text(c)) not in SAFE)
        assert off_palette == [], f"{name}: colours outside plotly's Safe palette: {off_palette}"
        # Series told apart by colour alone (same mode, dash and symbol) must stay apart.
        pairs = {
            tuple(sorted((a, b)))
            for (sa, a), (sb, b) in itertools.combinations(series, 2)
            if sa == sb and a != b
        }
        for kind, matrix in CVD.items():
            for a, b in sorted(pairs):
                la = _to_lab(np.asarray(matrix) @ _lab(colours[a]))
                lb = _to_lab(np.asarray(matrix) @ _lab(colours[b]))
                delta = float(np.linalg.norm(la - lb))
                assert delta >= MIN_DELTA_E, (
                    f"{name}: {a} and {b} look alike under {kind} (ΔE {delta:.1f})"
                )


def _as_rgb_text(colour: str) -> str:
    rgb = _rgb(colour)
    return "rgb({}, {}, {})".format(*(round(v * 255) for v in rgb))
