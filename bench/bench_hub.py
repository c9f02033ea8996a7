"""How many students one course server holds: N students log in at once (issue 15, part 3).

    .venv/bin/python bench/bench_hub.py [--sizes 5,10,20] [--cells 2] [--no-cull]

Needs root and the shared environment (`make hub-install`); `make bench-hub` runs it. It
starts a test hub (``tests/hub/harness.py``: the real config, ``mlsdt-*`` accounts, loopback
only, fixed test passwords) and, for each N, lets N simulated students at once:

1. log in through the hub's login form (its cookie and XSRF token, as a browser does);
2. wait for their server: the time to a ready server is login -> JupyterLab's page loads
   (spawn + the OAuth round trip of the first visit);
3. start a kernel and run the first ``--cells`` code cells of section 06 (the setup imports
   and the first widget) over the kernel's websocket;
4. have their processes' memory measured (PSS: shared pages split between sharers, so the
   per-user figures add up to what the machine holds) the moment their cells are done.

Between sizes every server is stopped. The rounds run with the real hour-long culler timeout:
a short one stops the servers of students who finished first while the last are still
logging in, and their figures are then read from processes already gone.
The culler is measured last, on a round of its own: the hub restarts with its timeout at
``CULL_IDLE_S``, ``CULLER_STUDENTS`` students log in and run their cells, then stay idle;
the bench reports how long the culler took to stop their servers and the memory left. Every
request goes to 127.0.0.1; every loop is bounded; the hub and every test account's process
are stopped at the end, on any exit.

Bar (issue 15): with 20 concurrent students, p95 time to a ready server < 30 s. Exit 1 if
it is missed. On a shared machine other processes take part of the two cores, and a wall
time then measures them too. The bench counts the CPU its own processes used (servers,
kernels, hub, proxy) against all the machine's busy CPU during the round (the bench's own
simulated browsers count as others: a real class runs them on its laptops); when other
processes took more than ``OTHERS_MAX`` of it, the verdict uses the p95 scaled to the whole
machine (p95 x cores this test got / cores) and says so; both figures are printed.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import pwd
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests
import websocket

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.hub import harness  # noqa: E402

SECTION_NOTEBOOK = harness.ROOT / "course" / "06-tradeoffs" / "tradeoffs.ipynb"
BAR_P95_S = 30.0
BAR_N = 20
CULL_IDLE_S = 60
CULLER_STUDENTS = 5
OTHERS_MAX = 0.2  # above this share of the busy CPU taken by other processes, scale the p95
STEP_TIMEOUT_S = 240.0


@dataclass
class Student:
    name: str
    password: str
    ready_s: float | None = None
    cells_s: float | None = None
    pss_mb: float | None = None
    cpu_s: float = 0.0
    error: str = ""
    session: requests.Session = field(default_factory=requests.Session)


def first_cells(count: int) -> list[str]:
    nb = json.loads(SECTION_NOTEBOOK.read_text("utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    return code[:count]


def cpu_of_uid(uid: int) -> float:
    """CPU seconds used so far by a user's live processes (their server and kernels)."""
    total = 0.0
    for proc in psutil.process_iter(["uids"]):
        with contextlib.suppress(psutil.Error):
            if proc.info["uids"] and proc.info["uids"].real == uid:
                t = proc.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
    return total


def hub_cpu(hub) -> float:
    """CPU seconds of the hub and its root children (proxy, culler, formgrader service)."""
    total = 0.0
    root = psutil.Process(hub.process.pid)
    for proc in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            if proc.uids().real == 0:
                t = proc.cpu_times()
                total += t.user + t.system
    return total


def pss_of_uid(uid: int) -> float:
    total = 0
    for proc in psutil.process_iter(["uids"]):
        with contextlib.suppress(psutil.Error):
            if proc.info["uids"] and proc.info["uids"].real == uid:
                total += proc.memory_full_info().pss
    return total / 2**20


