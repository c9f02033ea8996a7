"""No widget text is cut, and no chart text is outside its figure or on top of other text, in
JupyterLab and in presenter mode (Voila) at a 1366x768 screen, for every registered widget.

Text a learner reads in a widget: labels and descriptions, slider readouts, button and
toggle-button captions, checkbox labels. One is cut when its box is narrower than its text
(``scrollWidth > clientWidth``: the browser clips it or draws an ellipsis). Chart text:
titles, axis titles, tick labels, annotations and point labels of every plotly chart. One is
misplaced when its box reaches outside the figure's own SVG (the page cuts it there), and two
overprint when their boxes overlap.
"""

from __future__ import annotations

import pytest

from tests.browser import harness
from tests.browser.registry import sections, widget_params

PARAMS = widget_params()
IDS = [f"{s}-{w}" for s, w in PARAMS]
SCREEN = {"width": 1366, "height": 768}
pytestmark = pytest.mark.browser

# Returns one sentence per problem found under ``root`` (a widget's container).
CUT_TEXT = r"""
const problems = [];
const shown = el => !!el.offsetParent && getComputedStyle(el).visibility !== 'hidden';
const textOf = el => (el.textContent || '').trim().replace(/\s+/g, ' ');
const controls = root.querySelectorAll(
  '.widget-label, .widget-label-basic, .widget-readout, .widget-button, ' +
  '.widget-toggle-button, .widget-checkbox label, .widget-inline-hbox > label');
for (const el of controls) {
  if (!shown(el) || !textOf(el) || el.clientWidth === 0) continue;
  const style = getComputedStyle(el);
  if (el.scrollWidth > el.clientWidth + 1) {
    const how = style.textOverflow === 'ellipsis' ? 'ends in an ellipsis' : 'is clipped';
    problems.push(`"${textOf(el)}" (${el.className.split(' ')[0]}) ${how}: ` +
                  `${el.scrollWidth} px of text in ${el.clientWidth} px`);
  }
}
const CHART_TEXT = '.gtitle, .g-xtitle text, .g-ytitle text, .g-x2title text, .g-y2title text, ' +
  '.xtick text, .ytick text, .x2tick text, .y2tick text, .annotation-text, .textpoint text, ' +
  '.legendtext';
for (const plot of root.querySelectorAll('.js-plotly-plot')) {
  const svg = plot.querySelector('.main-svg');
  if (!svg || !shown(plot)) continue;
  const fig = svg.getBoundingClientRect();
  const title = (plot.querySelector('.gtitle') || {}).textContent || '';
  if (!title) {  // every course chart has a title: this one was drawn without its figure
    problems.push(`a chart is drawn empty (no title, default axes): its figure did not load`);
    continue;
  }
  const texts = [...plot.querySelectorAll(CHART_TEXT)]
    .filter(t => textOf(t) && getComputedStyle(t).display !== 'none' &&
                 getComputedStyle(t).opacity !== '0')
    .map(t => ({text: textOf(t), box: t.getBoundingClientRect(),
                kind: t.closest('.xtick, .ytick, .x2tick, .y2tick') ? 'tick' : 'label'}))
    .filter(t => t.box.width > 0 && t.box.height > 0);
  for (const t of texts) {
    const out = t.box.left < fig.left - 1 || t.box.right > fig.right + 1 ||
                t.box.top < fig.top - 1 || t.box.bottom > fig.bottom + 1;
    if (out) problems.push(`chart "${title}": "${t.text}" reaches outside the figure`);
  }
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i].box, b = texts[j].box;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      // Glyph boxes include line spacing: overlaps under 2 px are not visible.
      if (w > 2 && h > 2) {
        problems.push(`chart "${title}": "${texts[i].text}" overlaps "${texts[j].text}"`);
      }
    }
  }
}
return problems;
"""


def _cut_text(page, css: str) -> list[str]:
    page.set_viewport_size(SCREEN)
    try:
        page.locator(f".{css}").first.scroll_into_view_if_needed()
        page.wait_for_timeout(400)  # charts and flex boxes re-lay out after a resize
        return page.evaluate(
            "([css, body]) => new Function('root', body)(document.querySelector(css))",
            [f".{css}", CUT_TEXT],
        )
    finally:
        page.set_viewport_size(harness.VIEWPORT)


@pytest.mark.parametrize(("section", "name"), PARAMS, ids=IDS)
def test_no_text_is_cut_in_jupyterlab(lab, section, name):
    widget = sections()[section].widget(name)
    problems = _cut_text(lab(section).page, widget.css)
    assert problems == [], f"{section}/{name} in JupyterLab at 1366x768:\n" + "\n".join(problems)


@pytest.mark.parametrize(("section", "name"), PARAMS, ids=IDS)
def test_no_text_is_cut_in_presenter_mode(voila, section, name):
    widget = sections()[section].widget(name)
    problems = _cut_text(voila(section).page, widget.css)
    assert problems == [], f"{section}/{name} in Voila at 1366x768:\n" + "\n".join(problems)
