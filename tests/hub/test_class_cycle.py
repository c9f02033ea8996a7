"""The whole class cycle on a real course server, in Chromium, on loopback (issue 15, part 2).

One hub (``TestHub``: the config ``make hub`` uses, accounts ``mlsdt-*``), one instructor and
two students. The tests run in order and share what they observed in ``STATE``:

1. the instructor releases section 09 with formgrader's Release button (after
   ``mlsd grade release`` regenerated it, as the grader);
2. each student opens the Assignment List in their JupyterLab, fetches, answers (Ada the
   reference answers, Bob a wrong quiz, an untouched stub and a weak written answer), submits;
3. the instructor collects with formgrader's Collect button;
4. ``mlsd grade autograde`` grades (sandboxed, in parallel) as the grader account;
5. the hub restarts: users, sessions (cookie secret) and the gradebook survive;
6. the instructor grades the written answers in formgrader;
7. feedback is generated (``mlsd grade feedback``) and released with formgrader's button;
8. each student fetches feedback in the Assignment List and sees their score;
9. the same submitted notebooks graded through the zip path score the same, question by question;
10. nothing leaks: a student cannot read another's home, list the exchange's inbox, read the
    gradebook or the solutions, open another student's server or the formgrader service;
11. formgrader, where student work is shown, cannot start a kernel, open a terminal or write
    a file; the grading console beside it opens for the instructor only;
12. a self-paced learner on the same hub follows an nbgitpuller link twice: answers kept,
    the author's change merged in (see its section below).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import nbformat
import psutil
import pytest

from mlsd.grading.notebooks import graded_cells, read, set_source, strip_markers
from mlsd.hub import cli
from tests.grading.wrong_answers.s09_common_mistakes import WRONG_ANSWERS
from tests.hub import harness
from tests.hub.harness import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SECTION = "09-common-mistakes"
NOTEBOOK = "common-mistakes.ipynb"
WRITTEN = "numbers-rewrite-09"
MANUAL_SCORES = {"mlsdt-ada": 3.0, "mlsdt-bob": 1.0}
STATE: dict = {}
TIMEOUT_MS = 90_000


# --- answers ----------------------------------------------------------------------------------


def reference_answers() -> dict[str, str]:
    (path,) = (ROOT / "solutions" / SECTION).glob("*.ipynb")
    return {
        c.grade_id: strip_markers(c.source)
        for c in graded_cells(read(path))
        if c.kind == "solution"
    }


def answers_of(student: str) -> dict[str, str]:
    """Ada answers everything as the reference does; Bob gets the quiz wrong (a plausible
    wrong answer from the grading tests), leaves one stub untouched, writes a weak answer."""
    answers = reference_answers()
    if student == "mlsdt-bob":
        answers["mistake-quiz"] = WRONG_ANSWERS["mistake-quiz"][1][1]
        answers.pop("numbers-units")
        answers[WRITTEN] = "Say some numbers."
    return answers


# --- browser helpers --------------------------------------------------------------------------


def login(chrome, hub, user: str):
    context = chrome.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.passwords[user])
    page.click("#login_submit")
    page.wait_for_load_state()
    return page, errors


def page_of(chrome, hub, user: str):
    if user not in STATE.setdefault("pages", {}):
        STATE["pages"][user] = login(chrome, hub, user)
    return STATE["pages"][user][0]


def open_lab(page, hub, user: str) -> None:
    """The hub's Start My Server route: starts the server if it is not running (after the
    hub's restart it is not), then opens JupyterLab."""
    page.goto(f"{hub.url}/hub/spawn/{user}?next=/user/{user}/lab", wait_until="domcontentloaded")
    page.wait_for_selector("#jp-main-dock-panel", timeout=120_000)


def open_nbgrader_menu(page) -> list[str]:
    """Open JupyterLab's Nbgrader menu; its item labels."""
    menu = page.locator(".lm-Menu .lm-Menu-itemLabel")
    for _ in range(3):
        page.click(".lm-MenuBar-itemLabel:text-is('Nbgrader')")
        try:
            menu.first.wait_for(timeout=5_000)
            break
        except Exception:  # the menu bar was still settling: try again
            page.keyboard.press("Escape")
    return menu.all_inner_texts()


