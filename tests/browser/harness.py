"""Real-browser plumbing shared by the browser tests and bench/bench_browser.py.

Servers (JupyterLab, and Voila through ``mlsd present``) run on free loopback ports with
their own Jupyter config, settings and runtime folders, in their own process group, and are
stopped (SIGTERM, then SIGKILL) on teardown. Chromium is Debian's ``/usr/bin/chromium``
driven by the Python playwright package.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from mlsd import kernels, present

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("MLSD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
INSTALL_HINT = (
    "The browser tests need Chromium at {path}. Install Debian's package with\n"
    "    sudo apt-get update && sudo apt-get install -y chromium\n"
    "(.ci/run does this in CI), or point MLSD_CHROMIUM at a Chromium binary. "
    "`playwright install` downloads are not used."
)
ARTIFACTS = ROOT / "tests" / "artifacts"
SCREENSHOTS = Path(os.environ.get("MLSD_SCREENSHOT_DIR", ARTIFACTS / "screenshots"))
VIEWPORT = {"width": 1280, "height": 900}
# Console noise that is not a failure: offline CDN fonts and Voila's version banner.
BENIGN_CONSOLE = (
    "Failed to load resource",
    "fontawesome",
    "cdnjs",
    "favicon",
    "ERR_NAME_NOT_RESOLVED",
    "ERR_INTERNET_DISCONNECTED",
)
STARTUP_TIMEOUT_S = 90.0
RUN_TIMEOUT_MS = 120_000
VOILA_LOG = "voila-server.log"  # kept by `mlsd present` (MLSD_PRESENT_LOG) in the server home


def chromium_missing_message() -> str | None:
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return None
    return INSTALL_HINT.format(path=CHROMIUM)


@contextlib.contextmanager
def browser() -> Iterator[object]:
    """A headless Chromium (fresh profile) from playwright; raises if Chromium is missing."""
    missing = chromium_missing_message()
    if missing:
        raise RuntimeError(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chrome = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield chrome
        finally:
            chrome.close()


# --- servers ------------------------------------------------------------------------------------


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    home: Path
    token: str = ""
    log: Path | None = None
    notebooks: dict[str, str] = field(default_factory=dict)  # section -> URL path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, section: str) -> str:
        path = self.notebooks[section]
        query = f"?reset&token={self.token}" if self.token else ""
        return f"{self.base}{path}{query}"

    def stop(self) -> None:
        present.stop(self.proc)
        shutil.rmtree(self.home, ignore_errors=True)


def _start(cmd, env, cwd, ready_path, home, log_name, attempts=3) -> tuple[subprocess.Popen, int]:
    """Start a server on a free port; retry on a port race; fail with the server's log."""
    last = ""
    for _ in range(attempts):
        port = present.free_port()
        log = home / log_name
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [part.replace("{port}", str(port)) for part in cmd],
                env=env,
                cwd=cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            present.wait_for_http(
                f"http://127.0.0.1:{port}{ready_path}", proc, timeout=STARTUP_TIMEOUT_S
            )
            return proc, port
        except RuntimeError as exc:
            present.stop(proc)
            last = f"{exc}\n--- {log_name} ---\n{log.read_text(errors='replace')[-3000:]}"
    raise RuntimeError(f"could not start {cmd[2:4]}: {last}")


def shut_down_kernels(server: Server) -> None:
    """Stop every kernel of a JupyterLab server (closing its page leaves them running)."""
    auth = {"Authorization": f"token {server.token}"}
    with urllib.request.urlopen(
        urllib.request.Request(f"{server.base}/api/kernels", headers=auth), timeout=30
    ) as response:
        kernels = json.load(response)
    for kernel in kernels:
        request = urllib.request.Request(
            f"{server.base}/api/kernels/{kernel['id']}", headers=auth, method="DELETE"
        )
        urllib.request.urlopen(request, timeout=30).close()


