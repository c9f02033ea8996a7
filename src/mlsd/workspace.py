"""The learner's own copy of the course, ``work/``, and how course updates reach it.

``course/`` is the pristine release (authors regenerate it with ``make course``); learners
never work there. ``update(work, course)`` (``mlsd update``, run by ``make lab``) keeps
``work/`` in step with it:

- a notebook or file that ``work/`` does not have yet is copied in (the first run seeds the
  whole folder; a new section after ``git pull`` arrives the same way; a notebook the
  learner deleted comes back fresh, which is how to start a section over);
- a notebook both have is *merged cell by cell* (``merge_notebook``): the course's new text,
  widgets and checks come in, and every answer the learner wrote stays, matched by its
  nbgrader grade id. Nothing the learner wrote is dropped: an answer to an exercise the
  course removed, and a cell the learner edited that the course changed too, are kept in
  clearly marked cells; cells the learner added stay after the same course cell;
- every file is copied to ``work/.backups/<timestamp>/`` before it is changed; a notebook
  that cannot be read is backed up and left alone; any other file (``self_assessment.csv``,
  study plans, exports, the learner's own notebooks) is never touched.

Running it twice changes nothing the second time.

How this differs from nbgitpuller, the JupyterHub ecosystem's reference for pulling course
updates into a learner's folder (its "automatic merging" rules): nbgitpuller runs a
file-level ``git merge -Xours`` on the notebook's JSON text. When the learner and the
author changed different lines the text merges; when they changed the same lines the
learner's side wins. For notebooks that rule has two costs: a learner who only *ran* a
cell (outputs, execution counts) or saved the notebook from a newer JupyterLab touches
lines near the author's edit, so the author's fix to that cell never arrives; and a
line-level merge of JSON can interleave two cells' text. Here the unit is the cell, and
cells are matched by what stays stable across releases: the nbgrader grade id for answer
cells, the cell id for everything else. The learner still always wins on what they wrote
(answers are never replaced; an edited cell that the course also changed is kept beside
the new one instead of blocking it). Where we agree with nbgitpuller: a notebook the
learner deleted comes back fresh (its case 4); a learner's file the course does not ship
is never touched; a learner's work survives every case. nbgitpuller's case 5 (the course
adds a file whose name a learner already used) renames the learner's file; here the two
notebooks are merged, which keeps every cell of the learner's file in place. No "backup
and resync" case exists: there is no git history to diverge, and every change is backed up.

What this module remembers lives in ``work/.mlsd/state.json``: for each course cell, the
hashes of every version of its source the learner has been given. A cell whose text is one
of those is one the learner has not edited, so a newer course version may replace it; a
cell with any other text is the learner's. Without that file the merge is still safe, only
noisier (a cell that differs from the course is kept twice rather than replaced).
"""

from __future__ import annotations

import copy
import datetime as _dt
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from mlsd import kernels

STATE_FILE = Path(".mlsd") / "state.json"
BACKUP_DIR = ".backups"
KEPT_TAG = "mlsd-kept"
# Folders under the release or work folder that are never notebooks of the course.
_SKIPPED_PARTS = {".ipynb_checkpoints", BACKUP_DIR, ".mlsd", "__pycache__"}


# --- what a cell is -------------------------------------------------------------------------


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_answer(cell) -> bool:
    """An nbgrader solution cell: what the learner writes (code or a written answer)."""
    return bool(_nbgrader(cell).get("solution"))


def cell_key(cell) -> str | None:
    """What identifies a cell across releases: the grade id of an answer cell (a learner's
    answer belongs to its exercise, whatever id its cell has), the cell id otherwise."""
    if is_answer(cell) and _nbgrader(cell).get("grade_id"):
        return f"grade:{_nbgrader(cell)['grade_id']}"
    return f"id:{cell['id']}" if cell.get("id") else None


def source_hash(cell) -> str:
    return hashlib.sha256(cell.get("source", "").encode("utf-8")).hexdigest()[:16]


def answer_untouched(cell) -> bool:
    """True when an answer cell still holds the release's stub.

    nbgrader stores a checksum of every graded cell as released (source, type, flags, grade
    id, points); a cell whose checksum still matches is one the learner has not changed.
    This needs no memory of earlier runs, so it also holds for a notebook a learner worked
    on in ``course/`` before ``work/`` existed."""
    stored = _nbgrader(cell).get("checksum")
    if not stored:
        return False
    from nbgrader.utils import compute_checksum

    try:
        return compute_checksum(cell) == stored
    except (KeyError, ValueError, TypeError):
        return False