def log_in_and_wait(hub, student: Student) -> None:
    s = student.session
    start = time.monotonic()
    s.get(f"{hub.url}/hub/login", timeout=30)
    s.post(
        f"{hub.url}/hub/login",
        data={"username": student.name, "password": student.password, "_xsrf": s.cookies["_xsrf"]},
        timeout=60,
    )
    # The hub starts the server on /hub/spawn; JupyterLab's page answers once it is up.
    deadline = start + STEP_TIMEOUT_S
    while time.monotonic() < deadline:
        page = s.get(f"{hub.url}/user/{student.name}/lab", timeout=60)
        if page.status_code == 200 and "/user/" in page.url and "jupyter-config-data" in page.text:
            student.ready_s = time.monotonic() - start
            return
        time.sleep(0.5)
    raise TimeoutError(f"no ready server after {STEP_TIMEOUT_S:.0f} s")


def _xsrf(session: requests.Session, path: str) -> str:
    for cookie in session.cookies:
        if cookie.name == "_xsrf" and path.startswith(cookie.path):
            return cookie.value
    return ""


def run_cells(hub, student: Student, cells: list[str]) -> None:
    s, base = student.session, f"{hub.url}/user/{student.name}"
    headers = {"X-XSRFToken": _xsrf(s, f"/user/{student.name}/")}
    kernel = s.post(f"{base}/api/kernels", json={"name": "python3"}, headers=headers, timeout=60)
    kernel.raise_for_status()
    cookie = "; ".join(f"{c.name}={c.value}" for c in s.cookies)
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{hub.settings.port}/user/{student.name}/api/kernels/"
        f"{kernel.json()['id']}/channels",
        header=[f"Cookie: {cookie}"],
        timeout=STEP_TIMEOUT_S,
    )
    start = time.monotonic()
    try:
        for code in cells:
            msg_id = uuid.uuid4().hex
            ws.send(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "msg_type": "execute_request",
                            "username": student.name,
                            "session": uuid.uuid4().hex,
                            "version": "5.3",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "content": {"code": code, "silent": False, "allow_stdin": False},
                        "channel": "shell",
                    }
                )
            )
            while True:
                reply = json.loads(ws.recv())
                if reply.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if reply["msg_type"] == "error":
                    raise RuntimeError(f"cell failed: {reply['content'].get('evalue')}")
                if reply["msg_type"] == "execute_reply":
                    break
    finally:
        ws.close()
    student.cells_s = time.monotonic() - start
    # Measured now, while this student's processes are certainly alive.
    uid = pwd.getpwnam(student.name).pw_uid
    student.pss_mb, student.cpu_s = pss_of_uid(uid), cpu_of_uid(uid)


def one_student(hub, student: Student, cells: list[str]) -> None:
    try:
        log_in_and_wait(hub, student)
        run_cells(hub, student, cells)
    except Exception as exc:  # reported in the table, never hidden
        student.error = f"{type(exc).__name__}: {exc}"[:200]


def stop_servers(hub, students: list[Student]) -> None:
    for st in students:
        with contextlib.suppress(requests.RequestException):
            st.session.delete(
                f"{hub.url}/hub/api/users/{st.name}/server",
                headers={"X-XSRFToken": _xsrf(st.session, "/hub/")},
                timeout=60,
            )
    deadline = time.monotonic() + STEP_TIMEOUT_S
    while time.monotonic() < deadline and user_processes(students):
        time.sleep(1)


def user_processes(students: list[Student]) -> list[str]:
    """The students' live processes, as "user: command" lines."""
    names = {pwd.getpwnam(s.name).pw_uid: s.name for s in students}
    found = []
    for proc in psutil.process_iter(["uids", "cmdline"]):
        with contextlib.suppress(psutil.Error):
            uids = proc.info["uids"]
            if uids and uids.real in names:
                command = " ".join(proc.info["cmdline"] or [])[:120]
                found.append(f"{names[uids.real]}: {command}")
    return found


def students_names(n: int) -> list[str]:
    return [f"mlsdt-s{i:02d}" for i in range(1, n + 1)]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def hub_rss_mb(hub) -> float:
    total = 0
    for proc in [psutil.Process(hub.process.pid), *psutil.Process(hub.process.pid).children()]:
        with contextlib.suppress(psutil.Error):
            if proc.uids().real == 0:
                total += proc.memory_full_info().pss
    return total / 2**20