def open_assignment_list(page) -> list[str]:
    """Open the Assignment List from the Nbgrader menu; returns the menu's item labels."""
    items = open_nbgrader_menu(page)
    page.click(".lm-Menu .lm-Menu-itemLabel:text-is('Assignment List')")
    page.wait_for_selector("#released_assignments_list")
    return items


def formgrader(page, hub, path: str = "manage_assignments") -> None:
    page.goto(f"{hub.url}/services/{hub.settings.course_id}/formgrader/{path}")


def click_assignment_action(page, action: str, success: str) -> None:
    """Click formgrader's button in section 09's row (release, collect, release-feedback)."""
    row = page.locator("#main-table tr", has_text=SECTION)
    row.locator(f"td.{action} a").click()
    page.wait_for_selector(f".modal-body:has-text('{success}')", timeout=TIMEOUT_MS)
    page.locator(".modal-footer button").first.click()


def save_through_server(page, hub, user: str, rel: str, nb) -> int:
    """Save a notebook through the student's own server (JupyterLab's contents API)."""
    url = f"{hub.url}/user/{user}/api/contents/{rel}"
    body = json.dumps({"type": "notebook", "format": "json", "content": nb})
    return page.evaluate(
        """async ([url, body]) => {
            const xsrf = document.cookie.split('; ').find(c => c.startsWith('_xsrf='));
            const token = xsrf ? decodeURIComponent(xsrf.slice(6)) : '';
            const r = await fetch(url, {method: 'PUT', body,
                headers: {'Content-Type': 'application/json', 'X-XSRFToken': token}});
            return r.status;
        }""",
        [url, body],
    )