def kernel_language_info() -> dict:
    """The ``language_info`` the course's kernel reports on start.

    JupyterLab writes the kernel's ``language_info`` into a notebook's metadata when the
    kernel connects; if it differs from what the file holds, the notebook is marked
    modified the moment it opens. Storing the same value in the learner's copy avoids that.
    The kernel (``python3``) is ipykernel in the same environment as this command."""
    from ipykernel.ipkernel import IPythonKernel

    return copy.deepcopy(IPythonKernel.language_info)


# --- merging one notebook -------------------------------------------------------------------


@dataclass
class MergeCounts:
    """What a merge changed in one learner notebook."""

    updated: int = 0  # course cells whose new version replaced the learner's unedited copy
    added: int = 0  # course cells the learner did not have
    removed: int = 0  # course cells the course removed (the learner had not edited them)
    answers_kept: int = 0  # answer cells the learner wrote, kept as written
    edits_kept: int = 0  # course cells the learner edited (the course did not change them)
    both_kept: int = 0  # cells both changed: the course's version, then the learner's, marked
    orphans_kept: int = 0  # answers to exercises the course removed, kept in marked cells
    own_kept: int = 0  # cells the learner added, kept after the same course cell
    restubbed: list[str] = field(default_factory=list)  # grade ids whose stub changed
    metadata_changed: bool = False


def _note_cell(cell_id: str, text: str):
    note = nbformat.v4.new_markdown_cell(text)
    note.id = cell_id
    note.metadata["tags"] = [KEPT_TAG]
    return note


def _kept_copy(cell, cell_id: str):
    """The learner's cell, unchanged in source and outputs, as a plain (ungraded) cell."""
    kept = copy.deepcopy(cell)
    kept.id = cell_id
    meta = kept.setdefault("metadata", {})
    for key in ("nbgrader", "deletable", "editable"):
        meta.pop(key, None)
    tags = [t for t in meta.get("tags", []) if t != KEPT_TAG]
    meta["tags"] = [*tags, KEPT_TAG]
    return kept


def _kept_pair(cell, why: str, today: str) -> list:
    """A marked note and the learner's cell under it (ids from the learner's text, so a
    second run finds the same pair instead of making another)."""
    digest = source_hash(cell)[:12]
    note = _note_cell(
        f"mlsd-kept-{digest}-note",
        f"**Kept for you by `mlsd update` ({today}).** {why} The cell below is yours, "
        "unchanged; it is not checked or graded. Copy what you need, then delete this "
        "note and that cell when you no longer want them.",
    )
    return [note, _kept_copy(cell, f"mlsd-kept-{digest}")]


def _with_learner_state(upstream_cell, mine):
    """The course's cell carrying what the learner's run left on it (outputs, counts) and
    the learner's own metadata (collapsed, scrolled), with the course's metadata on top."""
    cell = copy.deepcopy(upstream_cell)
    cell.metadata = {**copy.deepcopy(mine.get("metadata", {})), **cell.get("metadata", {})}
    if cell.cell_type == "code" and mine.get("cell_type") == "code":
        cell.outputs = copy.deepcopy(mine.get("outputs", []))
        cell.execution_count = mine.get("execution_count")
    if "attachments" in mine and cell.cell_type != "code":
        cell.attachments = copy.deepcopy(mine["attachments"])
    return cell


def _learners_answer(upstream_cell, mine):
    """The learner's answer (source, outputs, attachments) in the course's answer cell."""
    cell = _with_learner_state(upstream_cell, mine)
    cell.source = mine.get("source", "")
    if mine.get("cell_type") != cell.cell_type:  # e.g. the course turned code into markdown
        cell.cell_type = mine.get("cell_type")
    return cell


