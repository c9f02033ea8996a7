"""Pieces every widget shares: a message line, labelled controls, timing-friendly updates."""

from __future__ import annotations

import contextlib
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
# Pixels between an x axis and its tick labels (plotly's ``ticklabelstandoff``) where both
# axes have a tick at the lower-left corner ("0" and "0"): the y label is centred on the
# axis line, so its lower half overprints the x label unless the x labels sit this much lower.
CORNER_TICK_STANDOFF = 8


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


# The presenter's figure code: plotly's widget from the shared bundle, plus a width that
# follows the page. Plotly's anywidget view draws as soon as it is created; when the page has
# not laid the chart's box out yet (a busy machine, a slow Voila page) plotly.js falls back to
# its 700 px default, and outside JupyterLab nothing tells the view about a resize later (its
# resize hook is JupyterLab's Lumino messages). Titles then overran narrow charts and labels
# overprinted. The view is redrawn at its box's width (the computed width plotly.js itself
# reads) after it draws, when its box changes size and when the window does; charts with a
# fixed width are left alone, as plotly's own hook does. A chart gets at most two redraws per
# window resize (and two at the start), so a box whose width depends on the chart's own width
# settles instead of redrawing forever.
_FIGURE_LOADER = """\
const bundle = await import(new URL(%s, document.baseURI).href);
const plotly = bundle.default();
const REDRAWS = 2;
function render(view) {
  const remove = plotly.render(view);
  let redraws = REDRAWS, timer = null;
  const fitWidth = () => {
    const width = parseFloat(getComputedStyle(view.el).width);
    const drawn = view.el._fullLayout && view.el._fullLayout.width;
    const fixed = (view.model.get("_widget_layout") || {}).width;
    if (redraws > 0 && width > 0 && drawn && !fixed && Math.abs(width - drawn) > 1 &&
        window.Plotly) {
      redraws -= 1;
      window.Plotly.Plots.resize(view.el);
    }
  };
  const observer = new ResizeObserver(fitWidth);
  observer.observe(view.el);
  const afterDraw = (event) => { if (event.detail.element === view.el) fitWidth(); };
  document.addEventListener("plotlywidget-after-render", afterDraw);
  const onWindowResize = () => {
    clearTimeout(timer);
    timer = setTimeout(() => { redraws = REDRAWS; fitWidth(); }, 100);
  };
  window.addEventListener("resize", onWindowResize);
  return () => {
    observer.disconnect();
    clearTimeout(timer);
    document.removeEventListener("plotlywidget-after-render", afterDraw);
    window.removeEventListener("resize", onWindowResize);
    if (remove) remove();
  };
}
export default { initialize: plotly.initialize, render };
"""


@functools.cache
def _shared_bundle_figure(url: str) -> type[go.FigureWidget]:
    """A FigureWidget whose front-end code loads the bundle at ``url`` (see above)."""
    loader = _FIGURE_LOADER % json.dumps(url)
    return type("FigureWidget", (LiveFigureWidget,), {"_esm": loader, "__module__": __name__})


# --- a static picture of a widget, for pages that run no scripts --------------------------------
#
# A displayed widget's output holds only a pointer to a live model in the kernel, plus a
# ``text/plain`` repr (``VBox(children=(ToggleButtons(...``). Pages made from an executed
# notebook (nbgrader feedback, nbconvert HTML) have no kernel and must run no scripts, so
# they used to show that repr. Every widget's output now also carries a ``text/html`` picture
# of the widget as it was when displayed: labels with their values, buttons, messages, chart
# titles and data. JupyterLab and Voila still draw the live widget (their widget renderer
# ranks above ``text/html``); nbconvert, which cannot draw widgets without saved state, uses
# the picture. Everything in it is escaped or sanitised: a learner's typed text is data.

STATIC_CLASS = "mlsd-static-widget"
STATIC_NOTE = (
    "Interactive widget, shown as it was when its cell ran. Open the notebook in "
    "JupyterLab to use it."
)
_SAFE_TAGS = {
    "b", "i", "em", "strong", "span", "div", "p", "br", "code", "pre", "small", "sub", "sup",
    "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "h1", "h2", "h3", "h4",
}  # fmt: skip
_MAX_DEPTH = 12
_MAX_TABLE_POINTS = 20


def static_html(widget) -> str:
    """A script-free HTML picture of ``widget`` (and its children) in its current state."""
    body = _static(widget, 0)
    return (
        f'<div class="{STATIC_CLASS}" style="border:1px solid #9e9e9e;border-radius:4px;'
        'padding:6px 10px;margin:4px 0;background:#fafafa;color:#212121">'
        f'<div style="font-size:85%;color:#424242;margin-bottom:4px">{_escape(STATIC_NOTE)}'
        f"</div>{body}</div>"
    )


def _sanitized(markup: str) -> str:
    """HTML from a widget's value with only harmless tags kept (no attributes, no scripts)."""
    import bleach

    return bleach.clean(markup, tags=_SAFE_TAGS, attributes={}, strip=True)


def _hidden(widget) -> bool:
    layout = getattr(widget, "layout", None)
    if not isinstance(layout, W.Layout):  # a FigureWidget's layout is plotly's
        return False
    return layout.display == "none" or layout.visibility == "hidden"


