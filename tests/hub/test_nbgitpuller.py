"""A self-paced learner's nbgitpuller link keeps their answers (issue 15, part 1).

A learner account on a hub of its own opens the link ``mlsd hub link`` prints, for a
repository on this machine (nbgitpuller clones any git URL; ``file://`` keeps it on loopback):

1. first click: nbgitpuller clones the workbook, the link ends on ``/mlsd/update``, which
   seeds ``work/`` from ``course/`` (``mlsd update``) and opens JupyterLab on it;
2. the learner answers an exercise in ``work/`` (saved through their own server);
3. the author changes that section (a new sentence in a markdown cell) and pushes;
4. second click: nbgitpuller pulls (``course/`` is clean, so its merge is a fast-forward)
   and the update page merges the new text into ``work/``: the new sentence arrives and the
   learner's answer is still there, with the old copy in ``work/.backups/``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from mlsd.grading.notebooks import set_source
from mlsd.hub import cli
from tests.hub import harness

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SECTION = "09-common-mistakes"
NOTEBOOK = "common-mistakes.ipynb"
LEARNER = "mlsdt-lea"
ANSWER = "def classify_excerpts():\n    return {'E1': 'no_numbers'}  # my own try\n"
NEW_TEXT = "A sentence the author added after the learner started."


def git(*args, cwd: Path) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Author",
        "GIT_AUTHOR_EMAIL": "author@example.org",
        "GIT_COMMITTER_NAME": "Author",
        "GIT_COMMITTER_EMAIL": "author@example.org",
    }
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def learner_hub():
    problem = harness.setup_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    hub = harness.TestHub(instructors=[], students=[], learners=[LEARNER])
    try:
        hub.start()
        yield hub
    finally:
        hub.close()


@pytest.fixture(scope="module")
def workbook_repo(learner_hub):
    """A bare repository of the workbook's course (what learners clone), and an author's
    clone to push changes from; both readable by the learner account."""
    base = learner_hub.folder / "git"
    author = base / "author"
    (author / "course").mkdir(parents=True)
    shutil.copytree(harness.ROOT / "course" / SECTION, author / "course" / SECTION)
    (author / ".gitignore").write_text("work/\n")
    git("init", "-q", "-b", "main", cwd=author)
    git("add", "-A", cwd=author)
    git("commit", "-q", "-m", "course", cwd=author)
    bare = base / "workbook.git"
    git("clone", "-q", "--bare", str(author), str(bare), cwd=base)
    port = harness.free_port_block(1)
    daemon = subprocess.Popen(
        [
            "git",
            "daemon",
            "--reuseaddr",
            "--export-all",
            f"--base-path={base}",
            "--listen=127.0.0.1",
            f"--port={port}",
            str(base),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"git://127.0.0.1:{port}/workbook.git"
        for _ in range(100):
            if subprocess.run(["git", "ls-remote", url], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        yield author, bare, url
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        daemon.wait(timeout=10)


def open_link(page, link: str) -> str:
    page.goto(link)
    page.wait_for_selector(".mlsd-update-lines", timeout=180_000)
    return page.locator("body").inner_text()


def test_the_link_keeps_answers_and_brings_course_changes(learner_hub, workbook_repo, chrome):
    author, bare, url = workbook_repo
    link = cli.nbgitpuller_link(learner_hub.settings, url, "main", "mlsd-workbook")
    context = chrome.new_context()
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{learner_hub.url}/hub/login")
    page.fill("#username_input", LEARNER)
    page.fill("#password_input", learner_hub.passwords[LEARNER])
    page.click("#login_submit")
    page.wait_for_load_state()

    # 1. first click: clone, seed work/, open JupyterLab on it
    text = open_link(page, link)
    assert "Course updated" in text
    home = learner_hub.home(LEARNER)
    mine = home / "mlsd-workbook" / "work" / SECTION / NOTEBOOK
    assert mine.is_file(), text
    page.wait_for_url("**/lab/tree/mlsd-workbook/work**", timeout=60_000)

    # 2. the learner answers in work/, through their own server
    nb = nbformat.read(mine, as_version=4)
    set_source(nb, "mistake-quiz", ANSWER)
    url = f"{learner_hub.url}/user/{LEARNER}/api/contents/mlsd-workbook/work/{SECTION}/{NOTEBOOK}"
    saved = page.evaluate(
        """async ([url, body]) => {
            const xsrf = document.cookie.split('; ').find(c => c.startsWith('_xsrf='));
            const r = await fetch(url, {method: 'PUT', body, headers: {
                'Content-Type': 'application/json',
                'X-XSRFToken': xsrf ? decodeURIComponent(xsrf.slice(6)) : ''}});
            return r.status;
        }""",
        [url, json.dumps({"type": "notebook", "format": "json", "content": nb})],
    )
    assert saved == 200

    # 3. the author changes the section and pushes
    course_nb = author / "course" / SECTION / NOTEBOOK
    release = nbformat.read(course_nb, as_version=4)
    first_md = next(c for c in release.cells if c.cell_type == "markdown")
    first_md.source += "\n\n" + NEW_TEXT
    nbformat.write(release, course_nb)
    git("commit", "-q", "-am", "a new sentence", cwd=author)
    git("push", "-q", str(bare), "main", cwd=author)

    # 4. second click: pull, merge into work/: the new sentence arrives, the answer stays
    text = open_link(page, link)
    merged = nbformat.read(mine, as_version=4)
    sources = "\n".join(c.source for c in merged.cells)
    assert NEW_TEXT in sources, text
    answer = [
        c for c in merged.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "mistake-quiz"
    ]
    assert [c.source for c in answer] == [ANSWER]
    assert list((home / "mlsd-workbook" / "work" / ".backups").rglob(NOTEBOOK)), text
    # nbgitpuller's own clone holds the author's version, untouched by the learner
    clone = home / "mlsd-workbook" / "course" / SECTION / NOTEBOOK
    assert NEW_TEXT in clone.read_text()
    context.close()