def gradebook_scores(db: Path, student: str) -> dict[str, tuple[float | None, float | None]]:
    """grade id -> (auto score, manual score) of a student's section 09 (read as root)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{db}") as gb:
        sub = gb.find_submission(SECTION, student)
        return {g.name: (g.auto_score, g.manual_score) for nb in sub.notebooks for g in nb.grades}


# --- the cycle, in order ----------------------------------------------------------------------


def test_1_instructor_releases_section_09(class_hub, chrome):
    mlsd = str(class_hub.settings.bin / "mlsd")
    done = class_hub.run_as_grader(mlsd, "grade", "release", SECTION)
    assert done.returncode == 0, done.stdout + done.stderr
    page = page_of(chrome, class_hub, "mlsdt-inst")
    formgrader(page, class_hub)
    click_assignment_action(page, "release", "Successfully released")
    outbound = class_hub.settings.exchange / class_hub.settings.course_id / "outbound"
    assert (outbound / SECTION / NOTEBOOK).is_file()


@pytest.mark.parametrize("student", ["mlsdt-ada", "mlsdt-bob"])
def test_2_student_fetches_answers_and_submits(class_hub, chrome, student):
    page = page_of(chrome, class_hub, student)
    open_lab(page, class_hub, student)
    items = open_assignment_list(page)
    # The student's lab has the Assignment List and none of the instructor's tools.
    assert "Assignment List" in items
    assert not {"Formgrader", "Course List", "Create Assignment"} & set(items), items
    released = page.locator("#released_assignments_list .list_item", has_text=SECTION)
    released.locator("button", has_text="Fetch").click()
    fetched = page.locator("#fetched_assignments_list .list_item", has_text=SECTION).first
    fetched.wait_for()
    home_copy = class_hub.home(student) / SECTION / NOTEBOOK
    nb = nbformat.read(home_copy, as_version=4)
    for grade_id, source in answers_of(student).items():
        set_source(nb, grade_id, source)
    assert save_through_server(page, class_hub, student, f"{SECTION}/{NOTEBOOK}", nb) == 200
    fetched.locator("button", has_text="Submit").click()
    page.wait_for_selector(
        f"#submitted_assignments_list .list_item:has-text('{SECTION}')", timeout=TIMEOUT_MS
    )


def test_3_instructor_collects(class_hub, chrome):
    page = page_of(chrome, class_hub, "mlsdt-inst")
    formgrader(page, class_hub)
    click_assignment_action(page, "collect", "Successfully collected")
    submitted = class_hub.settings.autograder / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == ["mlsdt-ada", "mlsdt-bob"]


def test_4_autograde_grades_both(class_hub):
    mlsd = str(class_hub.settings.bin / "mlsd")
    done = class_hub.run_as_grader(mlsd, "grade", "autograde", SECTION)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {line.split()[0]: line for line in done.stdout.splitlines() if line.startswith("mlsdt-")}
    assert set(rows) == {"mlsdt-ada", "mlsdt-bob"}, done.stdout
    assert all(" graded " in row for row in rows.values()), done.stdout
    db = class_hub.settings.autograder / "gradebook.db"
    STATE["auto"] = {s: gradebook_scores(db, s) for s in ("mlsdt-ada", "mlsdt-bob")}
    ada = sum(a or 0 for a, _ in STATE["auto"]["mlsdt-ada"].values())
    bob = sum(a or 0 for a, _ in STATE["auto"]["mlsdt-bob"].values())
    assert 0 < bob < ada, STATE["auto"]


def test_5_hub_restart_keeps_users_sessions_and_gradebook(class_hub, chrome):
    db = class_hub.settings.autograder / "gradebook.db"
    class_hub.restart()
    assert {s: gradebook_scores(db, s) for s in STATE["auto"]} == STATE["auto"]
    # The instructor's browser session survives (same cookie secret and hub database).
    page = page_of(chrome, class_hub, "mlsdt-inst")
    formgrader(page, class_hub, f"gradebook/{SECTION}")
    page.wait_for_selector(f"a:has-text('{Path(NOTEBOOK).stem}')")
    assert "/hub/login" not in page.url


def test_6_instructor_grades_written_answers_in_formgrader(class_hub, chrome):
    page = page_of(chrome, class_hub, "mlsdt-inst")
    formgrader(page, class_hub, f"gradebook/{SECTION}/{Path(NOTEBOOK).stem}")
    links = page.locator("a:has-text('Submission #')")
    links.first.wait_for()
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) == 2
    for href in hrefs:
        page.goto(f"{class_hub.url}{href}")
        # The harness's roster names each student "Test <Name>": formgrader shows "Name, Test".
        last_name = page.locator(".name-shown").first.inner_text().split(",")[0].strip()
        student = f"mlsdt-{last_name.lower()}"
        box = page.locator(f"input.score#{WRITTEN}")
        box.fill(str(MANUAL_SCORES[student]))
        # formgrader saves a score when its box loses focus (a PUT to its grade API)
        with page.expect_response(
            lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT"
        ) as saved:
            box.press("Tab")
        assert saved.value.ok
    db = class_hub.settings.autograder / "gradebook.db"
    for student, score in MANUAL_SCORES.items():
        for _ in range(50):
            if gradebook_scores(db, student)[WRITTEN][1] == score:
                break
            page.wait_for_timeout(200)
        assert gradebook_scores(db, student)[WRITTEN][1] == score


def test_7_feedback_released(class_hub, chrome):
    mlsd = str(class_hub.settings.bin / "mlsd")
    done = class_hub.run_as_grader(mlsd, "grade", "feedback", SECTION)
    assert done.returncode == 0, done.stdout + done.stderr
    page = page_of(chrome, class_hub, "mlsdt-inst")
    formgrader(page, class_hub)
    click_assignment_action(page, "release-feedback", "Successfully released feedback")
    feedback = class_hub.settings.exchange / class_hub.settings.course_id / "feedback"
    assert len(list(feedback.glob("*.html"))) == 2


@pytest.mark.parametrize("student", ["mlsdt-ada", "mlsdt-bob"])
def test_8_student_fetches_feedback_and_sees_score(class_hub, chrome, student):
    page = page_of(chrome, class_hub, student)
    open_lab(page, class_hub, student)
    open_assignment_list(page)
    submitted = page.locator("#submitted_assignments_list .list_item", has_text=SECTION).first
    submitted.locator("button", has_text="Fetch Feedback").click()
    page.wait_for_selector("#submitted_assignments_list a:has-text('view feedback')")
    (html,) = (class_hub.home(student) / SECTION / "feedback").glob(f"*/{Path(NOTEBOOK).stem}.html")
    rel = html.relative_to(class_hub.home(student)).as_posix()
    page.goto(f"{class_hub.url}/user/{student}/files/{rel}")
    text = page.locator("body").inner_text()
    found = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", text)
    assert found, text[:500]
    final = gradebook_scores(class_hub.settings.autograder / "gradebook.db", student)
    expected = sum((m if m is not None else a or 0) for a, m in final.values())
    assert final[WRITTEN][1] == MANUAL_SCORES[student]
    assert float(found.group(1)) == pytest.approx(expected)
    assert float(found.group(2)) == pytest.approx(12.0)
    assert "BEGIN HIDDEN TESTS" not in text


def test_9_grades_equal_the_zip_path(class_hub):
    """The submitted notebooks, zipped as an LMS would, graded in a fresh course root."""
    work = Path(tempfile.mkdtemp(prefix="mlsdt-hub-zip-"))
    try:
        for part in ("solutions", "course", "data"):
            shutil.copytree(ROOT / part, work / part)
        (work / "autograder").mkdir()
        shutil.copy(ROOT / "autograder" / "nbgrader_config.py", work / "autograder")
        roster = work / "roster.csv"
        roster.write_text(
            "id,first_name,last_name,email\n"
            "mlsdt-ada,Ada,Test,ada@example.org\nmlsdt-bob,Bob,Test,bob@example.org\n"
        )
        archive = work / "downloads.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            for student in ("mlsdt-ada", "mlsdt-bob"):
                source = class_hub.settings.autograder / "submitted" / student / SECTION / NOTEBOOK
                zf.write(source, f"{student}/{NOTEBOOK}")
        mlsd = [sys.executable, "-m", "mlsd.cli", "grade"]
        for args in (
            ["roster", str(roster)],
            ["release", SECTION],
            ["collect", SECTION, "--from", str(archive)],
            ["autograde", SECTION],
        ):
            done = subprocess.run([*mlsd, *args], cwd=work, capture_output=True, text=True)
            assert done.returncode == 0, done.stdout + done.stderr
        for student in ("mlsdt-ada", "mlsdt-bob"):
            via_zip = gradebook_scores(work / "autograder" / "gradebook.db", student)
            via_hub = STATE["auto"][student]
            assert {k: a for k, (a, _) in via_zip.items()} == {
                k: a for k, (a, _) in via_hub.items()
            }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_10_nothing_leaks_between_accounts(class_hub, chrome):
    ada, bob = "mlsdt-ada", "mlsdt-bob"
    secret = class_hub.home(bob) / SECTION / NOTEBOOK
    attempts = {
        "another student's notebook": ["cat", str(secret)],
        "another student's home": ["ls", str(class_hub.home(bob))],
        "the exchange inbox (others' submissions)": [
            "ls",
            str(class_hub.settings.exchange / class_hub.settings.course_id / "inbound"),
        ],
        "the gradebook": ["cat", str(class_hub.settings.autograder / "gradebook.db")],
        "the solutions": ["ls", str(class_hub.settings.course_root / "solutions")],
        "the instructor's home": ["ls", str(class_hub.home("mlsdt-inst"))],
    }
    for what, cmd in attempts.items():
        done = class_hub.run_as(ada, *cmd)
        assert done.returncode != 0 and "Permission denied" in done.stderr, (what, done)
    # Control: the same commands work for the owner, so the denial above is a real one.
    assert class_hub.run_as(bob, "cat", str(secret)).returncode == 0
    # Through the web, with Ada's cookies (the browser context's own request client, which
    # follows the hub's redirects): neither Bob's server nor the formgrader service answers.
    page = page_of(chrome, class_hub, ada)
    for url in (
        f"{class_hub.url}/user/{bob}/api/contents/{SECTION}/{NOTEBOOK}",
        f"{class_hub.url}/services/{class_hub.settings.course_id}/formgrader/api/assignments",
    ):
        answer = page.context.request.get(url, max_redirects=10)
        assert answer.status in (403, 404), (url, answer.status, answer.url)
        assert "mistake-quiz" not in answer.text()
    # Control: Ada's own notebook through her own server does answer.
    own = page.context.request.get(f"{class_hub.url}/user/{ada}/api/contents/{SECTION}/{NOTEBOOK}")
    assert own.status == 200 and "mistake-quiz" in own.text()


SNOOPER = """
import json, sys, zmq
ctx, got = zmq.Context(), 0
subs = []
for port in json.loads(sys.argv[1]):
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    sub.connect(f"tcp://127.0.0.1:{port}")
    subs.append(sub)
