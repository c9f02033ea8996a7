"""One helper process for widgets whose redraw is CPU-bound and splits into independent parts.

The bandit explorer simulates three strategies with independent random streams; Thompson
sampling takes two thirds of the time. Run it in a second process while this one simulates
the other two, and the redraw waits for the slower half instead of the sum (on a machine
with at least two cores; with one, or while the helper is starting, or if it cannot start,
everything runs here).

The helper comes from a ``forkserver`` (a clean process, not a fork of the kernel with its
threads and sockets) that imports the simulator in advance. ``start()`` launches it from a
thread, so the widget's first draw never waits for it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor

PRELOAD = ["numpy", "mlsd.bandits"]

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_ready = threading.Event()  # set once the helper has started and imported PRELOAD
_state = "idle"  # idle -> starting -> ready | off


def _noop() -> None:
    return None


def _launch() -> None:
    global _pool, _state
    try:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        pool.submit(_noop).result(timeout=120)
    except Exception:  # no helper (e.g. a sandbox without /dev/shm): work stays here
        _state = "off"
        return
    _pool, _state = pool, "ready"
    _ready.set()


def start() -> None:
    """Start the helper in the background, once per process; a no-op on one core."""
    global _state
    with _lock:
        if _state != "idle":
            return
        if (os.cpu_count() or 1) < 2:
            _state = "off"
            return
        _state = "starting"
    threading.Thread(target=_launch, name="mlsd-helper-start", daemon=True).start()


def submit(function, /, *args, **kwargs) -> Future | None:
    """``function(*args, **kwargs)`` in the helper process; None if there is no helper yet
    (waiting for its start would cost more than doing the work here)."""
    global _state
    if not _ready.is_set() or _state != "ready":
        return None
    try:
        return _pool.submit(function, *args, **kwargs)
    except Exception:  # a broken pool (the helper was killed): stop using it
        _state = "off"
        return None
