"""``mlsd grade ui``: formgrader on this course, in a server that displays but cannot act.

Formgrader shows students' notebooks from the instructor's own Jupyter server. Their HTML is
cleaned before it is stored (:mod:`mlsd.grading.sanitize`); this server is the second wall,
for whatever a cleaner might miss. Through it a page can read submissions and record grades,
as the grader does, and nothing else:

- no kernels and no terminals: the Jupyter API cannot run code;
- read-only contents: the API cannot write, rename or delete a file (an audit's script wrote
  ``nbgrader_config.py`` through it, and the next ``mlsd grade`` command ran that Python);
- no other extension (JupyterLab, Voila, the learners' assignment list): only formgrader;
- loopback only, a fresh random token per start.

Grading itself (``mlsd grade autograde``) runs sandboxed from the command line, not from the
formgrader buttons, which would run nbgrader inside this server without the sandbox.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web

REFUSED = "this is a read-only grading server (mlsd grade ui): it cannot change files or run code"
EXTENSIONS = {  # everything installed in this environment, off except formgrader
    "nbgrader.server_extensions.formgrader": True,
    "nbgrader.server_extensions.validate_assignment": False,
    "nbgrader.server_extensions.assignment_list": False,
    "nbgrader.server_extensions.course_list": False,
    "jupyterlab": False,
    "notebook": False,
    "notebook_shim": False,
    "voila.server_extension": False,
    "jupyter_lsp": False,
    "jupyter_server_terminals": False,
}


class ReadOnlyContents(AsyncLargeFileManager):
    """Contents API that reads (formgrader's links to notebooks) and never writes."""

    def _refuse(self, *args, **kwargs):
        raise web.HTTPError(403, REFUSED)

    save = delete_file = rename_file = new = new_untitled = copy = _refuse
    create_checkpoint = restore_checkpoint = delete_checkpoint = _refuse


class NoKernels(AsyncMappingKernelManager):
    """A kernel manager that starts no kernel."""

    async def start_kernel(self, *args, **kwargs):
        raise web.HTTPError(403, REFUSED)


def command(autograder: Path, port: int, token: str) -> list[str]:
    """The ``jupyter server`` command line of the grading UI."""
    args = [sys.executable, "-m", "jupyter_server", "--no-browser"]
    args += [f"--ServerApp.root_dir={autograder}", "--ServerApp.ip=127.0.0.1"]
    args += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    args += [f"--IdentityProvider.token={token}", "--ServerApp.terminals_enabled=False"]
    args += [f"--ServerApp.contents_manager_class={__name__}.ReadOnlyContents"]
    args += [f"--ServerApp.kernel_manager_class={__name__}.NoKernels"]
    args += [f"--ServerApp.jpserver_extensions={json.dumps(EXTENSIONS).replace('true', 'True')}"]
    args = [a.replace("false", "False") for a in args]
    if _is_root():
        args.append("--allow-root")
    return args


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _is_root() -> bool:
    import os

    return os.geteuid() == 0


def url(port: int, token: str) -> str:
    """The address to open: the login page takes the token once and sets the session cookie
    that formgrader's own requests need (a token on any other page is not remembered)."""
    return f"http://127.0.0.1:{port}/login?next=%2Fformgrader&token={token}"


def serve(root: Path, port: int, log=print) -> int:
    """Run the grading UI in the foreground until Ctrl-C."""
    autograder = Path(root) / "autograder"
    token = secrets.token_urlsafe(24)
    log(f"formgrader for {autograder} (read-only server, no kernels): {url(port, token)}")
    log("grade written answers there; autograde and feedback stay on the command line")
    try:
        return subprocess.call(command(autograder, port, token), cwd=autograder)
    except KeyboardInterrupt:
        return 0
