"""Presenter mode: a section notebook as a clean classroom demo, served by Voila.

``mlsd present 06-tradeoffs`` builds a *presenter copy* of ``course/06-tradeoffs/*.ipynb``:

- exercises are removed (their prompts, stubs, checks and answer cells), or only a chosen
  subset keeps its prompt (``--exercises choose_model,pick_model``); stubs and checks never
  show, since with the code hidden they would only show "not attempted" errors;
- what only a learner needs is dropped: "run the cells (Shift+Enter)", ``hint(...)`` and
  ``answer(...)`` calls, "how to work" and time notes;
- a hidden first cell enlarges every control and chart so they read on a projector (slider
  tracks at least 400 px wide at a 1366 px screen);
- Voila renders it with the code hidden (``strip_sources``), so the audience sees the story,
  the widgets and the charts.

Serving (``serve``) uses Voila's preheated kernels: at start Voila runs the notebook once in
a spare kernel, and a page request gets that kernel and its outputs, so the widgets show in
seconds instead of after the whole notebook (section 6 trains its models: ~14 s). The last,
hidden cell of the copy appends a line to ``mlsd-ready`` in the copy's folder when a kernel
has run everything; ``serve`` says "Ready" then. Voila's log goes to a file, not the
terminal; the page loads nothing from the internet (Voila's own template links Font Awesome
from a CDN; the ``mlsd-presenter`` template drops those links and the bundled icons are used).

The copy lives in a temporary folder (or ``--out``); ``course/`` is never touched.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path

import nbformat

from mlsd import kernels

PRESENTER_TAG = "mlsd-presenter"
PRESENTING_ENV = "MLSD_PRESENTING"
# plotly's widget bundle, served once per page next to the presenter copy (see
# ``mlsd.widgets.common.live_figure``): Voila serves files under the notebook's folder at
# /voila/files/ when they match its allowlist.
BUNDLE_DIR = "mlsd-static"
BUNDLE_NAME = "plotly-widgetbundle.js"
BUNDLE_URL = f"/voila/files/{BUNDLE_DIR}/{BUNDLE_NAME}"
LAB_ONLY_EXTENSIONS = ("@jupyter-notebook/lab-extension", "@jupyter/nbgrader")
EXERCISE_MARK = "✏️"
READY_FILE = "mlsd-ready"
READY_ENV = "MLSD_PRESENTER_READY_FILE"
TEMPLATE = "mlsd-presenter"
LOG_NAME = "voila.log"
# Where to keep Voila's own log (kernel starts, deaths, restarts) after the presenter stops;
# by default it lives in a temporary folder and goes with it. The browser tests set it.
KEEP_LOG_ENV = "MLSD_PRESENT_LOG"
# Seconds Voila waits, after a page took the preheated kernel, before it starts the next one:
# that kernel runs the whole notebook, so starting it at once would compete for the CPU with
# the page that is drawing its charts (measured with bench/bench_presenter.py).
REFILL_DELAY_S = 15.0
# What only a learner needs: a paragraph or list item holding one of these is dropped.
LEARNER_ONLY = re.compile(
    r"shift\s*\+\s*enter|\bhint\(|\banswer\(|\*\*how to work:?\*\*|^\s*\*\*time:?\*\*"
    r"|\brun (?:the|this|each|every) cells?\b|\bcheck cells?\b",
    re.IGNORECASE | re.MULTILINE,
)
_HELPER_CALL = re.compile(
    r"^\s*(?:from mlsd\.checks import [\w, ]+\s*)?(?:(?:hint|answer)\(.*\)\s*)+$"
)
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")

# Sizes for a projector: ipywidgets reads these CSS variables; labels and readouts grow.
PRESENTER_CSS = """
:root, body {
  --jp-widgets-font-size: 20px;
  --jp-widgets-inline-height: 40px;
  --jp-widgets-inline-label-width: 320px;
  --jp-widgets-inline-width: 640px;
  --jp-widgets-slider-handle-size: 22px;
  --jp-widgets-slider-track-thickness: 8px;
  --jp-content-font-size1: 20px;
  --jp-ui-font-size1: 18px;
}
body { font-size: 20px; }
.jp-RenderedHTMLCommon, .jp-RenderedMarkdown { font-size: 20px; line-height: 1.5; }
.jupyter-widgets, .widget-label, .widget-readout, .widget-html-content,
.widget-toggle-button, .widget-dropdown select, .widget-text input, .widget-select select {
  font-size: 20px !important;
}
.widget-toggle-button { height: 40px; padding: 0 16px; }
.widget-slider .noUi-handle { width: 24px; height: 24px; }
/* A projector needs long tracks: at a 1366 px screen a slider gets the page's width and its
   track at least 400 px, whatever width the widget asked for in a learner's notebook. */
