"""The learner's JupyterLab, started exactly as `make lab` starts it (`mlsd lab` on a work/
folder seeded by `mlsd update`), in headless Chromium: it is a course, not a grading tool
(no nbgrader menu, sidebar, commands or log lines), and a notebook opened and left alone is
not marked modified."""

from __future__ import annotations

import json
import secrets
import shutil
import stat
import tempfile
import time
from pathlib import Path

import pytest

from mlsd import present, workspace
from tests.browser import harness

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "06-tradeoffs/tradeoffs.ipynb"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def learner_lab():
    home = Path(tempfile.mkdtemp(prefix="mlsd-learner-"))
    work = home / "work"
    workspace.update(work, ROOT / "course")
    token = secrets.token_hex(16)
    env = workspace.learner_env(ROOT, present.isolated_env(home / "jupyter"))
    cmd = workspace.lab_command(
        work,
        None,
        "--no-browser",
        "--ip=127.0.0.1",
        "--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--LabApp.expose_app_in_browser=True",
        runtime_dir=env["JUPYTER_RUNTIME_DIR"],
    )
    proc, port = harness._start(
        cmd, env, work, f"/api/status?token={token}", home, "lab.log", attempts=2
    )
    server = harness.Server(
        proc, port, home, token, home / "lab.log", {"06": f"/lab/tree/{NOTEBOOK}"}
    )
    yield server, work
    present.stop(proc)
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="module")
def opened(chrome, learner_lab):
    server, work = learner_lab
    watch = harness.PageWatch()
    page = harness.new_page(chrome, watch)
    page.goto(server.url("06"), wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function(
        "() => /ipykernel\\)?\\s*\\|\\s*Idle/.test(document.body.innerText)", timeout=60_000
    )
    time.sleep(3)  # JupyterLab writes kernel metadata shortly after the kernel connects
    yield page, server, work
    page.context.close()


def test_no_nbgrader_menu_sidebar_or_commands(opened):
    page, _, _ = opened
    commands = page.evaluate(
        "() => window.jupyterapp.commands.listCommands().filter(c => /nbgrader/i.test(c))"
    )
    assert commands == [], f"nbgrader commands registered in the learner's lab: {commands}"
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    assert menus and "Nbgrader" not in menus, menus
    assert page.locator("[data-id*='nbgrader'], [id*='nbgrader']").count() == 0
    assert page.get_by_text("Create Assignment").count() == 0


def test_no_nbgrader_line_in_the_server_log(opened):
    _, server, _ = opened
    log = server.log.read_text(errors="replace")
    assert "nbgrader_config.py" not in log and "nbgrader" not in log.lower(), log[-2000:]
    assert "DeprecationWarning" not in log, log[-2000:]


def test_a_notebook_opened_and_left_alone_is_not_modified(opened):
    page, _, work = opened
    state = page.evaluate(
        """() => {
            const widget = window.jupyterapp.shell.currentWidget;
            return {dirty: widget.context.model.dirty, path: widget.context.path,
                    tabDirty: document.querySelectorAll('.lm-TabBar-tab.jp-mod-dirty').length};
        }"""
    )
    assert state["path"] == NOTEBOOK
    assert state == {"dirty": False, "path": NOTEBOOK, "tabDirty": 0}


def test_the_notebooks_kernel_talks_over_unix_sockets_in_the_private_runtime_folder(opened):
    # TCP kernel ports on 127.0.0.1 collide when kernels start at once, and any account
    # can subscribe to one (see mlsd.kernels); the learner's kernels use Unix sockets.
    _, server, _ = opened
    runtime = server.home / "jupyter" / "runtime"
    connections = [json.loads(p.read_text()) for p in runtime.glob("kernel-*.json")]
    assert connections, f"no kernel connection file in {runtime}"
    for info in connections:
        assert info["transport"] == "ipc" and info["ip"].startswith(f"{runtime}/"), info
        assert stat.S_ISSOCK(Path(f"{info['ip']}-{info['shell_port']}").stat().st_mode)
    assert stat.S_IMODE(runtime.stat().st_mode) & 0o777 == 0o700  # Jupyter adds the sticky bit