def _merge_course_cell(up, mine, seen: set[str], counts: MergeCounts, today: str) -> list:
    """The cells that stand for one course cell in the merged notebook."""
    if is_answer(up):
        if mine.get("source") == up.get("source"):
            return [_with_learner_state(up, mine)]
        if answer_untouched(mine):  # the learner has not started: give them the new stub
            counts.updated += 1
            return [copy.deepcopy(up)]
        counts.answers_kept += 1
        if _nbgrader(mine).get("checksum") != _nbgrader(up).get("checksum"):
            counts.restubbed.append(_nbgrader(up).get("grade_id", ""))
        return [_learners_answer(up, mine)]
    if mine.get("source") == up.get("source"):
        return [_with_learner_state(up, mine)]
    if source_hash(mine) in seen:  # the learner's copy is an earlier course version
        counts.updated += 1
        return [copy.deepcopy(up)]
    if source_hash(up) in seen:  # the course did not change it; the learner did
        counts.edits_kept += 1
        kept = _with_learner_state(up, mine)
        kept.source = mine.get("source", "")
        return [kept]
    counts.both_kept += 1
    why = "The course changed the cell above, which you had edited: above is the new version."
    return [copy.deepcopy(up), *_kept_pair(mine, why, today)]


def _fate_of_unmatched(cell, seen: dict[str, set[str]], counts: MergeCounts, today: str):
    """A learner cell with no counterpart in the new course version: what to keep of it."""
    key = cell_key(cell)
    if is_answer(cell):
        if answer_untouched(cell):
            counts.removed += 1
            return []
        counts.orphans_kept += 1
        grade_id = _nbgrader(cell).get("grade_id", "?")
        why = f"This was your answer to `{grade_id}`, an exercise this course version removed."
        return _kept_pair(cell, why, today)
    if key in seen:
        if source_hash(cell) in seen[key]:  # a course cell the course removed, unedited
            counts.removed += 1
            return []
        counts.orphans_kept += 1
        return _kept_pair(cell, "The course removed this cell, which you had edited.", today)
    counts.own_kept += 1
    return [cell]


def merge_notebook(
    mine: nbformat.NotebookNode,
    upstream: nbformat.NotebookNode,
    seen: dict[str, set[str]] | None = None,
    *,
    language_info: dict | None = None,
    today: str | None = None,
) -> tuple[nbformat.NotebookNode, MergeCounts]:
    """The learner's notebook ``mine`` brought up to the course's ``upstream`` version.

    ``seen`` maps a course cell's key (``cell_key``) to the hashes of every version of it
    the learner was given; it tells a learner's edit from an older course text. Neither
    input is changed. The result follows the course's cell order; each learner cell the
    course does not have stays right after the course cell it followed."""
    seen = seen or {}
    today = today or _dt.date.today().isoformat()
    counts = MergeCounts()
    upstream_keys = [cell_key(c) for c in upstream.cells]
    wanted = set(upstream_keys)

    matched: dict[str, nbformat.NotebookNode] = {}
    after: dict[str | None, list] = {}  # course key -> learner cells that follow it
    anchor: str | None = None
    for cell in mine.cells:
        key = cell_key(cell)
        if key in wanted and key not in matched:
            matched[key] = cell
            anchor = key
            continue
        after.setdefault(anchor, []).extend(_fate_of_unmatched(cell, seen, counts, today))

    cells = list(after.get(None, []))
    for up, key in zip(upstream.cells, upstream_keys, strict=True):
        mine_cell = matched.get(key)
        if mine_cell is not None:
            cells += _merge_course_cell(up, mine_cell, seen.get(key, set()), counts, today)
        elif key in seen and source_hash(up) in seen[key] and not _nbgrader(up):
            pass  # the learner deleted this ungraded cell, and the course did not change it
        else:
            counts.added += 1 if key not in seen else 0
            counts.updated += 1 if key in seen else 0
            cells.append(copy.deepcopy(up))
        cells += after.get(key, [])

    merged = copy.deepcopy(upstream)
    merged.cells = _unique_ids(cells)
    merged.metadata = {**copy.deepcopy(mine.get("metadata", {})), **merged.metadata}
    if language_info:
        merged.metadata["language_info"] = copy.deepcopy(language_info)
    counts.metadata_changed = merged.metadata != mine.get("metadata", {})
    return merged, counts


def _unique_ids(cells: list) -> list:
    """Give a fresh id to a cell whose id is missing or already used (nbformat 4.5 needs
    unique ids; a learner's pasted cell or an old notebook may break that)."""
    used: set[str] = set()
    for index, cell in enumerate(cells):
        if not cell.get("id") or cell["id"] in used:
            cell["id"] = f"own-{source_hash(cell)[:8]}-{index}"
        used.add(cell["id"])
    return cells


