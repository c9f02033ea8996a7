"""Wrong answers for section 10 (practice problems); see the package docstring."""

_RIGHT = {
    1: "200e6 * 10 / 86_400 * 3",
    2: "80e6 * 5 / 86_400 * 3",
    3: "80e6 * 128 * 4",
    4: "8e9 * 10_000 * 3",
    5: "500e6 * 64 * 4",
    6: "3 / 0.0001",
    7: "1000 / 30",
    8: "100e6 * 40 / 86_400 * 3",
    9: "math.ceil(5e6 / 86_400 * 3 / (10 * (1 - 0.3)))",
    10: "150e6 / 86_400 * 3",
    11: "1e6 / 3600",
}


def _estimates(**changes) -> str:
    body = ", ".join(f"{n}: {changes.get(f'p{n}', expr)}" for n, expr in _RIGHT.items())
    return f"def problem_estimates():\n    return {{{body}}}\n"


WRONG_ANSWERS: dict[str, list[tuple[str, str]]] = {
    "practice-estimates": [
        (
            "returns None (builds the dict, forgets to return it)",
            _estimates().replace("return {", "answers = {"),
        ),
        ("no peak factor on problem 1", _estimates(p1="200e6 * 10 / 86_400")),
        (
            "servers not rounded up / no headroom (hidden: problem 9)",
            _estimates(p9="5e6 / 86_400 * 3 / 10"),
        ),
        (
            "bits instead of bytes for Spotify (hidden: problem 3)",
            _estimates(p3="80e6 * 128 * 4 * 8"),
        ),
        ("rule of three in percent (hidden: problem 6)", _estimates(p6="3 / 0.01")),
        ("posts per hour divided by 60 (boundary of units)", _estimates(p11="1e6 / 60")),
    ],
    "practice-frame-budget": [
        (
            "returns None",
            "def frame_budget_ms(fps, other):\n    budget = 1000 / fps - other\n",
        ),
        (
            "seconds instead of milliseconds",
            "def frame_budget_ms(fps, other):\n    return 1 / fps - other / 1000\n",
        ),
        (
            "clamped at 0 (boundary: hidden negative budget)",
            "def frame_budget_ms(fps, other):\n    return max(0.0, 1000 / fps - other)\n",
        ),
        (
            "ignores the other stages",
            "def frame_budget_ms(fps, other):\n    return 1000 / fps\n",
        ),
    ],
    "practice-face-unlock": [
        (
            "returns None",
            "def face_unlock_ok(fa, imp, ta, gen):\n    ok = fa / imp < 0.0001\n",
        ),
        (
            "boundary: <= 0.01 % and >= 99.9 %",
            "def face_unlock_ok(fa, imp, ta, gen):\n"
            "    far = 100 * fa / imp\n"
            "    tar = 100 * ta / gen\n"
            "    return far <= 0.01 and tar >= 99.9\n",
        ),
        (
            "fraction compared with a percentage",
            "def face_unlock_ok(fa, imp, ta, gen):\n"
            "    far = fa / imp\n"
            "    tar = 100 * ta / gen\n"
            "    return far < 0.01 and tar > 99.9\n",
        ),
        (
            "false accepts divided by all attempts",
            "def face_unlock_ok(fa, imp, ta, gen):\n"
            "    far = 100 * false_accepts / (imp + gen)\n"
            "    tar = 100 * ta / gen\n"
            "    return far < 0.01 and tar > 99.9\n",
        ),
        (
            "only the security target (accuracy ignored)",
            "def face_unlock_ok(fa, imp, ta, gen):\n    return 100 * fa / imp < 0.01\n",
        ),
    ],
    "practice-fraud-targets": [
        (
            "returns None",
            "def fraud_ok(y_true, y_pred):\n    recall = sum(y_pred) / len(y_pred)\n",
        ),
        (
            "boundary: >= 90 % and <= 2 %",
            "import numpy as np\n"
            "def fraud_ok(y_true, y_pred):\n"
            "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
            "    recall, fpr = y_pred[y_true == 1].mean(), y_pred[y_true == 0].mean()\n"
            "    return bool(recall >= 0.9 and fpr <= 0.02)\n",
        ),
        (
            "false positives divided by all transactions",
            "import numpy as np\n"
            "def fraud_ok(y_true, y_pred):\n"
            "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
            "    fpr = ((y_pred == 1) & (y_true == 0)).sum() / len(y_true)\n"
            "    return bool(y_pred[y_true == 1].mean() > 0.9 and fpr < 0.02)\n",
        ),
        (
            "false positives divided by all flagged (false discovery rate)",
            "import numpy as np\n"
            "def fraud_ok(y_true, y_pred):\n"
            "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
            "    fdr = ((y_pred == 1) & (y_true == 0)).sum() / max((y_pred == 1).sum(), 1)\n"
            "    return bool(y_pred[y_true == 1].mean() > 0.9 and fdr < 0.02)\n",
        ),
        (
            "accuracy instead of recall",
            "import numpy as np\n"
            "def fraud_ok(y_true, y_pred):\n"
            "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
            "    acc = (y_true == y_pred).mean()\n"
            "    return bool(acc > 0.9 and y_pred[y_true == 0].mean() < 0.02)\n",
        ),
    ],
}