.widget-hslider { width: min(100%, 1100px) !important; max-width: 100%; }
.widget-hslider .slider-container { min-width: 400px; flex: 1 1 400px; }
.mlsd-message { font-size: 20px; }
/* Font Awesome 4 names used by ipywidgets buttons, drawn with the bundled Font Awesome 5. */
.fa-refresh:before { content: "\\f021"; }
"""

# Runs first and hidden: the CSS above, and larger fonts in the plotly templates the widgets
# use (a chart's own explicit sizes still win).
SETUP_SOURCE = f'''# Presenter mode: larger controls and chart text (hidden by Voila).
import plotly.graph_objects as _go
import plotly.io as _pio
from plotly.io._base_renderers import MimetypeRenderer as _MimetypeRenderer

from mlsd.widgets.common import live_figure as _live_figure
from IPython.display import HTML as _HTML
from IPython.display import display as _display

for _name in ("plotly", "plotly_white"):
    _pio.templates[_name].layout.font.size = 18


# Plain figures (a cell ending in go.Figure(...)) show as figure widgets: plotly's JupyterLab
# renderer does not run in Voila's page ("r.setData is not a function").
class _FigureAsWidget(_MimetypeRenderer):
    def to_mimebundle(self, fig_dict):
        widget = _live_figure(_go.Figure(fig_dict), "mlsd-static-fig")
        bundle = widget._repr_mimebundle_()
        return bundle[0] if isinstance(bundle, tuple) else bundle


_pio.renderers["mlsd_widget"] = _FigureAsWidget()
_pio.renderers.default = "mlsd_widget"
_display(_HTML(r"""<style>{PRESENTER_CSS}</style>"""))
'''


# Runs last and hidden: tells ``serve`` that a kernel has run the whole notebook.
READY_SOURCE = f"""# Presenter mode: the notebook has run to the end (hidden by Voila).
import os as _os

if _os.environ.get("{READY_ENV}"):
    with open(_os.environ["{READY_ENV}"], "a", encoding="utf-8") as _ready:
        _ready.write("ready\\n")
"""


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _is_graded(cell) -> bool:
    meta = _nbgrader(cell)
    return bool(meta.get("solution") or meta.get("grade"))


def _blocks(markdown: str) -> list[tuple[int | None, str, str]]:
    """Split markdown at heading lines: (heading level or None, heading text, block text)."""
    out: list[tuple[int | None, str, list[str]]] = [(None, "", [])]
    fence = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
        match = None if fence else _HEADING.match(line)
        if match:
            out.append((len(match.group(1)), match.group(2), [line]))
        else:
            out[-1][2].append(line)
    return [(level, title, "\n".join(lines)) for level, title, lines in out if lines]


def _learner_names(nb) -> set[str]:
    """Top-level names the notebook's answer cells define (the learner's functions)."""
    names: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type != "code" or not _nbgrader(cell).get("solution"):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _uses(source: str, names: set[str]) -> bool:
    """Whether code uses any of ``names`` (code that does not parse counts as using them)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return True
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(tree))


def _story_after_exercises(pieces: list, learner_names: set[str]) -> list:
    """Give back to the story the cells that follow an exercise's last graded cell, unless
    their code needs the learner's answers (which a presenter copy does not have)."""
    last_graded: dict[int, int] = {}
    for position, (index, cell) in enumerate(pieces):
        if index is not None and _is_graded(cell):
            last_graded[index] = position
    tails: dict[int, list[int]] = {}
    for position, (index, _cell) in enumerate(pieces):
        if index is not None and position > last_graded.get(index, len(pieces)):
            tails.setdefault(index, []).append(position)
    out = list(pieces)
    for positions in tails.values():
        cells = [pieces[p][1] for p in positions]
        if any(c.cell_type == "code" and _uses(c.source, learner_names) for c in cells):
            continue
        for p in positions:
            out[p] = (None, pieces[p][1])
    return out


