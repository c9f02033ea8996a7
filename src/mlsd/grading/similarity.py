"""Answers that are copies: of the reference solution, of the course package, of each other.

The judge makes a grade mean "this code works". It cannot tell whose code it is: the
reference solutions sit in the public repository's ``solutions/`` and the course package
(which every learner installs to run the widgets) holds implementations some exercises ask
for. A pasted copy earns full marks, as it should for working code; this module makes sure
it does not earn them unnoticed. Each answer cell gets a fingerprint that ignores what a
copier changes cheaply (comments, docstrings, blank lines, the names of variables and
arguments) and keeps what they would have to rethink (the structure, the operations, the
constants). Equal fingerprints are flagged for the instructor to review, never penalised:
short answers are naturally alike, so only answers of some size are compared.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import threading
from collections import defaultdict
from functools import cache
from pathlib import Path

MIN_NODES = 60  # below this, a right answer is expected to look like every other right one
LITERALS = (ast.Constant, ast.Dict, ast.List, ast.Tuple, ast.Set)


class _Canonical(ast.NodeTransformer):
    """Renames variables and arguments in order of first appearance; drops docstrings."""

    def __init__(self, keep: set[str]) -> None:
        self.keep = keep
        self.names: dict[str, str] = {}

    def _rename(self, name: str) -> str:
        if name in self.keep or hasattr(builtins, name):
            return name
        return self.names.setdefault(name, f"v{len(self.names)}")

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self._rename(node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.arg = self._rename(node.arg)
        node.annotation = None
        return node

    def _body(self, node):
        body = node.body
        first = body[0].value if body and isinstance(body[0], ast.Expr) else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            node.body = body[1:] or [ast.Pass()]
        self.generic_visit(node)
        if hasattr(node, "returns"):
            node.returns = None
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = visit_Module = _body


def _parse(source: str) -> ast.Module | None:
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError):
        return None


def _imported_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.asname or a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {a.asname or a.name for a in node.names}
    return names


def fingerprint(source: str, keep: set[str] = frozenset()) -> tuple[str, int] | None:
    """(digest, size in AST nodes) of code as a copier would leave it; None if unparsable.

    ``keep``: names that stay as written (the functions the exercise asks for, modules)."""
    tree = _parse(source)
    if tree is None:
        return None
    top = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    canonical = _Canonical(set(keep) | top | _imported_names(tree) | {"np", "pd", "math"})
    tree = canonical.visit(tree)
    dump = ast.dump(tree, annotate_fields=False, include_attributes=False)
    return hashlib.sha256(dump.encode()).hexdigest(), _logic_size(tree)


def _is_data(node: ast.AST) -> bool:
    """A literal built only of literals: the answer to a lookup exercise, the same for every
    right answer (a dict of labels, a table of numbers)."""
    return isinstance(node, LITERALS) and all(
        _is_data(child)
        for child in ast.iter_child_nodes(node)
        if not isinstance(child, ast.expr_context)
    )


def _logic_size(node: ast.AST) -> int:
    """AST nodes of the code's logic: literal data counts as one node."""
    if _is_data(node):
        return 1
    return 1 + sum(_logic_size(child) for child in ast.iter_child_nodes(node))


_PACKAGE_LOCK = threading.Lock()


def package_functions() -> dict[str, str]:
    """Fingerprint -> "mlsd.module.function" for every function of the course package that
    is big enough to be worth copying (read from the source files: nothing is imported)."""
    with _PACKAGE_LOCK:  # a second caller waits for the first one's result
        return _package_functions()


def prefetch_package_functions() -> threading.Thread:
    """Fingerprint the package in a background thread. It takes about 3 s of CPU that a
    grading run would otherwise spend after its last submission, on one core, while the
    grading process only waits for its workers until then."""
    thread = threading.Thread(target=package_functions, name="package-fingerprints", daemon=True)
    thread.start()
    return thread


@cache
def _package_functions() -> dict[str, str]:
    import mlsd

    package = Path(mlsd.__file__).parent
    skip = ("grading", "widgets", "cli.py", "present.py")
    out = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] in skip:
            continue
        module = "mlsd." + ".".join(relative.with_suffix("").parts)
        try:
            tree = ast.parse(path.read_text("utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found = fingerprint(ast.unparse(node))
                if found and found[1] >= MIN_NODES:
                    out.setdefault(found[0], f"{module}.{node.name}")
    return out


def copies(answers: dict[str, dict[str, str]], references: dict[str, str]) -> dict[str, list[str]]:
    """student -> review notes, for answers (``{student: {grade_id: source}}``) equal to the
    reference solution of their exercise (``{grade_id: source}``), to a course-package
    function, or to another student's answer."""
    notes: dict[str, list[str]] = defaultdict(list)
    reference_prints = {g: fingerprint(s) for g, s in references.items()}
    package = package_functions()
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for student, cells in sorted(answers.items()):
        for grade_id, source in sorted(cells.items()):
            found = fingerprint(source)
            if found is None or found[1] < MIN_NODES:
                continue
            digest = found[0]
            if reference_prints.get(grade_id) and reference_prints[grade_id][0] == digest:
                notes[student].append(
                    f"review {grade_id}: the reference solution's code (names may differ)"
                )
            elif digest in package:
                notes[student].append(f"review {grade_id}: the code of {package[digest]}")
            groups[(grade_id, digest)].append(student)
    for (grade_id, _digest), students in groups.items():
        for student in students if len(students) > 1 else []:
            others = ", ".join(s for s in students if s != student)
            notes[student].append(f"review {grade_id}: the same code as {others}")
    return dict(notes)
