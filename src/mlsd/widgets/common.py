"""Pieces every widget shares: a message line, labelled controls, timing-friendly updates."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

import ipywidgets as W
import plotly.graph_objects as go

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
    """
    widget = go.FigureWidget(fig)
    widget.add_class(css)
    return widget