def without_learner_instructions(markdown: str) -> str:
    """``markdown`` without the paragraphs and list items that only a learner needs ("run the
    cells (Shift+Enter)", ``hint(...)``, ``answer(...)``, time and how-to-work notes).
    Fenced code and headings are kept as they are."""
    out: list[str] = []
    for block in re.split(r"\n[ \t]*\n", markdown):
        if block.lstrip().startswith(("```", "#")):
            out.append(block)
            continue
        lines = block.split("\n")
        if all(re.match(r"\s*(?:[-*+]|\d+\.)\s", line) for line in lines if line.strip()):
            kept = [line for line in lines if not LEARNER_ONLY.search(line)]
            if kept:
                out.append("\n".join(kept))
        elif not LEARNER_ONLY.search(block):
            out.append(block)
    return "\n\n".join(out)


def exercise_ids(section: str) -> dict[str, tuple[str, ...]]:
    """Exercise id -> grade ids of its cells, from the section's manifest."""
    from mlsd.manifest import manifest

    return {
        key: (ex.solution_cell, ex.test_cell)
        for key, ex in manifest().items()
        if ex.section == section
    }


def presenter_notebook(
    nb: nbformat.NotebookNode, keep: Iterable[str] = (), section: str | None = None
) -> nbformat.NotebookNode:
    """A presenter copy of a course notebook (the input is not changed).

    An exercise starts at a markdown heading marked ✏️ and runs to the next heading of the
    same or a higher level that is not an exercise; cells after its last graded cell go back
    to the story when none of their code uses a name a learner defines (the section goes on
    without a heading). Everything inside is dropped, unless
    the exercise is in ``keep`` (a manifest id such as ``choose_model`` or a grade id of one
    of its cells): then its prompt and its supporting cells stay. Stubs, checks and graded
    answer cells are always dropped.
    """
    nb = copy.deepcopy(nb)
    keep = set(keep)
    known = exercise_ids(section) if section else {}
    unknown = (
        keep
        - set(known)
        - {_nbgrader(c).get("grade_id") for c in nb.cells if _nbgrader(c).get("grade_id")}
    )
    if unknown:
        allowed = ", ".join(sorted(known)) or "(no exercises)"
        raise ValueError(
            f"exercises: {', '.join(sorted(unknown))} is not an exercise of "
            f"{section or 'this notebook'}; choose from {allowed}."
        )
    wanted = set(keep)
    for key in keep & set(known):
        wanted.update(known[key])

    # Group cells (and pieces of markdown cells) into exercise blocks.
    pieces: list[tuple[int | None, nbformat.NotebookNode]] = []  # (exercise index, cell)
    current: int | None = None
    level = 0
    count = -1
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            pieces.append((current, cell))
            continue
        for head_level, title, text in _blocks(cell.source):
            if head_level is not None and EXERCISE_MARK in title:
                count += 1
                current, level = count, head_level
            elif head_level is not None and current is not None and head_level <= level:
                current = None
            piece = nbformat.v4.new_markdown_cell(text.strip("\n"))
            piece.metadata = dict(cell.get("metadata", {}))
            pieces.append((current, piece))
    pieces = _story_after_exercises(pieces, _learner_names(nb))

    kept_blocks = {
        index
        for index, cell in pieces
        if index is not None and _nbgrader(cell).get("grade_id") in wanted
    }
    cells = []
    for index, cell in pieces:
        if _is_graded(cell):
            continue
        if index is not None and index not in kept_blocks:
            continue
        if cell.cell_type == "markdown":
            cell.source = without_learner_instructions(cell.source)
            if not cell.source.strip():
                continue
        if cell.cell_type == "code" and _HELPER_CALL.match(cell.source):
            continue
        cell.metadata.pop("nbgrader", None)
        cells.append(cell)

    setup = nbformat.v4.new_code_cell(SETUP_SOURCE)
    setup.metadata["tags"] = [PRESENTER_TAG]
    ready = nbformat.v4.new_code_cell(READY_SOURCE)
    ready.metadata["tags"] = [PRESENTER_TAG]
    out = nbformat.v4.new_notebook(metadata=dict(nb.metadata))
    out.cells = [setup, *cells, ready]
    for i, cell in enumerate(out.cells):
        cell.id = f"present-{i:03d}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    # JupyterLab and Voila need an installed kernel name; the course uses python3.
    out.metadata.setdefault("kernelspec", {})["name"] = "python3"
    return out


