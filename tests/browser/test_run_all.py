"""Run All in JupyterLab on every released section, in headless Chromium (issue 11, items 2-3).

What is proven here, not assumed:
- JupyterLab 4's Run All continues past a failing cell tagged ``raises-exception`` (the tag
  ``mlsd build-course`` puts on every check cell) and reaches the last cell of each section,
  with every widget rendered: ``test_lab.py`` runs every released section that way (its pages
  are opened by Run All), and the harness's own tagging is a no-op on the release (tested
  below), so what it runs is exactly what learners get.
- The control: the same section with the tags removed stops at its first check, so the tag,
  not luck, is what carries Run All to the end.
- Every check outcome block (not attempted, incorrect, passed) and the one-line error under a
  failed check read at WCAG AA contrast (>= 4.5:1) in JupyterLab's light and dark themes,
  measured on the computed colours of every text element against the background it is drawn
  on (the first non-transparent background among its ancestors, page colour last).
"""

from __future__ import annotations

import nbformat
import pytest

from mlsd import present
from tests.browser import harness
from tests.browser.registry import sections

pytestmark = pytest.mark.browser
WCAG_AA = 4.5
CONTROL = "control-untagged"
PROBE = "probe-outcomes"

# Run All is "done" when the kernel is idle again and the notebook has stopped changing.
KERNEL_IDLE = "() => /ipykernel\\)?\\s*\\|\\s*Idle/.test(document.body.innerText)"
PROMPTS = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')].map(cell => {
  const prompt = cell.querySelector('.jp-InputPrompt');
  return (prompt ? prompt.textContent : '').trim();
})"""
# Contrast of every text-bearing element inside ``css``: its colour against the background it
# is drawn on (alpha blended over the ancestors' backgrounds, the page colour at the bottom).
CONTRASTS = """(css) => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1});
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let colour = {r: 255, g: 255, b: 255, a: 1};
    const page = parse(getComputedStyle(document.body).backgroundColor);
    if (page && page.a > 0) colour = over(page, colour);
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const out = [];
  for (const root of document.querySelectorAll(css)) {
    for (const el of [root, ...root.querySelectorAll('*')]) {
      const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      const bg = background(el);
      const fg = over(parse(getComputedStyle(el).color), bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      out.push({text: el.textContent.trim().slice(0, 60), ratio: (hi + 0.05) / (lo + 0.05)});
    }
  }
  return out;
}"""
BLOCKS = ".mlsd-check"
ERROR_LINES = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"


def _probe_notebook() -> nbformat.NotebookNode:
    """One check of each outcome, tagged as the build tags check cells."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cells = [
        "from mlsd.checks import Case, run_cases",
        "run_cases('choose_model', lambda x: x + 1, [Case((1,), 2, 'one more.')])",
        "def stub(x):\n    raise NotImplementedError\n"
        "run_cases('choose_model', stub, [Case((1,), 2, 'one more.')])",
        "run_cases('choose_model', lambda x: x, [Case((1,), 2, 'one more.')],\n"
        "          likely_cause=lambda case, actual: 'you returned the input.')",
        "print('the end')",
    ]
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    for cell in nb.cells[1:4]:
        cell.metadata["tags"] = ["raises-exception"]
    return nb