def run_at_once(hub, students: list[Student], cells: list[str]) -> None:
    """Every student logs in and runs the cells at the same time; returns when all are done."""
    threads = [threading.Thread(target=one_student, args=(hub, s, cells)) for s in students]
    for t in threads:
        t.start()
    for t in threads:
        t.join(STEP_TIMEOUT_S * 2)


def print_failures(hub, students: list[Student]) -> None:
    for s in students:
        if s.error:
            print(f"  FAILED {s.name}: {s.error}")
            for log_line in hub_log_about(hub, s.name):
                print(f"    hub log: {log_line}")


def round_of(hub, n: int, cells: list[str]) -> tuple[dict, list[Student]]:
    students = [Student(name, hub.passwords[name]) for name in students_names(n)]
    cpu0, load0, hub0 = psutil.cpu_times(), os.getloadavg()[0], hub_cpu(hub)
    client0 = sum(psutil.Process().cpu_times()[:2])
    start = time.monotonic()
    run_at_once(hub, students, cells)
    wall = time.monotonic() - start
    user_cpu = [s.cpu_s for s in students]
    hub_used = hub_cpu(hub) - hub0
    client_used = sum(psutil.Process().cpu_times()[:2]) - client0
    cpu1 = psutil.cpu_times()
    busy = (cpu1.user + cpu1.system + cpu1.nice) - (cpu0.user + cpu0.system + cpu0.nice)
    ok = [s for s in students if not s.error]
    result = {
        "n": n,
        "ready": [s.ready_s for s in ok],
        "cells": [s.cells_s for s in ok],
        "pss": [s.pss_mb for s in ok],
        "total_pss": sum(s.pss_mb for s in students if s.pss_mb),
        "hub_pss": hub_rss_mb(hub),
        "wall": wall,
        "cpu_busy_s": busy,
        "user_cpu": user_cpu,
        "hub_cpu": hub_used,
        "client_cpu": client_used,
        "load_before": load0,
    }
    return result, students


def report(hub, r: dict, students: list[Student]) -> bool:
    n, ready = r["n"], r["ready"]
    print(f"== N = {n} students at once (load average before: {r['load_before']:.1f})")
    failed = any(s.error for s in students)
    print_failures(hub, students)
    if not ready:
        return False
    p50, p95 = statistics.median(ready), pct(ready, 0.95)
    print(
        f"  time to a ready server   p50 {p50:5.1f} s   p95 {p95:5.1f} s   max {max(ready):5.1f} s"
    )
    print(
        f"  first {ARGS.cells} code cells of section 06   p50 "
        f"{statistics.median(r['cells']):5.1f} s   p95 {pct(r['cells'], 0.95):5.1f} s"
    )
    print(
        f"  memory per active user (PSS) median {statistics.median(r['pss']):5.0f} MB   "
        f"max {max(r['pss']):5.0f} MB; all {n} users together {r['total_pss']:6.0f} MB; "
        f"hub + proxy {r['hub_pss']:4.0f} MB"
    )
    ours = sum(r["user_cpu"]) + r["hub_cpu"]
    print(
        f"  CPU per student (server + kernel) median {statistics.median(r['user_cpu']):4.1f} s; "
        f"hub + proxy {r['hub_cpu'] / n:4.2f} s per student"
    )
    print(
        f"  machine CPU busy {r['cpu_busy_s']:5.0f} core-s over {r['wall']:4.0f} s wall "
        f"({r['cpu_busy_s'] / max(r['wall'], 1e-9):.2f} of {psutil.cpu_count()} cores), "
        f"{ours:4.0f} core-s of it this test's ({ours / max(r['cpu_busy_s'], 1e-9):.0%})"
    )
    missed = False
    others = 1 - ours / max(r["cpu_busy_s"], 1e-9)
    got = ours / max(r["wall"], 1e-9)  # cores this test had on average
    scaled = p95 * min(1.0, got / psutil.cpu_count())
    if others > OTHERS_MAX:
        client = r["client_cpu"] / max(r["cpu_busy_s"], 1e-9)
        print(
            f"  other processes took {others:.0%} of the busy CPU ({client:.0%} this bench's "
            f"simulated browsers, which a real class runs on its own laptops): the server side "
            f"had {got:.2f} of {psutil.cpu_count()} cores; p95 scaled to the whole machine "
            f"{scaled:5.1f} s"
        )
    if n == BAR_N:
        judged, how = (
            (scaled, "scaled to the whole machine") if others > OTHERS_MAX else (p95, "measured")
        )
        verdict = "ok" if judged < BAR_P95_S and not failed else "MISSED"
        missed = verdict != "ok"
        print(f"  bar: p95 < {BAR_P95_S:.0f} s with {BAR_N} students ({how}): {verdict}")
    print(f"  ratio p95/p50: {p95 / p50:.2f}")
    return not missed and not failed