def section_notebook(section: str, root: Path | None = None) -> Path:
    """The course notebook of a section, e.g. ``06-tradeoffs``."""
    from mlsd import course

    root = root or course.repo_root()
    folder = root / "course" / section
    found = sorted(folder.glob("*.ipynb"))
    if not found:
        sections = sorted(p.name for p in (root / "course").iterdir() if p.is_dir())
        raise ValueError(
            f"section: no notebook for {section!r} under course/; choose from "
            f"{', '.join(sections)} (run `make course` if course/ is missing)."
        )
    return found[0]


def build(section: str, out_dir: Path, keep: Iterable[str] = (), root: Path | None = None) -> Path:
    """Write the presenter copy of ``section`` into ``out_dir``; return its path."""
    source = section_notebook(section, root)
    nb = presenter_notebook(nbformat.read(source, as_version=4), keep, section=section)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / source.name
    nbformat.write(nb, target)
    _copy_figure_bundle(out_dir)
    return target


def _copy_figure_bundle(out_dir: Path) -> None:
    import plotly

    bundle = Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"
    (out_dir / BUNDLE_DIR).mkdir(exist_ok=True)
    shutil.copyfile(bundle, out_dir / BUNDLE_DIR / BUNDLE_NAME)


# --- serving ----------------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on the loopback interface (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(home: Path) -> dict[str, str]:
    """Environment whose Jupyter config, settings and runtime folders live under ``home``."""
    env = dict(os.environ)
    for var, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
    ]:
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    # Private, as Jupyter makes its own: connection files and kernels' sockets live there.
    (home / "runtime").chmod(0o700)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


# Voila's lab template links Font Awesome from a CDN; the same icons are bundled in its page.
TEMPLATE_CONF = '{"base_template": "lab"}\n'
TEMPLATE_INDEX = """{%- extends 'lab/index.html.j2' -%}
{#- mlsd presenter: the lab template without links to anything outside this server. -#}
{%- block notebook_css -%}
{%- for line in super().split('\\n') if not ('<link' in line and '://' in line) %}
{{ line }}
{%- endfor %}
{%- endblock notebook_css -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js -%}
{{ super() }}
{#- Load and run plotly's widget bundle while Voila's own scripts load: each figure's
    loader then finds it done, instead of running 5 MB of JavaScript inside anywidget's
    start-up time limit (missed on a busy machine: the page then never showed a widget). -#}
<script type="module">import "BUNDLE_URL";</script>
{%- endblock html_head_js -%}
""".replace("BUNDLE_URL", BUNDLE_URL)


def write_template(data_dir: Path) -> Path:
    """Install the ``mlsd-presenter`` Voila template under ``data_dir`` (a Jupyter data
    folder: put it on ``JUPYTER_PATH``); return the template's folder."""
    folder = data_dir / "voila" / "templates" / TEMPLATE
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.json").write_text(TEMPLATE_CONF, encoding="utf-8")
    (folder / "index.html.j2").write_text(TEMPLATE_INDEX, encoding="utf-8")
    return folder


def kernel_transport_args(temp_dir: str | None = None, platform: str = sys.platform) -> list[str]:
    """Voila's kernels on Unix sockets (see :mod:`mlsd.kernels`): their connection files live
    in a private folder Voila makes in the temp folder, ``<temp>/voila_<8 characters>``."""
    folder = temp_dir or tempfile.gettempdir()
    return kernels.transport_args(f"{folder}/voila_{'x' * 8}", platform)


def voila_command(
    target: Path, port: int, *, open_browser: bool = False, preheat: bool = True
) -> list[str]:
    """Voila on ``target`` (a notebook or a folder), loopback only, code hidden."""
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(target),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--strip_sources=True",
        "--theme=light",
        f"--template={TEMPLATE}",
        # Voila's default image allowlist, plus the figure bundle copied by build().
        r"--VoilaConfiguration.file_allowlist=.*\.(png|jpg|gif|svg)",
        rf"--VoilaConfiguration.file_allowlist={BUNDLE_DIR}/[\w.-]+\.js",
        # Lab-only extensions that fail to load in Voila's page (and are not needed there).
        *(f"--VoilaConfiguration.extension_denylist={name}" for name in LAB_ONLY_EXTENSIONS),
        *kernel_transport_args(),
    ]
    if preheat:
        cmd += [
            "--preheat_kernel=True",
            "--pool_size=1",
            f"--VoilaKernelManager.fill_delay={REFILL_DELAY_S}",
        ]
    if not open_browser:
        cmd.append("--no-browser")
    return cmd