def _untagged(section: str) -> nbformat.NotebookNode:
    nb = nbformat.read(present.section_notebook(section, harness.ROOT), as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("tags", None)
    return nb


@pytest.fixture(scope="module")
def lab_server():
    names = list(sections())
    server = harness.start_lab(names)
    root = server.home / "notebooks"
    # Served by the same JupyterLab: the probe and the control (first section, untagged).
    extra = {PROBE: (_probe_notebook(), "probe.ipynb"), CONTROL: (_untagged(names[0]), None)}
    for key, (nb, name) in extra.items():
        name = name or f"untagged-{present.section_notebook(names[0], harness.ROOT).name}"
        target = root / names[0] / name
        nbformat.write(nb, target)
        server.notebooks[key] = f"/lab/tree/{names[0]}/{name}"
    yield server
    server.stop()


@pytest.fixture(scope="module")
def opened(chrome, lab_server):
    pages = {}

    def get(key: str):
        if key not in pages:
            watch = harness.PageWatch()
            page = harness.new_page(chrome, watch)
            page.goto(lab_server.url(key), wait_until="domcontentloaded", timeout=60_000)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
            page.wait_for_function(KERNEL_IDLE, timeout=60_000)
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            pages[key] = (page, watch)
        return pages[key]

    def close(key: str) -> None:
        """Shut the page's kernel down and close it (nine kernels at once would crowd 2 cores)."""
        page, _watch = pages.pop(key)
        page.evaluate(
            "async () => { await window.jupyterapp.serviceManager.sessions.shutdownAll(); }"
        )
        page.context.close()

    get.close = close
    yield get
    for key in list(pages):
        close(key)


def _settle(page, predicate: str, timeout_ms: int = harness.RUN_TIMEOUT_MS) -> list[str]:
    """Wait for ``predicate`` over the prompts, then for the kernel to be idle; the prompts."""
    page.wait_for_function(f"() => ({predicate})(({PROMPTS})())", timeout=timeout_ms, polling=250)
    page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)
    return page.evaluate(PROMPTS)


def test_the_lab_serves_the_release_unchanged():
    # The harness tags check cells for older releases; on today's release that is a no-op,
    # so what runs below is exactly what learners get.
    for section in sections():
        path = present.section_notebook(section, harness.ROOT)
        assert harness.lab_notebook(path) == nbformat.read(path, as_version=4), section


def test_without_the_tag_run_all_stops_at_the_first_check(opened):
    page, _watch = opened(CONTROL)
    # Wait until the first check has run (a block appears), then for the kernel to settle.
    page.wait_for_selector(BLOCKS, timeout=harness.RUN_TIMEOUT_MS)
    page.wait_for_function(KERNEL_IDLE, timeout=harness.RUN_TIMEOUT_MS)
    page.wait_for_timeout(1500)  # nothing more may start: Run All has been cancelled
    prompts = page.evaluate(PROMPTS)
    ran = [bool(any(ch.isdigit() for ch in p)) for p in prompts]
    assert ran[0] and not ran[-1], prompts
    assert page.locator(BLOCKS).count() == 1
    opened.close(CONTROL)


def _contrasts(page) -> list[dict]:
    return page.evaluate(CONTRASTS, f"{BLOCKS}, {ERROR_LINES}")


def _switch_theme(page, theme: str, light: bool) -> None:
    page.evaluate(
        "(theme) => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", theme
    )
    page.wait_for_function(
        f"() => document.body.dataset.jpThemeLight === '{str(light).lower()}'", timeout=30_000
    )
    page.wait_for_timeout(500)  # the theme's stylesheet applies after the attribute


@pytest.mark.parametrize(
    ("theme", "light"), [("JupyterLab Light", True), ("JupyterLab Dark", False)]
)
def test_every_outcome_reads_at_wcag_aa_in_light_and_dark_themes(opened, theme, light):
    page, _watch = opened(PROBE)
    _settle(page, "p => p.length === 5 && /\\[\\d+\\]/.test(p[4])")
    _switch_theme(page, theme, light)
    headings = page.locator(f"{BLOCKS} .mlsd-check-heading").all_text_contents()
    assert [h.split(" (")[0] for h in headings] == [
        "Visible checks passed",
        "Not attempted yet",
        "Incorrect",
    ]
    measured = _contrasts(page)
    texts = " ".join(m["text"] for m in measured)
    assert "Likely cause" in texts and 'hint("choose_model", 1)' in texts
    assert "the reason is in the box above" in texts  # the short error lines were measured
    low = [m for m in measured if m["ratio"] < WCAG_AA]
    assert low == [], f"{theme}: text below {WCAG_AA}:1: {low}"
    print(
        f"{theme}: lowest contrast {min(m['ratio'] for m in measured):.2f}:1 over {len(measured)}"
    )
