"""mlsd.cell_contract on synthetic cells: free names and displayed values (both directions)."""

from __future__ import annotations

import pytest

from mlsd.cell_contract import (
    displayed_last_statement,
    free_names,
    top_level_names,
    violations,
    visible_part,
)


@pytest.mark.parametrize(
    ("source", "free"),
    [
        ("x = np.array([1])", {"np"}),  # the case the contract exists for
        ("import numpy as np\nx = np.array([1])", set()),
        ("from mlsd.checks.x import check\ncheck(f)", {"f"}),
        ("print(len(table))", {"table"}),
        ("def g(a, *b, k=1, **kw):\n    return a + b + k + kw + c", {"c"}),
        ("def g():\n    return g()", set()),  # recursion binds itself
        ("ys = [x * y for x in xs for y in range(3)]", {"xs"}),
        ("s = {k: v for k, v in d.items()}", {"d"}),
        ("f = lambda t: t + u", {"u"}),
        ("class C:\n    a = 1\n    def m(self):\n        return a", {"a"}),  # class scope
        ("for i in range(3):\n    j = i\nj", set()),
        ("with open('p') as fh:\n    fh.read()", set()),
        ("try:\n    pass\nexcept ValueError as e:\n    str(e)", set()),
        ("if (n := 3) > 2:\n    n", set()),
        ("total = sum(v for v in values)", {"values"}),
        ("import mlsd.checks.fraud\nmlsd.checks.fraud.check(fn)", {"fn"}),
        ("def g():\n    global h\n    h = 1\ng()\nh", set()),
    ],
    ids=repr,
)
def test_free_names(source, free):
    assert free_names(source) == free


def test_top_level_names_of_a_solution_cell():
    source = (
        "import numpy as np\n"
        "# ### BEGIN SOLUTION\n"
        "LIMIT = 3\n"
        "def pick(table, budget):\n"
        "    inner = 1\n"
        "    return inner\n"
        "class Helper:\n"
        "    pass\n"
        "# ### END SOLUTION\n"
    )
    assert top_level_names(source) == {"np", "LIMIT", "pick", "Helper"}


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("from mlsd.checks.x import check_it\ncheck_it(f)", None),
        ("from mlsd.checks.x import check_it as c\nc(f)", None),
        ("x = f(1)", None),
        ("f(1)", "f(1)"),  # a learner function's value would be displayed
        ("x = 1\nx", "x"),
        ("from mlsd.checks.x import check_it\ncheck_it(f)\nf(2) == 3", "f(2) == 3"),
        ("", None),
        ("pass", None),
    ],
    ids=repr,
)
def test_displayed_last_statement(source, shown):
    assert displayed_last_statement(source) == shown


def test_magics_and_bad_syntax_are_refused_with_a_reason():
    for source in ("%timeit f(1)", "!pip install x", "def ("):
        with pytest.raises(ValueError, match="not plain Python"):
            free_names(source)


HIDDEN_CELL = """from mlsd.checks.x import check_it
check_it(pick)
### BEGIN HIDDEN TESTS
import numpy as np
from mlsd.checks.x import expect_it
expect_it(pick, np.arange(3))
### END HIDDEN TESTS
"""


def test_visible_part_drops_the_hidden_region():
    assert visible_part(HIDDEN_CELL) == "from mlsd.checks.x import check_it\ncheck_it(pick)\n"


def test_violations_pass_a_self_contained_cell_and_name_every_breach():
    assert violations(HIDDEN_CELL, {"pick"}) == []
    assert violations(HIDDEN_CELL, set()) == [
        "uses pick: not bound in the cell, not a builtin and not a learner name (import it in "
        "the cell, or let the check load it)",
        "visible part: uses pick: not bound in the cell, not a builtin and not a learner name "
        "(import it in the cell, or let the check load it)",
    ]
    uses_np = HIDDEN_CELL.replace("import numpy as np\n", "")
    assert violations(uses_np, {"pick"}) == [
        "uses np: not bound in the cell, not a builtin and not a learner name (import it in "
        "the cell, or let the check load it)"
    ]


def test_a_name_bound_only_in_the_hidden_part_is_missing_from_the_visible_part():
    cell = (
        "check_it(pick)\n### BEGIN HIDDEN TESTS\nfrom mlsd.checks.x import check_it\n"
        "### END HIDDEN TESTS\n"
    )
    found = violations(cell, {"pick"})
    assert any(v.startswith("visible part: uses check_it") for v in found)
    assert any("displays a value: check_it(pick)" in v for v in found)


def test_a_displayed_value_is_a_violation():
    assert violations("pick(1)", {"pick"}) == ["its last statement displays a value: pick(1)"]