# --- the folder-level update ----------------------------------------------------------------


@dataclass
class FileReport:
    """What ``update`` did to one file of the course, for the one line printed about it."""

    path: str  # relative to the work folder
    action: str  # "added", "merged", "unchanged", "unreadable", "failed"
    counts: MergeCounts | None = None
    backup: Path | None = None
    open_in_lab: bool = False
    detail: str = ""  # why a file could not be read
    release_copy: str = ""  # where the course's version of an unreadable file is

    def line(self) -> str:
        if self.action == "added":
            if self.detail:
                return f"{self.path}: copied from the course, {self.detail}"
            return f"{self.path}: new, copied from the course"
        if self.action == "unreadable":
            where = f"; it is backed up in {self.backup}" if self.backup else ""
            return (
                f"{self.path}: could not be read ({self.detail}), so it was left as it is"
                f"{where}. The course's version is {self.release_copy}: repair yours, or "
                "move it away and run `mlsd update` for a fresh copy."
            )
        if self.action == "failed":
            return f"{self.path}: {self.detail}"
        return f"{self.path}: {self._summary()}"

    def _summary(self) -> str:
        c = self.counts or MergeCounts()
        parts = []
        if c.updated:
            parts.append(f"{c.updated} cell{'s' * (c.updated != 1)} updated")
        if c.added:
            parts.append(f"{c.added} added")
        if c.removed:
            parts.append(f"{c.removed} removed")
        if not parts:
            parts.append("notebook settings updated" if c.metadata_changed else "up to date")
        if c.answers_kept:
            parts.append(f"your {c.answers_kept} answer{'s' * (c.answers_kept != 1)} kept")
        if c.edits_kept:
            parts.append(f"{c.edits_kept} cell{'s' * (c.edits_kept != 1)} you edited kept")
        if c.own_kept:
            parts.append(f"{c.own_kept} cell{'s' * (c.own_kept != 1)} you added kept")
        if c.both_kept:
            parts.append(
                f"{c.both_kept} cell{'s' * (c.both_kept != 1)} you edited and the course "
                "changed: both versions kept, yours marked"
            )
        if c.orphans_kept:
            parts.append(
                f"{c.orphans_kept} answer{'s' * (c.orphans_kept != 1)} to removed "
                "exercises kept in marked cells"
            )
        if c.restubbed:
            parts.append(
                f"the starter code of {', '.join(c.restubbed)} changed (compare with the course)"
            )
        text = ", ".join(parts)
        if self.backup:
            text += f"; old copy in {self.backup}"
        if self.open_in_lab:
            text += (
                "; it is open in JupyterLab: use File > Reload Notebook from Disk before "
                "you edit it again (if you save over it, run `mlsd update` again: nothing "
                "is lost)"
            )
        return text


@dataclass
class Update:
    """Everything one ``update`` run did; ``lines()`` is what ``mlsd update`` prints."""

    work: Path
    files: list[FileReport] = field(default_factory=list)
    created: bool = False

    def changed(self) -> list[FileReport]:
        return [f for f in self.files if f.action != "unchanged"]

    def lines(self) -> list[str]:
        changed = self.changed()
        if self.created:
            count = sum(1 for f in self.files if f.path.endswith(".ipynb"))
            head = (
                f"Created {self.work.name}/, your own copy of the course ({count} notebooks): "
                "work there (course/ stays as released; `mlsd update` brings updates in)."
            )
            return [head] + [f.line() for f in self.files if f.action == "added" and f.detail]
        if not changed:
            count = sum(1 for f in self.files if f.path.endswith(".ipynb"))
            return [f"{self.work.name}/ is up to date with the course ({count} notebooks)."]
        return [f.line() for f in changed]


def _course_files(release: Path) -> list[Path]:
    return sorted(
        p.relative_to(release)
        for p in release.rglob("*")
        if p.is_file() and not _SKIPPED_PARTS & set(p.relative_to(release).parts)
    )


def _load_state(work: Path) -> dict:
    path = work / STATE_FILE
    try:
        state = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {"notebooks": {}}
    return state if isinstance(state.get("notebooks"), dict) else {"notebooks": {}}


def _seen_of(state: dict, rel: str) -> dict[str, set[str]]:
    cells = state["notebooks"].get(rel, {}).get("cells", {})
    return {key: set(hashes) for key, hashes in cells.items() if isinstance(hashes, list)}