def lab_notebook(source: Path) -> nbformat.NotebookNode:
    """The course notebook as a learner opens it, with its check cells tagged
    ``raises-exception``: their "not attempted" errors must not stop Run All."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            tags = cell.metadata.setdefault("tags", [])
            if "raises-exception" not in tags:
                tags.append("raises-exception")
    return nb


def start_lab(sections: list[str], extra_env: dict[str, str] | None = None) -> Server:
    """JupyterLab on a copy of the sections' course notebooks (isolated settings);
    ``extra_env`` reaches the kernels (e.g. the mock interview's clock speed)."""
    home = Path(tempfile.mkdtemp(prefix="mlsd-lab-"))
    env = present.isolated_env(home) | (extra_env or {})
    settings = Path(env["JUPYTERLAB_SETTINGS_DIR"])
    # Render every cell (no virtual scrolling) and never ask about news or updates.
    for plugin, values in [
        ("@jupyterlab/notebook-extension/tracker", {"windowingMode": "none"}),
        (
            "@jupyterlab/apputils-extension/notification",
            {"fetchNews": "false", "checkForUpdates": False},
        ),
    ]:
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    notebooks_dir = home / "notebooks"
    paths = {}
    for section in sections:
        source = present.section_notebook(section, ROOT)
        target = notebooks_dir / section / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(lab_notebook(source), target)
        paths[section] = f"/lab/tree/{section}/{source.name}"
    token = secrets.token_hex(16)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        "--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={notebooks_dir}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True",
        *kernels.transport_args(env["JUPYTER_RUNTIME_DIR"]),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    proc, port = _start(cmd, env, notebooks_dir, f"/api/status?token={token}", home, "lab.log")
    return Server(proc, port, home, token, home / "lab.log", paths)


def _log_text(path: Path | None) -> str:
    return path.read_text(errors="replace") if path and path.exists() else "(none)"


def voila_log(server: Server) -> str:
    """Voila's own log of a presenter started here (kernel starts, deaths, restarts)."""
    return _log_text(server.home / VOILA_LOG)


def start_presenter(
    section: str, keep: tuple[str, ...] = (), extra_env: dict[str, str] | None = None
) -> Server:
    """Exactly what a presenter runs: ``mlsd present SECTION --port P --no-browser``."""
    home = Path(tempfile.mkdtemp(prefix="mlsd-voila-"))
    kept_log = {present.KEEP_LOG_ENV: str(home / VOILA_LOG)}
    env = present.isolated_env(home) | kept_log | (extra_env or {})
    cmd = [sys.executable, "-m", "mlsd.cli", "present", section, "--port={port}", "--no-browser"]
    if keep:
        cmd.append(f"--exercises={','.join(keep)}")
    cmd += ["--out", str(home / "notebook")]
    proc, port = _start(cmd, env, ROOT, "/__mlsd_ready", home, "voila.log")
    return Server(proc, port, home, "", home / "voila.log", {section: "/"})


# --- pages --------------------------------------------------------------------------------------


@dataclass
class PageWatch:
    """JavaScript errors and console errors seen by a page (benign offline noise dropped)."""

    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("console", self._console)

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        text = msg.text
        location = (msg.location or {}).get("url", "")
        if any(b in text or b in location for b in BENIGN_CONSOLE):
            return
        self.console_errors.append(text)

    def problems(self) -> list[str]:
        return [f"page error: {e}" for e in self.page_errors] + [
            f"console error: {e}" for e in self.console_errors
        ]


def new_page(chrome, watch: PageWatch):
    context = chrome.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30_000)
    watch.attach(page)
    return page


