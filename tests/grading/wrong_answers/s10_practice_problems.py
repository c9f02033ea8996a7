"""Wrong answers for section 10 (practice problems); see the package docstring.

Each exercise also lists its gaming route: an answer built from the visible checks' feedback
(the visible cases typed in as a table). It passes the visible check and must lose the points
at grading, because the hidden tests call the function with inputs the learner never saw.
"""

# The reference answer of problem_estimate, one branch per kind of estimate; a wrong answer
# replaces one branch's expression.
_BRANCHES = {
    "qps": 'a["daily_users"] * a["requests_per_user"] / day * a["peak_factor"]',
    "tps": 'a["transactions_per_day"] / day * a["peak_factor"]',
    "memory": 'a["items"] * a["dimensions"] * a["bytes_per_value"]',
    "storage": 'a["pages"] * a["bytes_per_page"] * a["replicas"]',
    "rule_of_three": '3 / a["max_false_accept_rate"]',
    "frame": '1000 / a["fps"]',
    "servers": 'math.ceil(a["questions_per_day"] / day * a["peak_factor"]'
    ' / (a["per_server_qps"] * (1 - a["headroom"])))',
    "posts": 'a["posts_per_hour"] / 3600',
}


def _estimate(keyword: str = "return", **changes) -> str:
    b = _BRANCHES | changes
    return (
        "def problem_estimate(number, inputs):\n"
        "    a, day = inputs, 86_400\n"
        f"    if number in (1, 2, 8):\n        {keyword} {b['qps']}\n"
        f"    if number == 10:\n        {keyword} {b['tps']}\n"
        f"    if number in (3, 5):\n        {keyword} {b['memory']}\n"
        f"    if number == 4:\n        {keyword} {b['storage']}\n"
        f"    if number == 6:\n        {keyword} {b['rule_of_three']}\n"
        f"    if number == 7:\n        {keyword} {b['frame']}\n"
        f"    if number == 9:\n        {keyword} {b['servers']}\n"
        f"    {keyword} {b['posts']}\n"
    )


_VISIBLE_TABLE = (
    "def problem_estimate(number, inputs):\n"
    "    # the prompt's values typed in; inputs only used to spot the worked examples\n"
    "    if number == 9 and inputs.get('questions_per_day') == 1e6:\n"
    "        return 8\n"
    "    if number == 3 and inputs.get('bytes_per_value') == 2:\n"
    "        return 80e6 * 128 * 2\n"
    "    if number == 7 and inputs.get('fps') == 60:\n"
    "        return 1000 / 60\n"
    "    return {1: 200e6 * 10 / 86_400 * 3, 2: 80e6 * 5 / 86_400 * 3, 3: 80e6 * 128 * 4,\n"
    "            4: 8e9 * 10_000 * 3, 5: 500e6 * 64 * 4, 6: 3 / 0.0001, 7: 1000 / 30,\n"
    "            8: 100e6 * 40 / 86_400 * 3, 9: 25, 10: 150e6 / 86_400 * 3,\n"
    "            11: 1e6 / 3600}[number]\n"
)