def _remember(state: dict, rel: str, upstream, trusted: bool) -> None:
    """Record the course version the learner now has (only a pristine release is trusted:
    a hash of a learner's own text must never count as a course version)."""
    if not trusted:
        return
    entry = state["notebooks"].setdefault(rel, {"cells": {}})
    cells = entry.setdefault("cells", {})
    for cell in upstream.cells:
        key = cell_key(cell)
        if key is None:
            continue
        hashes = cells.setdefault(key, [])
        if source_hash(cell) not in hashes:
            hashes.append(source_hash(cell))


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.mlsd-tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _notebook_text(nb) -> str:
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


class _Backups:
    """``work/.backups/<timestamp>/``: one folder per run, made on the first backup."""

    def __init__(self, work: Path, now: _dt.datetime):
        self.work = work
        self.stamp = now.strftime("%Y-%m-%dT%H-%M-%S")
        self._folder: Path | None = None

    def folder(self) -> Path:
        if self._folder is None:
            base = self.work / BACKUP_DIR / self.stamp
            folder, n = base, 1
            while folder.exists():
                n += 1
                folder = base.with_name(f"{self.stamp}-{n}")
            self._folder = folder
        return self._folder

    def save(self, rel: Path) -> Path:
        """Copy ``work/rel`` into this run's backup folder (unless the newest backup of it
        already holds the same bytes: an unreadable file is not copied on every run)."""
        source = self.work / rel
        earlier = sorted((self.work / BACKUP_DIR).glob(f"*/{rel.as_posix()}"))
        if earlier and earlier[-1].read_bytes() == source.read_bytes():
            return earlier[-1].relative_to(self.work.parent)
        target = self.folder() / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        return target.relative_to(self.work.parent)


