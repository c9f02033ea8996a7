"""Reading an autograded test cell's source for the test-cell contract (points 1 and 5).

Test cells are about to run in a trusted judge process, outside the learner's kernel, where
only the learner's own functions cross over. So a test cell may use only

1. names it binds itself (imports, assignments, ``def``, loop and ``with`` targets, function
   arguments, comprehension variables), builtins, and *learner names*: names a solution cell
   of the same notebook binds at top level; no notebook globals such as ``np`` or a table
   loaded by an earlier cell;
5. nothing that displays a value: its last statement is not a bare expression (IPython would
   show the value, and nbgrader reads a shown number as partial credit), except a call of a
   function the cell imported from ``mlsd.checks``, which return None by contract.

IPython magics (``%timeit``, ``!pip``) are not Python and are refused. Scoping is Python's
own (``symtable``), so comprehensions, lambdas, nested functions and class bodies bind and
look up names exactly as they will when the cell runs.
"""

from __future__ import annotations

import ast
import builtins
import re
import symtable

BUILTINS = frozenset(dir(builtins))
HIDDEN = re.compile(
    r"^[ \t]*### BEGIN HIDDEN TESTS[^\n]*\n.*?^[ \t]*### END HIDDEN TESTS[^\n]*(\n|$)", re.S | re.M
)


def _parse(source: str, what: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError as exc:
        raise ValueError(
            f"{what} is not plain Python (line {exc.lineno}: {exc.msg}); IPython magics such "
            "as %timeit or !pip are not allowed in test cells."
        ) from None


def _table(source: str, what: str) -> symtable.SymbolTable:
    _parse(source, what)  # the readable error for magics and typos
    return symtable.symtable(source, "<cell>", "exec")


def top_level_names(source: str) -> set[str]:
    """Names a cell binds at top level (what a solution cell gives the notebook)."""
    return {s.get_name() for s in _table(source, "the cell").get_symbols() if s.is_local()}


def free_names(source: str) -> set[str]:
    """Names a cell looks up but never binds (its own imports, assignments, arguments,
    comprehension variables and functions do bind); builtins are not listed."""
    top = _table(source, "the cell")
    bound = {s.get_name() for s in top.get_symbols() if s.is_local()}
    found: set[str] = set()

    def visit(table: symtable.SymbolTable, is_top: bool) -> None:
        for sym in table.get_symbols():
            name = sym.get_name()
            if is_top:
                looked_up = sym.is_referenced() and not sym.is_local()
            else:  # an implicit global: not bound in this scope nor an enclosing function
                looked_up = sym.is_global() and not sym.is_declared_global()
                if sym.is_declared_global() and sym.is_assigned():
                    bound.add(name)
            if looked_up:
                found.add(name)
        for child in table.get_children():
            visit(child, False)

    visit(top, True)
    return found - bound - BUILTINS


def _check_imports(tree: ast.Module) -> set[str]:
    """Names the cell imports from ``mlsd.checks`` (functions that return None)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mlsd.checks"):
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def displayed_last_statement(source: str) -> str | None:
    """The last statement, if IPython would display its value; None if it displays nothing."""
    tree = _parse(source, "the cell")
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return None
    value = tree.body[-1].value
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in _check_imports(tree)
    ):
        return None  # a check from mlsd.checks: returns None, shows nothing
    return ast.get_source_segment(source, tree.body[-1]) or ast.dump(value)


def visible_part(source: str) -> str:
    """The test cell as learners run it: hidden tests removed."""
    return HIDDEN.sub("", source)


def violations(source: str, learner_names: set[str]) -> list[str]:
    """Why a test cell breaks contract points 1 or 5 (empty if it keeps them). Checked on
    the whole cell (as graded) and on its visible part (as learners run it)."""
    out = []
    parts = [("", source)]
    if visible_part(source) != source:
        parts.append(("visible part: ", visible_part(source)))
    for what, part in parts:
        try:
            unknown = sorted(free_names(part) - learner_names)
            shown = displayed_last_statement(part)
        except ValueError as exc:
            out.append(f"{what}{exc}")
            continue
        if unknown:
            out.append(
                f"{what}uses {', '.join(unknown)}: not bound in the cell, not a builtin and not "
                "a learner name (import it in the cell, or let the check load it)"
            )
        if shown:
            out.append(f"{what}its last statement displays a value: {shown.splitlines()[0]}")
    return out
