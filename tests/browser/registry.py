"""Which widgets each section shows, and how to drive them in a real browser.

Each section adds one module ``tests/browser/sections/sNN_topic.py`` that calls
``register(Section(...))``; every browser and accessibility test is parametrised over what
is registered here, so a new section is tested by adding that file (and a test fails when a
course/ section has no such file).

A widget is driven from the keyboard only (that doubles as the keyboard-access test): each
``Step`` focuses one control, presses one key, then waits until a JavaScript predicate on the
widget's container holds. The expected values in ``arg`` come from the *core* functions,
computed in the test process, so the browser must show what the core says.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Step:
    """Focus ``focus`` (CSS, inside the widget), press ``key``, then ``predicate`` must hold.

    ``key`` is a playwright key name, or a tuple of them pressed in turn (an item
    ``"text:..."`` types text), e.g. ``("Control+a", "text:5M", "Enter")`` for a text box.

    ``predicate`` is the body of a JavaScript function of ``(root, arg)``, where ``root`` is
    the widget's container element; ``describe`` says what the step shows a learner."""

    describe: str
    focus: str
    key: str | tuple[str, ...]
    predicate: str
    arg: Any = None


class Page:
    """What a step generator may ask of the page (read-only): run JS on the widget root."""

    def __init__(self, page, root_css: str):
        self._page, self.root_css = page, root_css

    def js(self, body: str, arg: Any = None) -> Any:
        """Evaluate ``body`` (a JS function body of ``(root, arg)``) on the widget root."""
        return self._page.evaluate(
            "([css, body, arg]) => new Function('root', 'arg', body)"
            "(document.querySelector(css), arg)",
            [self.root_css, body, arg],
        )

    def page_js(self, body: str, arg: Any = None) -> Any:
        """Evaluate ``body`` (a JS function body of ``(doc, arg)``) on the whole document."""
        return self._page.evaluate(
            "([body, arg]) => new Function('doc', 'arg', body)(document, arg)", [body, arg]
        )


@dataclass(frozen=True)
class Widget:
    """One widget of a section notebook.

    ``css``: the class on its ``container``; ``factory``: builds it in Python (labels, chart
    titles and colours are checked on it); ``steps(page)``: yields the keyboard steps, and
    may read the page to compute what comes next; ``figures``: CSS classes of its charts."""

    name: str
    css: str
    factory: Callable[[], Any]
    steps: Callable[[Page], Iterator[Step]]
    figures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A section (``NN-topic``, the folder under course/) and its widgets in notebook order.

    ``main``: the widget shown in the README's screenshot."""

    name: str
    widgets: tuple[Widget, ...]
    main: str
    presenter_exercises: tuple[str, ...] = field(default=())

    def widget(self, name: str) -> Widget:
        return next(w for w in self.widgets if w.name == name)

    def figures(self) -> list[str]:
        """CSS classes of every chart of the section's widgets, each once, in notebook order."""
        return list(dict.fromkeys(fig for widget in self.widgets for fig in widget.figures))


SECTIONS: dict[str, Section] = {}


def register(section: Section) -> Section:
    if section.name in SECTIONS:
        raise ValueError(f"section {section.name!r} is registered twice")
    if section.main not in {w.name for w in section.widgets}:
        raise ValueError(f"{section.name}: main widget {section.main!r} is not registered")
    SECTIONS[section.name] = section
    return section


def sections() -> dict[str, Section]:
    """Every registered section (imports each module in tests/browser/sections/)."""
    from tests.browser import sections as package

    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")
    return dict(sorted(SECTIONS.items()))


def widget_params() -> list[tuple[str, str]]:
    """(section, widget) pairs for ``pytest.mark.parametrize``."""
    return [(s.name, w.name) for s in sections().values() for w in s.widgets]


# --- predicate helpers (JS bodies) --------------------------------------------------------------

TEXT_INCLUDES = """
const el = root.querySelector(arg.css);
return !!el && arg.texts.every(t => el.textContent.includes(t));
"""


def text_includes(css: str, *texts: str) -> tuple[str, dict]:
    return TEXT_INCLUDES, {"css": css, "texts": list(texts)}


def js_all(*parts: tuple[str, dict]) -> tuple[str, list]:
    """A predicate that holds when every (body, arg) part holds."""
    body = "return arg.every(([b, a]) => new Function('root', 'arg', b)(root, a));"
    return body, [list(p) for p in parts]