poller = zmq.Poller()
for sub in subs:
    poller.register(sub, zmq.POLLIN)
for _ in range(16):
    for sub, _ in poller.poll(500):
        sub.recv_multipart()
        got += 1
print(json.dumps({"messages": got}))
"""


def snoop_as(hub, user: str, ports: list[int]) -> dict:
    """What ``user`` hears for 8 s on these TCP ports (SUB sockets subscribed to everything)."""
    done = hub.run_as(user, "python", "-c", SNOOPER, json.dumps(ports), timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def run_in_kernel(connection: Path, code: str) -> str:
    """Run code in a kernel as root through its connection file; what it printed."""
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient(connection_file=str(connection))
    client.load_connection_file()
    client.start_channels()
    out = []
    try:
        client.wait_for_ready(timeout=60)
        client.execute_interactive(
            code, timeout=60, output_hook=lambda m: out.append(str(m["content"].get("text", "")))
        )
    finally:
        client.stop_channels()
    return "".join(out)


def test_10_kernels_listen_only_on_sockets_in_the_private_home(class_hub, chrome):
    """A TCP kernel's IOPub port on 127.0.0.1 would give any account its code and outputs;
    the server's kernels use Unix sockets in the owner's private ~/.jrun instead."""
    ada, bob = "mlsdt-ada", "mlsdt-bob"
    page = page_of(chrome, class_hub, bob)
    open_lab(page, class_hub, bob)
    started = page.context.request.post(
        f"{class_hub.url}/user/{bob}/api/kernels",
        headers={"X-XSRFToken": _xsrf_for(page, f"/user/{bob}/")},
        data={"name": "python3"},
    )
    assert started.status == 201, started.text()
    kernel_id = started.json()["id"]
    runtime = class_hub.home(bob) / ".jrun"
    connection = runtime / f"kernel-{kernel_id}.json"
    try:
        deadline = time.monotonic() + 60
        kernel = None
        while kernel is None and time.monotonic() < deadline:
            kernel = next(
                (
                    proc
                    for proc in psutil.process_iter(["cmdline"])
                    if str(connection) in (proc.info["cmdline"] or [])
                ),
                None,
            )
            time.sleep(0.5)
        uid = class_hub.home(bob).stat().st_uid
        bobs = [
            " ".join(proc.info["cmdline"] or [])
            for proc in psutil.process_iter(["cmdline", "uids"])
            if proc.info["uids"] and proc.info["uids"].real == uid
        ]
        assert kernel is not None, f"no kernel process reads {connection}; {bob} runs {bobs}"
        info = json.loads(connection.read_text())
        assert info["transport"] == "ipc" and info["ip"].startswith(f"{runtime}/"), info
        # The process starts before it binds: on a busy machine its imports take seconds.
        iopub = Path(f"{info['ip']}-{info['iopub_port']}")
        bound_by = time.monotonic() + 60
        while not iopub.exists() and kernel.is_running() and time.monotonic() < bound_by:
            time.sleep(0.2)
        assert iopub.exists(), f"{bob}'s kernel made no IOPub socket {iopub} within 60 s"
        assert stat.S_ISSOCK(iopub.stat().st_mode), f"{iopub} is not a socket"
        denied = class_hub.run_as(ada, "ls", str(iopub))
        assert denied.returncode != 0 and "Permission denied" in denied.stderr, denied
        # ipykernel still listens on one TCP port: its IOPub pipe, where forked children send
        # output in (it only receives, and drops messages without the kernel's random key).
        # Ada subscribes to every TCP port Bob's kernel listens on while it prints a secret.
        ports = [c.laddr.port for c in kernel.net_connections(kind="inet") if c.status == "LISTEN"]
        heard = {}
        snoop = threading.Thread(target=lambda: heard.update(snoop_as(class_hub, ada, ports)))
        snoop.start()
        time.sleep(3)  # the snooper is subscribed
        printed = run_in_kernel(connection, "print('bob-secret-' + 'x' * 3)")
        snoop.join(60)
        assert "bob-secret-xxx" in printed  # control: the kernel did print it
        assert heard == {"messages": 0}, heard
    finally:
        page.context.request.delete(
            f"{class_hub.url}/user/{bob}/api/kernels/{kernel_id}",
            headers={"X-XSRFToken": _xsrf_for(page, f"/user/{bob}/")},
        )


def _xsrf_for(page, path: str) -> str:
    cookies = [
        c for c in page.context.cookies() if c["name"] == "_xsrf" and path.startswith(c["path"])
    ]
    return max(cookies, key=lambda c: len(c["path"]))["value"] if cookies else ""


def test_11_formgrader_service_displays_but_cannot_act(class_hub, chrome):
    """Formgrader (where student work is shown) is locked down as `mlsd grade ui` is; the
    grading console beside it is the instructors' only, and students reach neither."""
    page = page_of(chrome, class_hub, "mlsdt-inst")
    fg = f"/services/{class_hub.settings.course_id}"
    formgrader(page, class_hub)  # sets the service's cookies
    headers = {"X-XSRFToken": _xsrf_for(page, fg + "/")}
    request = page.context.request
    kernel = request.post(f"{class_hub.url}{fg}/api/kernels", headers=headers, data={})
    # refused by the server's own rule (not by a missing XSRF token: the message says why)
    assert kernel.status == 403 and "read-only grading server" in kernel.text(), kernel.text()
    terminal = request.post(f"{class_hub.url}{fg}/api/terminals", headers=headers)
    assert terminal.status == 404, terminal.text()
    write = request.put(
        f"{class_hub.url}{fg}/api/contents/autograder/nbgrader_config.py",
        headers=headers,
        data={"type": "file", "format": "text", "content": "c = get_config()"},
    )
    assert write.status == 403 and "read-only grading server" in write.text(), write.text()
    # Control: the same session reads through that server (formgrader's own API answers).
    assert request.get(f"{class_hub.url}{fg}/formgrader/api/assignments").ok
    # The grading console: its JupyterLab opens for the instructor (after the hub's OAuth
    # round trip) and refuses a student.
    console = f"{class_hub.url}/services/{class_hub.settings.console_service}/lab"
    opened = request.get(console, max_redirects=10)
    assert opened.status == 200 and "jupyter-config-data" in opened.text()
    student = page_of(chrome, class_hub, "mlsdt-bob").context.request
    assert student.get(console, max_redirects=10).status in (403, 404)