def open_lab_and_run_all(page, server: Server, section: str) -> float:
    """Open the section in JupyterLab, wait for the kernel, Run All; return seconds taken."""
    start = time.perf_counter()
    page.goto(server.url(section), wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    # Idle is shown before a kernel exists; wait for the kernel's own name first.
    page.wait_for_function(
        "() => /ipykernel\\)?\\s*\\|\\s*Idle/.test(document.body.innerText)", timeout=60_000
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=RUN_TIMEOUT_MS,
    )
    return time.perf_counter() - start


def open_voila(page, server: Server, section: str, ready_css: str) -> float:
    """Open the presenter page and wait until ``ready_css`` (the last widget) is visible."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    start = time.perf_counter()
    page.goto(server.url(section), wait_until="domcontentloaded", timeout=RUN_TIMEOUT_MS)
    try:
        page.wait_for_selector(ready_css, state="visible", timeout=RUN_TIMEOUT_MS)
    except PlaywrightTimeout:
        tail = voila_log(server)[-4000:]
        raise AssertionError(
            f"{section}: {ready_css} not visible after {RUN_TIMEOUT_MS / 1000:.0f} s; "
            f"Voila's log (kernel starts and deaths) ends:\n{tail}"
        ) from None
    return time.perf_counter() - start


def server_log(server: Server) -> str:
    """The log of a JupyterLab server started here (kernel starts, restarts, reconnects)."""
    return _log_text(server.log)


def wait_for_figures(
    page, figures, watch: PageWatch, timeout_ms: int = 60_000, log: Callable[[], str] | None = None
) -> None:
    """Wait until every chart in ``figures`` (CSS classes) has drawn its SVG.

    Cells report done before plotly.js has drawn, and on a busy machine drawing lags by
    seconds; tests read charts only after this. Fails with the charts still missing, the
    page's errors (a chart whose widget model failed to start never draws) and the end of
    the server's log from ``log()`` (a kernel that died or a connection that dropped)."""
    try:
        page.wait_for_function(
            "(figs) => figs.every(f => document.querySelector(`.${f} .main-svg .gtitle`))",
            arg=list(figures),
            timeout=timeout_ms,
        )
    except Exception:
        missing = [f for f in figures if page.locator(f".{f} .main-svg .gtitle").count() == 0]
        problems = watch.problems()
        first = f"{problems[0]} (and {len(problems) - 1} more)" if problems else "none"
        raise AssertionError(
            f"charts not drawn after {timeout_ms / 1000:.0f} s: {missing}; page problems: "
            f"{first}; the server's log ends:\n{log()[-4000:] if log else '(not kept)'}"
        ) from None


# In-page timing: the clock starts at the keydown (capture phase); each named predicate's
# clock stops at the first animation frame after it holds on a DOM mutation (or a 20 ms
# poll), so each figure is the time to a visible update, measured by the browser itself.
_ARM = """([selector, parts, timeoutMs]) => {
  const root = document.querySelector(selector);
  const preds = parts.map(([name, body, arg]) => [name, new Function('root', 'arg', body), arg]);
  const times = {};
  window.__mlsdT0 = null;
  document.addEventListener('keydown', () => {
    if (window.__mlsdT0 === null) window.__mlsdT0 = performance.now();
  }, {capture: true, once: true});
  window.__mlsdWait = new Promise((resolve, reject) => {
    let done = false, pending = 0;
    const finish = () => { done = true; observer.disconnect(); clearInterval(timer); };
    const check = () => {
      if (done || window.__mlsdT0 === null) return;
      for (const [name, fn, arg] of preds) {
        if (name in times) continue;
        let ok = false;
        try { ok = !!fn(root, arg); } catch (e) { ok = false; }
        if (ok) {
          times[name] = null; pending += 1;
          requestAnimationFrame(() => {
            times[name] = performance.now() - window.__mlsdT0; pending -= 1;
            if (Object.keys(times).length === preds.length && pending === 0 && !done) {
              finish(); resolve(times);
            }
          });
        }
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(root, {subtree: true, childList: true, attributes: true,
                            characterData: true});
    const timer = setInterval(check, 20);
    setTimeout(() => {
      if (!done) {
        finish();
        const missing = preds.map(p => p[0]).filter(n => !(n in times));
        reject(new Error('timed out after ' + timeoutMs + ' ms waiting for ' + missing));
      }
    }, timeoutMs);
  });
  return true;
}"""


def timed_keys(page, focus_css: str, key: str, root_css: str, parts, timeout_ms=20_000):
    """Focus ``focus_css``, press ``key``; ``parts`` = [(name, js_body, arg)], each body a JS
    function of ``(root, arg)`` on ``root_css``. Return {name: ms from keydown to the frame
    after that part first held}."""
    page.locator(focus_css).first.focus()
    page.evaluate(_ARM, [root_css, [list(p) for p in parts], timeout_ms])
    press(page, key)
    return page.evaluate("() => window.__mlsdWait")


def press(page, key) -> None:
    """Press ``key`` (a playwright key name), or each of a tuple of keys in turn, where an
    item ``"text:..."`` types that text (for text boxes, which need several keys)."""
    for item in (key,) if isinstance(key, str) else key:
        if item.startswith("text:"):
            page.keyboard.type(item.removeprefix("text:"))
        else:
            page.keyboard.press(item)


def timed_key(page, focus_css, key, root_css, predicate, arg=None, timeout_ms=20_000) -> float:
    """One predicate: milliseconds from keydown to the frame after it held."""
    return timed_keys(page, focus_css, key, root_css, [("done", predicate, arg)], timeout_ms)[
        "done"
    ]


# --- checks shared by the JupyterLab and the presenter (Voila) tests ----------------------------

CONTROL_LABELS = """
const controls = [...root.querySelectorAll(
  '.widget-slider, .widget-dropdown, .widget-toggle-buttons, .widget-text, .widget-checkbox,' +
  ' .widget-select, .widget-select-multiple, .widget-textarea, .widget-radio')]
  .filter(el => !el.parentElement.closest('.widget-slider, .widget-dropdown, ' +
                '.widget-toggle-buttons, .widget-text, .widget-checkbox, .widget-select'));
return controls.map(el => {
  const label = el.querySelector('.widget-label, .widget-label-basic, label');
  const text = (label ? label.textContent : '') || el.getAttribute('aria-label') ||
               el.getAttribute('title') || '';
  return [el.className, text.trim()];
});
"""
CHART_TEXTS = """
return [...root.querySelectorAll('.js-plotly-plot')].map(plot => ({
  title: (plot.querySelector('.gtitle') || {}).textContent || '',
  xtitles: [...plot.querySelectorAll('.xtitle, .x2title')].map(t => t.textContent),
  ytitles: [...plot.querySelectorAll('.ytitle, .y2title')].map(t => t.textContent),
}));
"""


def widget_problems(page, css: str) -> list[str]:
    """Why the widget with container class ``css`` did not render, if it did not."""
    root = page.locator(f".{css}")
    if root.count() == 0:
        return [f".{css} is not on the page (did its cell run, or is its class missing?)"]
    problems = []
    if not root.first.is_visible():
        problems.append(f".{css} is on the page but not visible")
    if page.get_by_text("Error displaying widget").count():
        problems.append("the page shows 'Error displaying widget'")
    return problems


def run_steps(page, widget, page_view) -> list[tuple[str, float]]:
    """Drive a registered widget from the keyboard; return (step, ms) pairs."""
    root_css = f".{widget.css}"
    page.locator(root_css).first.scroll_into_view_if_needed()
    done = []
    for step in widget.steps(page_view):
        focus = page.locator(f"{root_css} {step.focus}").first
        focus.scroll_into_view_if_needed()
        if page_view.js(step.predicate, step.arg):
            raise AssertionError(
                f"{widget.name}: '{step.describe}' already holds before its key press, so "
                "the step cannot fail; choose a move that changes what the widget shows"
            )
        try:
            ms = timed_key(
                page, f"{root_css} {step.focus}", step.key, root_css, step.predicate, step.arg
            )
        except Exception as exc:
            raise AssertionError(
                f"{widget.name}: after '{step.describe}' the page did not show what the core "
                f"function says: {_diagnose(page_view, step)} ({exc})"
            ) from None
        done.append((step.describe, ms))
    return done


def screenshot(page, css: str, name: str, *, also_to: Path | None = None) -> Path:
    """Save a PNG of the element ``.css`` under tests/artifacts/screenshots/ (and ``also_to``)."""
    ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / "screenshots" / f"{name}.png"
    page.locator(f".{css}").first.screenshot(path=str(target), animations="disabled")
    if also_to is not None:
        also_to.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, also_to / f"{name}.png")
    return target


