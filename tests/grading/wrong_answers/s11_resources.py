"""Wrong answers for section 11 (resources, study plan, self-check); see the package docstring."""

WRONG_ANSWERS: dict[str, list[tuple[str, str]]] = {
    "resources-filter": [
        (
            "returns None (filters, forgets to return)",
            "def filter_resources(table, topic=None, kind=None):\n"
            "    rows = table[table['kind'] == kind]\n",
        ),
        (
            "substring match: 'search' found inside 'research'",
            "def filter_resources(table, topic=None, kind=None):\n"
            "    mask = table['kind'].notna()\n"
            "    if kind is not None:\n"
            "        mask &= table['kind'] == kind\n"
            "    if topic is not None:\n"
            "        mask &= table['topics'].fillna('').str.contains(topic, regex=False)\n"
            "    return table[mask]\n",
        ),
        (
            "None treated as a value (boundary: no filter)",
            "def filter_resources(table, topic=None, kind=None):\n"
            "    parts = table['topics'].fillna('').str.split(';')\n"
            "    return table[(table['kind'] == kind) & parts.map(lambda p: topic in p)]\n",
        ),
        (
            "topic ignored",
            "def filter_resources(table, topic=None, kind=None):\n"
            "    return table if kind is None else table[table['kind'] == kind]\n",
        ),
    ],
    "resources-mock-days": [
        (
            "returns None",
            "def mock_days(days, mock_every):\n    chosen = [days - 1]\n",
        ),
        (
            "counts from 1: day mock_every instead of mock_every - 1 (boundary)",
            "def mock_days(days, mock_every):\n"
            "    chosen = set(range(mock_every, days, mock_every)) if mock_every else set()\n"
            "    if days >= 2:\n"
            "        chosen.add(days - 1)\n"
            "    return sorted(chosen)\n",
        ),
        (
            "last day listed twice",
            "def mock_days(days, mock_every):\n"
            "    chosen = list(range(mock_every - 1, days, mock_every)) if mock_every else []\n"
            "    if days >= 2:\n"
            "        chosen.append(days - 1)\n"
            "    return chosen\n",
        ),
        (
            "a mock on the only day left (hidden boundary: days = 1)",
            "def mock_days(days, mock_every):\n"
            "    chosen = set(range(mock_every - 1, days, mock_every)) if mock_every else set()\n"
            "    chosen.add(days - 1)\n"
            "    return sorted(chosen)\n",
        ),
    ],
    "resources-cell-status": [
        (
            "returns None when nothing matches",
            "def cell_status(outputs):\n"
            "    for o in outputs:\n"
            "        if 'visible checks passed' in o.get('text', ''):\n"
            "            return 'passed'\n",
        ),
        (
            "pass message checked before errors (hidden: a later check failed)",
            "def cell_status(outputs):\n"
            "    for o in outputs:\n"
            "        if 'visible checks passed' in o.get('text', ''):\n"
            "            return 'passed'\n"
            "    for o in outputs:\n"
            "        if o.get('output_type') == 'error':\n"
            "            missing = o.get('ename') == 'NotAttempted'\n"
            "            return 'not attempted' if missing else 'incorrect'\n"
            "    return 'not run'\n",
        ),
        (
            "any output counts as passed (boundary: printed text only)",
            "def cell_status(outputs):\n"
            "    errors = [o for o in outputs if o.get('output_type') == 'error']\n"
            "    if errors:\n"
            "        missing = errors[0].get('ename') == 'NotAttempted'\n"
            "        return 'not attempted' if missing else 'incorrect'\n"
            "    return 'passed' if outputs else 'not run'\n",
        ),
        (
            "every error is 'not attempted'",
            "def cell_status(outputs):\n"
            "    if any(o.get('output_type') == 'error' for o in outputs):\n"
            "        return 'not attempted'\n"
            "    if any('visible checks passed' in o.get('text', '') for o in outputs):\n"
            "        return 'passed'\n"
            "    return 'not run'\n",
        ),
    ],
}