# --- a self-paced learner on the same hub: the nbgitpuller link -------------------------------
#
# A self-paced learner's nbgitpuller link keeps their answers (issue 15, part 1).
#
# A learner account on a hub of its own opens the link ``mlsd hub link`` prints, for a
# repository on this machine (nbgitpuller clones any git URL; ``file://`` keeps it on loopback):
#
# 1. first click: nbgitpuller clones the workbook, the link ends on ``/mlsd/update``, which
#    seeds ``work/`` from ``course/`` (``mlsd update``) and opens JupyterLab on it;
# 2. the learner answers an exercise in ``work/`` (saved through their own server);
# 3. the author changes that section (a new sentence in a markdown cell) and pushes;
# 4. second click: nbgitpuller pulls (``course/`` is clean, so its merge is a fast-forward)
#    and the update page merges the new text into ``work/``: the new sentence arrives and the
#    learner's answer is still there, with the old copy in ``work/.backups/``.

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
def workbook_repo(class_hub):
    """A bare repository of the workbook's course (what learners clone), and an author's
    clone to push changes from; both readable by the learner account."""
    base = class_hub.folder / "git"
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


def test_12_nbgitpuller_link_keeps_answers_and_brings_course_changes(
    class_hub, workbook_repo, chrome
):
    author, bare, url = workbook_repo
    link = cli.nbgitpuller_link(class_hub.settings, url, "main", "mlsd-workbook")
    context = chrome.new_context()
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{class_hub.url}/hub/login")
    page.fill("#username_input", LEARNER)
    page.fill("#password_input", class_hub.passwords[LEARNER])
    page.click("#login_submit")
    page.wait_for_load_state()

    # 1. first click: clone, seed work/, open JupyterLab on it
    text = open_link(page, link)
    assert "Course updated" in text
    home = class_hub.home(LEARNER)
    mine = home / "mlsd-workbook" / "work" / SECTION / NOTEBOOK
    assert mine.is_file(), text
    page.wait_for_url("**/lab/tree/mlsd-workbook/work**", timeout=60_000)

    # 2. the learner answers in work/, through their own server
    nb = nbformat.read(mine, as_version=4)
    set_source(nb, "mistake-quiz", ANSWER)
    url = f"{class_hub.url}/user/{LEARNER}/api/contents/mlsd-workbook/work/{SECTION}/{NOTEBOOK}"
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
