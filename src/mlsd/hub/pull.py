"""``/mlsd/update``: the page a self-paced learner's nbgitpuller link ends on (server extension).

The link (``mlsd hub link``) first lets nbgitpuller clone or pull the workbook's repository
into a folder of the learner's home; nbgitpuller then redirects here, and this page runs the
same merge as ``mlsd update`` (:func:`mlsd.workspace.update`): ``course/`` (what git
brought) into ``work/`` (what the learner wrote, git-ignored, so nbgitpuller's own merge
never touches it), then opens JupyterLab on ``work/``.

The page only ever adds course material: every answer stays, every changed file is backed up
first (``work/.backups/``). That is why a plain GET may run it, as nbgitpuller's own link does.
"""

from __future__ import annotations

import asyncio
import html
from pathlib import Path

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta http-equiv="refresh" content="{delay};url={next}"></head>
<body style="font-family: sans-serif; max-width: 46em; margin: 2em auto">
<h1>{title}</h1>
<ul class="mlsd-update-lines">{lines}</ul>
<p><a class="mlsd-update-next" href="{next}">Open your work folder in JupyterLab</a></p>
</body></html>
"""


def resolve_checkout(root: Path, folder: str) -> Path:
    """The workbook checkout ``folder`` names, which must lie inside the server's root."""
    root = Path(root).expanduser().resolve()
    if not folder or folder.startswith("/") or "\\" in folder:
        raise ValueError(f"folder must be a path relative to your home; got {folder!r}.")
    checkout = (root / folder).resolve()
    if checkout != root and root not in checkout.parents:
        raise ValueError(f"folder must stay inside your home; got {folder!r}.")
    if not (checkout / "course").is_dir():
        raise FileNotFoundError(f"{folder}/course does not exist: open the course link again")
    return checkout


def merge_course(checkout: Path, open_paths: set[str] = frozenset()) -> list[str]:
    """``mlsd update`` on a checkout: course/ into work/, answers kept; the report's lines.

    ``open_paths`` (relative to work/) are notebooks open in this server: their lines say to
    reload them."""
    from mlsd import workspace

    work = checkout / "work"
    result = workspace.update(work, checkout / "course", open_paths=set(open_paths))
    return list(result.lines())


def open_in(work_rel: str, session_paths: list[str]) -> set[str]:
    """Paths of open notebooks (server-relative) that lie under work/, relative to it."""
    prefix = work_rel.rstrip("/") + "/"
    return {p[len(prefix) :] for p in session_paths if p.startswith(prefix)}


class UpdateHandler(JupyterHandler):
    @web.authenticated
    async def get(self):
        folder = self.get_argument("folder", "")
        root = Path(self.settings["server_root_dir"])
        try:
            checkout = resolve_checkout(root, folder)
        except (ValueError, FileNotFoundError) as exc:
            raise web.HTTPError(400, str(exc)) from None
        work = (checkout / "work").relative_to(root.expanduser().resolve()).as_posix()
        sessions = await self.session_manager.list_sessions()
        opened = open_in(work, [s.get("path", "") for s in sessions])
        lines = await asyncio.get_running_loop().run_in_executor(
            None, merge_course, checkout, opened
        )
        next_url = url_path_join(self.base_url, "lab", "tree", work)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(
            PAGE.format(
                title="Course updated: your answers are kept",
                lines="".join(f"<li>{html.escape(line)}</li>" for line in lines),
                next=html.escape(next_url, quote=True),
                delay=3,
            )
        )


def _jupyter_server_extension_points():
    return [{"module": "mlsd.hub.pull"}]


def _load_jupyter_server_extension(serverapp):
    base = serverapp.web_app.settings["base_url"]
    serverapp.web_app.add_handlers(".*$", [(url_path_join(base, "mlsd/update"), UpdateHandler)])