def hub_log_about(hub, name: str, lines: int = 25) -> list[str]:
    """The hub log's last lines about one student (their server's output is in that log)."""
    try:
        text = hub.log_path.read_text(errors="replace")
    except OSError:
        return ["(no hub log)"]
    return [line[:240] for line in text.splitlines() if name in line][-lines:]


def culler_round(hub, cells: list[str]) -> bool:
    """Restart the hub with a short culler timeout; students work, go idle, get culled."""
    hub.settings = dataclasses.replace(hub.settings, cull_idle=CULL_IDLE_S)
    hub.restart()
    students = [Student(name, hub.passwords[name]) for name in students_names(CULLER_STUDENTS)]
    run_at_once(hub, students, cells)
    title = f"== culler (idle {CULL_IDLE_S} s, checks every {hub.settings.cull_every} s)"
    if any(s.error for s in students):
        print(f"{title}: students failed before going idle")
        print_failures(hub, students)
        return False
    start = time.monotonic()
    before = sum(pss_of_uid(pwd.getpwnam(s.name).pw_uid) for s in students)
    deadline = start + CULL_IDLE_S + 3 * hub.settings.cull_every + 60
    while time.monotonic() < deadline and user_processes(students):
        time.sleep(2)
    left = user_processes(students)
    after = sum(pss_of_uid(pwd.getpwnam(s.name).pw_uid) for s in students)
    outcome = f"{len(left)} processes left" if left else f"all {len(students)} servers stopped"
    print(
        f"{title}: {outcome} {time.monotonic() - start:.0f} s after the last cell; "
        f"user memory {before:.0f} MB -> {after:.0f} MB"
    )
    for line in left:
        print(f"  LEFT {line}")
    return not left


def main() -> int:
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="5,10,20")
    parser.add_argument("--cells", type=int, default=2)
    parser.add_argument("--no-cull", action="store_true", help="skip the culler phase")
    ARGS = parser.parse_args()
    sizes = [int(x) for x in ARGS.sizes.split(",")]
    problem = harness.setup_problem()
    if problem:
        print(problem)
        return 2
    cells = first_cells(ARGS.cells)
    hub = harness.TestHub(
        instructors=[],
        students=students_names(max(max(sizes), CULLER_STUDENTS)),
        cull_every=10,
    )
    ok = True
    try:
        hub.start()
        memory_gb = psutil.virtual_memory().total / 2**30
        print(f"hub {hub.url}; {psutil.cpu_count()} cores, {memory_gb:.0f} GB")
        for n in sizes:
            result, students = round_of(hub, n, cells)
            ok &= report(hub, result, students)
            stop_servers(hub, students)
        if not ARGS.no_cull:
            ok &= culler_round(hub, cells)
    finally:
        if not ok:
            kept = (
                Path(tempfile.gettempdir()) / f"mlsd-bench-hub-{time.strftime('%Y%m%d-%H%M%S')}.log"
            )
            with contextlib.suppress(OSError):
                shutil.copyfile(hub.log_path, kept)
                print(f"the hub's whole log (servers and kernels too): {kept}")
        hub.close()
    if not ok:
        print("bars missed or students failed (see above)")
    return 0 if ok else 1


ARGS = None

if __name__ == "__main__":
    sys.exit(main())