WRONG_ANSWERS: dict[str, list[tuple[str, str]]] = {
    "problem-estimate": [
        ("returns None (computes, forgets to return)", _estimate(keyword="value =")),
        (
            "no peak factor on the QPS problems",
            _estimate(qps='a["daily_users"] * a["requests_per_user"] / day'),
        ),
        (
            "servers not rounded up (boundary: 24.8 servers is 25)",
            _estimate(
                servers='a["questions_per_day"] / day * a["peak_factor"]'
                ' / (a["per_server_qps"] * (1 - a["headroom"]))'
            ),
        ),
        (
            "bits instead of bytes for embeddings",
            _estimate(memory='a["items"] * a["dimensions"] * a["bytes_per_value"] * 8'),
        ),
        ("posts per hour divided by 60", _estimate(posts='a["posts_per_hour"] / 60')),
        ("gaming: the visible table typed in, inputs ignored", _VISIBLE_TABLE),
    ],
    "pipeline-timing": [
        (
            "returns None",
            "def pipeline_timing(stage_ms, copies):\n"
            "    fps = min(k * 1000 / t for t, k in zip(stage_ms, copies))\n",
        ),
        (
            "'everything must fit before the next frame': 1,000 / the sum of the stages",
            "def pipeline_timing(stage_ms, copies):\n"
            "    return 1000 / sum(stage_ms), sum(stage_ms)\n",
        ),
        (
            "copies divide the latency too",
            "def pipeline_timing(stage_ms, copies):\n"
            "    fps = min(k * 1000 / t for t, k in zip(stage_ms, copies))\n"
            "    return fps, sum(t / k for t, k in zip(stage_ms, copies))\n",
        ),
        (
            "copies ignored",
            "def pipeline_timing(stage_ms, copies):\n"
            "    return 1000 / max(stage_ms), sum(stage_ms)\n",
        ),
        (
            "boundary: whole frames per second (integer division)",
            "def pipeline_timing(stage_ms, copies):\n"
            "    fps = min(k * 1000 // t for t, k in zip(stage_ms, copies))\n"
            "    return fps, sum(stage_ms)\n",
        ),
        (
            "gaming: the visible cases typed in",
            "def pipeline_timing(stage_ms, copies):\n"
            "    if list(copies) == [1, 2, 1]:\n"
            "        return 40.0, 65.0\n"
            "    return {6: (1000 / 15, 32.0), 3: (20.0, 65.0)}[len(stage_ms)]\n",
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
            "    far = 100 * fa / (imp + gen)\n"
            "    tar = 100 * ta / gen\n"
            "    return far < 0.01 and tar > 99.9\n",
        ),
        (
            "only the security target (accuracy ignored)",
            "def face_unlock_ok(fa, imp, ta, gen):\n    return 100 * fa / imp < 0.01\n",
        ),
        (
            "gaming: True only for the visible passing case",
            "def face_unlock_ok(fa, imp, ta, gen):\n"
            "    return (fa, imp, ta, gen) == (0, 30_000, 9_995, 10_000)\n",
        ),
    ],
    "practice-fraud-targets": [
        (
            "returns None",
            "def fraud_ok(y_true, y_pred):\n    recall = sum(y_pred) / len(y_pred)\n",
        ),
        (
            "boundary: >= 90 % and <= 2 %",
            "def fraud_ok(y_true, y_pred):\n"
            "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
            "    recall, fpr = y_pred[y_true == 1].mean(), y_pred[y_true == 0].mean()\n"
            "    return bool(recall >= 0.9 and fpr <= 0.02)\n",
        ),
        (
            "false positives divided by all transactions",
            "def fraud_ok(y_true, y_pred):\n"
            "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
            "    fpr = ((y_pred == 1) & (y_true == 0)).sum() / len(y_true)\n"
            "    return bool(y_pred[y_true == 1].mean() > 0.9 and fpr < 0.02)\n",
        ),
        (
            "false positives divided by all flagged (false discovery rate)",
            "def fraud_ok(y_true, y_pred):\n"
            "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
            "    fdr = ((y_pred == 1) & (y_true == 0)).sum() / max((y_pred == 1).sum(), 1)\n"
            "    return bool(y_pred[y_true == 1].mean() > 0.9 and fdr < 0.02)\n",
        ),
        (
            "accuracy instead of recall",
            "def fraud_ok(y_true, y_pred):\n"
            "    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)\n"
            "    acc = (y_true == y_pred).mean()\n"
            "    return bool(acc > 0.9 and y_pred[y_true == 0].mean() < 0.02)\n",
        ),
        (
            "gaming: True only for the visible passing case (105 flags)",
            "def fraud_ok(y_true, y_pred):\n    return int(sum(y_pred)) == 105\n",
        ),
    ],
    "practice-base-rate": [
        (
            "returns None",
            "def flag_outcomes(recall, fpr, prevalence, per_day):\n"
            "    precision = recall * prevalence / (recall * prevalence + fpr)\n",
        ),
        (
            "false positives from all transactions (ignores 1 - prevalence)",
            "def flag_outcomes(recall, fpr, prevalence, per_day):\n"
            "    caught, false_alarms = recall * prevalence * per_day, fpr * per_day\n"
            "    flagged = caught + false_alarms\n"
            "    return (caught / flagged if flagged else 0.0), false_alarms\n",
        ),
        (
            "precision as a percentage",
            "def flag_outcomes(recall, fpr, prevalence, per_day):\n"
            "    caught = recall * prevalence * per_day\n"
            "    false_alarms = fpr * (1 - prevalence) * per_day\n"
            "    flagged = caught + false_alarms\n"
            "    return (100 * caught / flagged if flagged else 0.0), false_alarms\n",
        ),
        (
            "boundary: divides by zero when nothing is flagged",
            "def flag_outcomes(recall, fpr, prevalence, per_day):\n"
            "    caught = recall * prevalence * per_day\n"
            "    false_alarms = fpr * (1 - prevalence) * per_day\n"
            "    return caught / (caught + false_alarms), false_alarms\n",
        ),
        (
            "precision taken to be the recall",
            "def flag_outcomes(recall, fpr, prevalence, per_day):\n"
            "    return recall, fpr * (1 - prevalence) * per_day\n",
        ),
        (
            "gaming: the visible cases typed in",
            "def flag_outcomes(recall, fpr, prevalence, per_day):\n"
            "    if recall == 0:\n"
            "        return 0.0, 0.0\n"
            "    if prevalence == 0.5:\n"
            "        return 0.9783, 10.0\n"
            "    return (0.0431, 2_997_000.0) if fpr == 0.02 else (0.5457, 74_925.0)\n",
        ),
    ],
}