def _read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a notebook; raise ValueError with a short reason when it cannot be used."""
    try:
        nb = nbformat.reads(path.read_text("utf-8"), as_version=4)
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"unreadable file: {exc.__class__.__name__}") from None
    except Exception as exc:  # nbformat raises JSON and schema errors of several types
        reason = str(exc).splitlines()[0][:120] if str(exc) else exc.__class__.__name__
        raise ValueError(reason) from None
    if not isinstance(nb.get("cells"), list) or not all(
        isinstance(c, dict) and "cell_type" in c for c in nb.cells
    ):
        raise ValueError("not a notebook (no list of cells)")
    return nb


def release_is_pristine(nb) -> bool:
    """A notebook as the course releases it: no outputs, no execution counts, every answer
    still its stub. A ``course/`` notebook a learner worked in (before ``work/`` existed)
    fails this, and its text is then never recorded as a course version."""
    for cell in nb.cells:
        if cell.get("outputs") or cell.get("execution_count") is not None:
            return False
        if is_answer(cell) and not answer_untouched(cell):
            return False
    return True


def update(
    work: Path,
    release: Path,
    *,
    open_paths: frozenset[str] | set[str] = frozenset(),
    now: _dt.datetime | None = None,
    language_info: dict | None = None,
) -> Update:
    """Bring the learner folder ``work`` up to the release folder ``release``.

    A pure function of the two folders (plus ``work/.mlsd/state.json``, which it keeps):
    no git, no server. ``open_paths`` are paths (relative to ``work``) the caller knows are
    open in a running JupyterLab; their lines say to reload. ``language_info`` is written
    into every notebook (``kernel_language_info()`` by default)."""
    work, release = Path(work), Path(release)
    if not release.is_dir():
        raise FileNotFoundError(
            f"release folder {release} does not exist (run `make course` to generate it)"
        )
    now = now or _dt.datetime.now()
    language_info = language_info if language_info is not None else kernel_language_info()
    result = Update(work, created=not work.exists())
    work.mkdir(parents=True, exist_ok=True)
    state = _load_state(work)
    backups = _Backups(work, now)
    today = now.date().isoformat()
    for rel in _course_files(release):
        if rel.suffix == ".ipynb":
            report = _update_notebook(
                work, release, rel, state, backups, language_info, today, open_paths
            )
        else:
            report = _update_other_file(work, release, rel)
        result.files.append(report)
    state_text = json.dumps(state, indent=1, sort_keys=True) + "\n"
    state_path = work / STATE_FILE
    if not state_path.exists() or state_path.read_text("utf-8") != state_text:
        _write_atomic(state_path, state_text)
    return result


def _update_other_file(work: Path, release: Path, rel: Path) -> FileReport:
    """A non-notebook course file is copied in when missing, and never overwritten."""
    target = work / rel
    if target.exists():
        return FileReport(rel.as_posix(), "unchanged")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(release / rel, target)
    return FileReport(rel.as_posix(), "added")


def _update_notebook(work, release, rel, state, backups, language_info, today, open_paths):
    key = rel.as_posix()
    try:
        upstream = _read_notebook(release / rel)
    except ValueError as exc:
        return FileReport(key, "failed", detail=f"the course's copy cannot be read ({exc})")
    trusted = release_is_pristine(upstream)
    target = work / rel
    if not target.exists():
        fresh = copy.deepcopy(upstream)
        fresh.metadata["language_info"] = copy.deepcopy(language_info)
        _write_atomic(target, _notebook_text(fresh))
        _remember(state, key, upstream, trusted)
        if not trusted:  # a learner worked in course/ before work/ existed
            note = (
                f"with the work found in course/{key} (outputs or answers written there): "
                "carry on in work/"
            )
            return FileReport(key, "added", detail=note)
        return FileReport(key, "added")
    try:
        mine = _read_notebook(target)
    except ValueError as exc:
        return FileReport(
            key,
            "unreadable",
            detail=str(exc),
            backup=backups.save(rel),
            release_copy=(release / rel).as_posix(),
        )
    merged, counts = merge_notebook(
        mine, upstream, _seen_of(state, key), language_info=language_info, today=today
    )
    _remember(state, key, upstream, trusted)
    if merged == mine:
        return FileReport(key, "unchanged", counts)
    backup = backups.save(rel)
    _write_atomic(target, _notebook_text(merged))
    return FileReport(key, "merged", counts, backup=backup, open_in_lab=key in open_paths)


# --- notebooks open in a running JupyterLab -------------------------------------------------


def open_notebooks(work: Path, timeout: float = 1.0) -> set[str]:
    """Paths (relative to ``work``) of notebooks with a live kernel session in a Jupyter
    server running on this machine. Best effort: any failure means "none known"."""
    import urllib.request

    try:
        from jupyter_server.serverapp import list_running_servers
    except ImportError:
        return set()
    work = work.resolve()
    found: set[str] = set()
    for server in list_running_servers():
        try:
            url = f"{server['url'].rstrip('/')}/api/sessions?token={server.get('token', '')}"
            with urllib.request.urlopen(url, timeout=timeout) as answer:
                sessions = json.loads(answer.read())
            root = Path(server.get("root_dir") or server.get("notebook_dir") or "").resolve()
        except (OSError, ValueError, KeyError):
            continue
        for session in sessions:
            path = (root / session.get("path", "")).resolve()
            if path.is_relative_to(work):
                found.add(path.relative_to(work).as_posix())
    return found


# --- the learner's JupyterLab ---------------------------------------------------------------

LEARNER_CONFIG = Path("etc") / "jupyter-learner"


def learner_env(root: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for the learner's JupyterLab: ``etc/jupyter-learner`` first on
    ``JUPYTER_CONFIG_PATH`` (no nbgrader instructor tools), everything else as given."""
    env = dict(os.environ if base is None else base)
    paths = [str(root / LEARNER_CONFIG), *filter(None, [env.get("JUPYTER_CONFIG_PATH")])]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    # Deprecation notices from Jupyter's own packages are for their developers, not for a
    # learner's terminal (IPython still shows those raised by the learner's own code).
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    return env


def lab_command(
    work: Path, port: int | None = None, *extra: str, runtime_dir: str | None = None
) -> list[str]:
    """JupyterLab on the learner's folder: quiet log (warnings and the URL only), no news
    or update checks (a learner's lab makes no requests to the internet), kernels on Unix
    sockets in the Jupyter runtime folder (``runtime_dir``, default this environment's)
    where their paths fit (see :mod:`mlsd.kernels`)."""
    import sys

    from jupyter_core.paths import jupyter_runtime_dir

    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={work}",
        "--ServerApp.log_level=WARN",
        "--LabApp.log_level=WARN",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if port:
        cmd.append(f"--port={port}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI run as root
    return [*cmd, *kernels.transport_args(runtime_dir or jupyter_runtime_dir()), *extra]
