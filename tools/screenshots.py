"""Regenerate docs/screenshots/*.png (the README's pictures) from a real browser.

    .venv/bin/python tools/screenshots.py      (or: make screenshots)

Runs the browser tests that take screenshots, with MLSD_SCREENSHOT_DIR=docs/screenshots: each
registered section's main widget in JupyterLab (``<section>-<widget>.png``) and in presenter
mode (``<section>-presenter.png``). Every widget's picture also lands in tests/artifacts/.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MLSD_SCREENSHOT_DIR": str(out)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/browser/test_lab.py::test_screenshot",
            "tests/browser/test_presenter.py::test_widget_responds_to_the_keyboard",
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )
    print("\n".join(f"wrote {p.relative_to(ROOT)}" for p in sorted(out.glob("*.png"))))
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