def _shown_value(widget) -> str:
    if isinstance(widget, W.Checkbox | W.ToggleButton):
        return "☑ yes" if widget.value else "☐ no"
    label = getattr(widget, "label", None)  # selection widgets show labels, not values
    if label is not None and not isinstance(widget, W.Button):
        return ", ".join(map(str, label)) if isinstance(label, tuple) else str(label)
    value = getattr(widget, "value", "")
    if value is None:
        return "(none chosen)"
    fmt = getattr(widget, "readout_format", None)
    if fmt and isinstance(value, int | float):
        try:
            return format(value, fmt)
        except (ValueError, TypeError):
            pass
    if isinstance(value, tuple):
        return " – ".join(map(str, value))
    return str(value)


def _static(widget, depth: int) -> str:
    if depth > _MAX_DEPTH or _hidden(widget):
        return ""
    if isinstance(widget, go.FigureWidget):
        return _static_figure(widget)
    if isinstance(widget, W.Box):
        titles = list(getattr(widget, "titles", ()) or ())
        parts = []
        for index, child in enumerate(widget.children):
            inner = _static(child, depth + 1)
            if not inner:
                continue
            if index < len(titles) and titles[index]:
                inner = f"<div><b>{_escape(str(titles[index]))}</b></div>{inner}"
            parts.append(inner)
        row = isinstance(widget, W.HBox)
        style = "display:flex;flex-wrap:wrap;gap:4px 16px" if row else ""
        return f'<div style="{style}">{"".join(f"<div>{p}</div>" for p in parts)}</div>'
    if isinstance(widget, W.HTML | W.HTMLMath):
        return f"<div>{_sanitized(widget.value)}</div>" if widget.value.strip() else ""
    if isinstance(widget, W.Label):
        return f"<div>{_escape(widget.value)}</div>" if widget.value else ""
    if isinstance(widget, W.Button):
        return (
            '<span style="display:inline-block;border:1px solid #757575;border-radius:3px;'
            f'padding:0 8px">{_escape(widget.description)}</span>'
        )
    if isinstance(widget, W.Output):
        return "".join(_static_output(o) for o in widget.outputs)
    description = getattr(widget, "description", "")
    if hasattr(widget, "value"):
        name = f"<b>{_escape(description)}</b>: " if description else ""
        return f"<div>{name}{_escape(_shown_value(widget))}</div>"
    return f"<div>{_escape(description or type(widget).__name__)}</div>"


def _static_output(output: dict) -> str:
    if output.get("output_type") == "stream":
        text = output.get("text", "")
    else:
        text = (output.get("data") or {}).get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else str(text)
    return f"<pre>{_escape(text)}</pre>" if text.strip() else ""


def _title(obj) -> str:
    title = getattr(obj, "title", None)
    return str(getattr(title, "text", None) or "") if title is not None else ""


def _static_figure(fig) -> str:
    """A chart as text: its title, axis titles and each trace (small ones as a table)."""
    layout = fig.layout
    lines = [f"<div><b>Chart: {_escape(_title(layout) or 'untitled')}</b></div>"]
    axes = [
        f"{name}: {_escape(_title(layout[name]))}"
        for name in ("xaxis", "yaxis")
        if _title(layout[name])
    ]
    if axes:
        lines.append(f"<div>{'; '.join(axes)}</div>")
    for trace in fig.data:
        lines.append(_static_trace(trace))
    return f"<div>{''.join(lines)}</div>"


def _values(trace, name: str) -> list:
    values = getattr(trace, name, None)
    return [] if values is None or isinstance(values, str) else list(values)


def _static_trace(trace) -> str:
    xs, ys, texts = _values(trace, "x"), _values(trace, "y"), _values(trace, "text")
    name = _escape(str(trace.name or trace.type))
    head = f"<div>{name} ({_escape(trace.type)}, {max(len(xs), len(ys))} points)</div>"
    if not xs or not ys or len(xs) != len(ys) or len(xs) > _MAX_TABLE_POINTS:
        return head
    labels = texts if len(texts) == len(xs) else [""] * len(xs)
    rows = "".join(
        f"<tr><td>{_escape(_short(x))}</td><td>{_escape(_short(y))}</td>"
        f"<td>{_escape(str(t))}</td></tr>"
        for x, y, t in zip(xs, ys, labels, strict=True)
    )
    header = "<tr><th>x</th><th>y</th><th></th></tr>"
    return f'{head}<table style="font-size:85%">{header}{rows}</table>'


def _short(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _add_static_html(bundle, widget):
    """``bundle`` with a ``text/html`` picture of ``widget`` added (a widget output only)."""
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    if isinstance(data, dict) and "application/vnd.jupyter.widget-view+json" in data:
        with contextlib.suppress(Exception):  # a picture must never stop the live widget
            data.setdefault("text/html", static_html(widget))
    return bundle


def _install_static_html() -> None:
    """Give every ipywidget, and every FigureWidget made by ``live_figure``, the picture."""
    plain = W.Widget._repr_mimebundle_
    if getattr(plain, "_mlsd_static_html", False):
        return

    def _repr_mimebundle_(self, **kwargs):
        return _add_static_html(plain(self, **kwargs), self)

    _repr_mimebundle_._mlsd_static_html = True
    W.Widget._repr_mimebundle_ = _repr_mimebundle_

    figure_bundle = LiveFigureWidget._repr_mimebundle_

    def _figure_repr_mimebundle_(self, include=None, exclude=None, validate=True, **kwargs):
        bundle = figure_bundle(self, include=include, exclude=exclude, validate=validate, **kwargs)
        return _add_static_html(bundle, self)

    LiveFigureWidget._repr_mimebundle_ = _figure_repr_mimebundle_


_install_static_html()
