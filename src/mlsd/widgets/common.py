"""Pieces every widget shares: a message line, labelled controls, timing-friendly updates."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from contextlib import contextmanager

import ipywidgets as W
import plotly.graph_objects as go
from traitlets import Tuple, observe, validate

# Set (by ``mlsd present``) to the URL path of plotly's widget bundle served next to the
# notebook; see ``live_figure``.
FIGURE_BUNDLE_ENV = "MLSD_FIGURE_BUNDLE_URL"

# Wide descriptions so labels are readable on a projector and by screen readers.
LABEL_STYLE = {"description_width": "initial"}
WIDE = W.Layout(width="min(100%, 560px)")


def slider(description: str, value, low, high, step, *, css: str, tooltip: str = "", **kw):
    """A float slider with a descriptive label, a tooltip and a CSS class tests can select."""
    cls = (
        W.IntSlider
        if all(isinstance(v, int) for v in (value, low, high, step))
        else (W.FloatSlider)
    )
    control = cls(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        tooltip=tooltip or description,
        style=LABEL_STYLE,
        layout=WIDE,
        continuous_update=True,
        **kw,
    )
    control.add_class(css)
    return control


class ToggleSet(W.HBox):
    """Several on/off buttons with one ``value``: the tuple of the options switched on.

    A replacement for ``SelectMultiple``, whose multiple choice needs Ctrl-click (nobody
    guesses it, and a touch screen has no Ctrl). Each option is a ``ToggleButton`` pressed
    with a click, Space or Enter. ``value`` keeps the options' order whatever the order of
    the presses, and can be observed like any widget's value.
    """

    value = Tuple()

    def __init__(self, options, value=(), description: str = "", tooltips=None, **kwargs):
        self.options = tuple(options)  # (label, value) pairs
        tooltips = list(tooltips or [label for label, _ in self.options])
        self.buttons = [
            W.ToggleButton(
                description=label,
                tooltip=tip,
                value=option in tuple(value),
                layout=W.Layout(width="auto"),
            )
            for (label, option), tip in zip(self.options, tooltips, strict=True)
        ]
        children = ([W.Label(description)] if description else []) + self.buttons
        super().__init__(children, **kwargs)
        self.description = description
        self._syncing = False
        self.value = self._pressed()
        for button in self.buttons:
            button.observe(self._pressed_changed, names="value")

    def _pressed(self) -> tuple:
        return tuple(o for (_, o), b in zip(self.options, self.buttons, strict=True) if b.value)

    def _pressed_changed(self, _change) -> None:
        if not self._syncing:
            self.value = self._pressed()

    @validate("value")
    def _ordered(self, proposal) -> tuple:
        wanted = set(proposal["value"])
        known = [o for _, o in self.options]
        unknown = wanted - set(known)
        if unknown:
            raise ValueError(
                f"value must hold options among {known}; got {sorted(unknown, key=str)}."
            )
        return tuple(o for o in known if o in wanted)

    @observe("value")
    def _value_set(self, change) -> None:
        self._syncing = True
        try:
            for (_, option), button in zip(self.options, self.buttons, strict=True):
                button.value = option in change["new"]
        finally:
            self._syncing = False


class MessageLine:
    """One line under a widget: errors from core functions appear here, never as tracebacks."""

    def __init__(self, css: str):
        self.widget = W.HTML(value="")
        self.widget.add_class(css)
        self.widget.add_class("mlsd-message")

    @property
    def value(self) -> str:
        return self.widget.value

    def clear(self) -> None:
        self.widget.value = ""

    def error(self, text: str) -> None:
        self.widget.value = f'<span style="color:#b00020" role="alert">⚠ {_escape(text)}</span>'

    def info(self, text: str) -> None:
        self.widget.value = f"<span>{_escape(text)}</span>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@contextmanager
def errors_to(message: MessageLine):
    """Run a callback body; a ValueError becomes the message line instead of a traceback."""
    message.clear()
    try:
        yield
    except ValueError as exc:
        message.error(str(exc))


def observe_all(controls, callback: Callable[[], None]) -> None:
    """Call ``callback()`` whenever any control's value changes."""
    for control in controls:
        control.observe(lambda _change: callback(), names="value")


def live_figure(fig: go.Figure, css: str) -> go.FigureWidget:
    """Turn a figure whose opening state is complete into the widget to display.

    Why: updates made to a FigureWidget before the browser shows it are lost (Voila) or
    mis-applied (JupyterLab drops the traces the update did not touch). So a widget draws
    its opening state on a plain ``go.Figure`` with the same ``update()`` it uses later,
    and wraps the result last.

    Presenter mode (Voila) also sets ``MLSD_FIGURE_BUNDLE_URL``: every figure then loads
    plotly's 5 MB widget bundle from that one URL, so the browser fetches and parses it
    once per page. Otherwise each figure evaluates its own copy, and with five or six
    charts appearing at once anywidget's 2-second start-up limit passes; a model that
    misses it ignores every later update (its charts freeze, the page logs
    "[anywidget] Failed to initialize model.").
    """
    url = os.environ.get(FIGURE_BUNDLE_ENV)
    widget = (_shared_bundle_figure(url) if url else LiveFigureWidget)(fig)
    widget.add_class(css)
    return widget


class LiveFigureWidget(go.FigureWidget):
    """A FigureWidget that takes no property "defaults" back from the browser.

    After each redraw plotly.js reports the values it filled in, and plotly's Python side
    then deletes from the figure every property that also appears in that report. In
    JupyterLab the report after a restyle holds whole data arrays, so untouched traces lost
    their ``x``/``y`` (the chooser's five candidate dots vanished after its second update,
    and later updates went to the wrong state). Our widgets never read plotly.js defaults,
    so the reports are only acknowledged, which keeps plotly's edit bookkeeping intact.
    """

    @observe("_js2py_traceDeltas")
    def _handler_js2py_traceDeltas(self, change):
        message = change["new"]
        if not message:
            return
        if message["trace_edit_id"] == self._last_trace_edit_id:
            self._trace_edit_in_process = False
            self._run_waiting_callbacks()
        self._js2py_traceDeltas = None

    @observe("_js2py_layoutDelta")
    def _handler_js2py_layoutDelta(self, change):
        message = change["new"]
        if not message:
            return
        if message["layout_edit_id"] == self._last_layout_edit_id:
            self._layout_edit_in_process = False
            self._run_waiting_callbacks()
        self._js2py_layoutDelta = None

    def _run_waiting_callbacks(self) -> None:
        if not (self._trace_edit_in_process or self._layout_edit_in_process):
            while self._waiting_edit_callbacks:
                self._waiting_edit_callbacks.pop()()


@functools.cache
def _shared_bundle_figure(url: str) -> type[go.FigureWidget]:
    """A FigureWidget whose front-end code is a two-line loader of the bundle at ``url``."""
    loader = (
        f"const bundle = await import(new URL({json.dumps(url)}, document.baseURI).href);\n"
        "export default bundle.default;\n"
    )
    return type("FigureWidget", (LiveFigureWidget,), {"_esm": loader, "__module__": __name__})