def presenter_env(home: Path, folder: Path) -> dict[str, str]:
    """Environment for Voila: isolated Jupyter folders, the ``mlsd-presenter`` template on
    ``JUPYTER_PATH``, the figure bundle's URL and the ready file for the kernels."""
    from mlsd.widgets.common import FIGURE_BUNDLE_ENV

    env = isolated_env(home)
    # Voila's page asks the server to shut its kernel down when it closes, by a POST that
    # carries no XSRF token; with the check on, every closed or reloaded page left its kernel
    # running (a 403 in the log, ~240 MB each). This server has no login to protect (any
    # local GET starts a kernel), and a cross-site POST would need the page's random kernel
    # id, so jupyter_server's XSRF check is off here.
    (Path(env["JUPYTER_CONFIG_DIR"]) / "voila.json").write_text(
        json.dumps({"Voila": {"tornado_settings": {"disable_check_xsrf": True}}}), encoding="utf-8"
    )
    data = home / "data"
    write_template(data)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(data), env.get("JUPYTER_PATH")]))
    env[FIGURE_BUNDLE_ENV] = BUNDLE_URL
    env[READY_ENV] = str(folder / READY_FILE)
    # Widgets with a classroom mode turn it on (the mock interview's live notes).
    env[PRESENTING_ENV] = "1"
    # Deprecation notices of Jupyter's packages are for their developers, not an audience.
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    return env


def ready_count(folder: Path) -> int:
    """How many kernels have run the presenter copy in ``folder`` to its end."""
    try:
        return (folder / READY_FILE).read_text(encoding="utf-8").count("ready")
    except OSError:
        return 0


def wait_until_ready(
    folder: Path, proc: subprocess.Popen, at_least: int = 1, timeout: float = 300.0
) -> None:
    """Wait until ``at_least`` kernels have run the copy in ``folder`` (Voila's preheated
    kernel has then run every cell); fail early if Voila exits."""
    deadline = time.monotonic() + timeout
    while ready_count(folder) < at_least:
        if proc.poll() is not None:
            raise RuntimeError(f"Voila exited with code {proc.returncode} while warming up")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the notebook did not finish running within {timeout:.0f} s")
        time.sleep(0.2)


def wait_for_http(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    """Wait until ``url`` answers (any HTTP status); fail early if ``proc`` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # an HTTP answer, even 404, means the server is up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer {url} within {timeout:.0f} s")


def stop(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """SIGTERM the server's process group, wait, then SIGKILL what is left."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(grace)


def serve(
    section: str,
    port: int | None = None,
    keep: Iterable[str] = (),
    *,
    open_browser: bool = True,
    out_dir: Path | None = None,
) -> int:
    """Build the presenter copy, warm Voila up, serve until Ctrl-C; return an exit code."""
    port = port or free_port()
    # Voila runs in its own session, so a SIGTERM to this process alone would leave it (and
    # its kernel) running: turn SIGTERM into an exit that runs the clean-up below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    proc = None
    with tempfile.TemporaryDirectory(prefix="mlsd-present-") as tmp:
        folder = Path(out_dir) if out_dir else Path(tmp) / section
        log = Path(os.environ.get(KEEP_LOG_ENV) or Path(tmp) / LOG_NAME)
        try:
            print(f"Building the presenter copy of {section}", flush=True)
            target = build(section, folder, keep)
            (folder / READY_FILE).unlink(missing_ok=True)
            env = presenter_env(Path(tmp) / "jupyter", folder)
            print(
                "Warming up: Voila runs the notebook once now, so the page opens in seconds",
                flush=True,
            )
            with open(log, "wb") as out:
                proc = subprocess.Popen(
                    voila_command(target, port),
                    env=env,
                    cwd=target.parent,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            wait_until_ready(folder, proc)
            url = f"http://127.0.0.1:{port}/"
            print(f"Ready: {url}  (Ctrl-C to stop)", flush=True)
            if open_browser:
                import webbrowser

                webbrowser.open(url)
            return proc.wait()
        except KeyboardInterrupt:
            print("\nStopping the presenter.", flush=True)
            return 0
        except RuntimeError as exc:
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            print(f"error: {exc}\n--- Voila's log (last lines) ---\n{tail}", file=sys.stderr)
            return 1
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C cannot interrupt this
            if proc is not None:
                stop(proc)
            if out_dir is None:
                shutil.rmtree(folder, ignore_errors=True)