def _diagnose(view, step) -> str:
    """Which parts of a step's predicate fail, and the text they looked at."""
    parts = step.arg if isinstance(step.arg, list) else [[step.predicate, step.arg]]
    out = []
    for body, arg in parts:
        if view.js(body, arg):
            continue
        seen = ""
        if isinstance(arg, dict) and "css" in arg:
            seen = view.js(
                "const e = root.querySelector(arg); return e ? e.textContent : null;", arg["css"]
            )
        out.append(f"expected {arg!r}; saw {seen!r}" if seen else f"failed: {arg!r}")
    return "; ".join(out) or "all parts hold now (slow update?)"


# --- text cut or overprinted at a 1366x768 screen, in JupyterLab and in presenter mode ------------
#
# Text a learner reads in a widget: labels and descriptions, slider readouts, button and
# toggle-button captions, checkbox labels. One is cut when its box is narrower than its text
# (``scrollWidth > clientWidth``: the browser clips it or draws an ellipsis). Chart text:
# titles, axis titles, tick labels, annotations and point labels of every plotly chart. One is
# misplaced when its box reaches outside the figure's own SVG (the page cuts it there), and two
# overprint when their boxes overlap.

SCREEN = {"width": 1366, "height": 768}

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


def cut_text(page, css: str) -> list[str]:
    """Problems with the text of the widget ``.css`` at a 1366x768 screen (one sentence each)."""
    page.set_viewport_size(SCREEN)
    try:
        page.locator(f".{css}").first.scroll_into_view_if_needed()
        page.wait_for_timeout(400)  # charts and flex boxes re-lay out after a resize
        return page.evaluate(
            "([css, body]) => new Function('root', body)(document.querySelector(css))",
            [f".{css}", CUT_TEXT],
        )
    finally:
        page.set_viewport_size(VIEWPORT)
