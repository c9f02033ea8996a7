"""Wrong answers for section 12 (the mock interview); see the package docstring.

The gaming route: the visible cases typed in as a table keyed by the stages' names and
lengths. It passes the visible check and must lose the points, because the hidden tests use
designs the learner never saw.
"""

_HEAD = "def critical_path(stages):\n"

WRONG_ANSWERS: dict[str, list[tuple[str, str]]] = {
    "mock-critical-path": [
        (
            "returns None (computes, forgets to return)",
            _HEAD
            + "    total = sum(s['latency_ms'] or 0 for s in stages if s['path'] == 'online')\n",
        ),
        (
            "adds every stage, nearline and offline included",
            _HEAD
            + "    if any(s['latency_ms'] is None for s in stages if s['path'] == 'online'):\n"
            "        return None\n"
            "    return float(sum(s['latency_ms'] or 0 for s in stages))\n",
        ),
        (
            "adds parallel stages instead of taking the slowest",
            _HEAD + "    online = [s for s in stages if s['path'] == 'online']\n"
            "    if any(s['latency_ms'] is None for s in online):\n"
            "        return None\n"
            "    return float(sum(s['latency_ms'] for s in online))\n",
        ),
        (
            "a missing budget counted as 0 ms instead of unknown",
            _HEAD + "    total, groups = 0.0, {}\n"
            "    for s in stages:\n"
            "        if s['path'] != 'online':\n"
            "            continue\n"
            "        ms = s['latency_ms'] or 0\n"
            "        if s['parallel_group']:\n"
            "            g = s['parallel_group']\n"
            "            groups[g] = max(groups.get(g, 0), ms)\n"
            "        else:\n"
            "            total += ms\n"
            "    return total + sum(groups.values())\n",
        ),
        (
            "the slowest of all online stages (treats the whole path as parallel)",
            _HEAD + "    online = [s['latency_ms'] for s in stages if s['path'] == 'online']\n"
            "    if any(ms is None for ms in online):\n"
            "        return None\n"
            "    return float(max(online, default=0.0))\n",
        ),
        (
            "gaming route: the visible cases as a table",
            _HEAD + "    key = tuple((s['name'], s['latency_ms']) for s in stages)\n"
            "    table = {\n"
            "        (('gateway', 10), ('rank', 60)): 70.0,\n"
            "        (('gateway', 10), ('lexical', 80), ('semantic', 70), ('rank', 40)): 130.0,\n"
            "        (('score', 20), ('session features', 120_000), ('training', None)): 20.0,\n"
            "        (('gateway', 10), ('rank', None)): None,\n"
            "        (): 0.0,\n"
            "    }\n"
            "    return table.get(key, 0.0)\n",
        ),
    ],
}
