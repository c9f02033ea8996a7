"""Cheap detection of in-kernel tampering in a submission's own cells.

The sandbox keeps student code away from the gradebook and other files, but inside its own
kernel a submission can still change what the test cells run: replace a check function of
``mlsd.checks``, patch ``builtins``, swap modules in ``sys.modules``, or reach the caller's
frame; an answer can also just call the course's own implementation of the exercise.
nbgrader restores the test cells themselves, not the objects they call. This module reads
the learner's cells (never runs them) and names every such reach, so the instructor reviews
those few submissions by hand. It is a tripwire, not a proof: code built at run time
(``exec`` of a string, ``getattr`` with a computed name) is flagged by the call, not by what
it does.
"""

from __future__ import annotations

import ast

FRAME_ATTRIBUTES = {"__code__", "__globals__", "__builtins__", "f_back", "f_globals", "f_locals"}
FRAME_ATTRIBUTES |= {"_getframe", "__closure__", "__defaults__", "__kwdefaults__"}
DYNAMIC_CALLS = {"setattr", "delattr", "exec", "eval", "compile", "__import__", "globals"}
GUARDED_MODULES = {"mlsd", "builtins", "sys", "gc", "inspect", "ctypes", "importlib"}
# What an answer cell may import from the course package: the checks and their hints. Any
# other ``mlsd`` module holds the reference code an answer could simply call (a bandit rule,
# the model chooser); no reference answer imports one.
ANSWER_IMPORTS_ALLOWED = ("mlsd.checks",)


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _course_module(module: str) -> bool:
    """True for ``mlsd`` modules other than the checks an answer may use."""
    if module.split(".")[0] != "mlsd":
        return False
    return not any(module == ok or module.startswith(ok + ".") for ok in ANSWER_IMPORTS_ALLOWED)


class _Finder(ast.NodeVisitor):
    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.aliases: dict[str, str] = {}  # local name -> module it came from
        self.found: list[str] = []

    def _course_import(self, module: str, names: list[str], lineno: int) -> None:
        if not self.answer:
            return
        # "from mlsd import bandits" names the module in ``names``
        modules = [f"{module}.{n}" for n in names] if module == "mlsd" and names else [module]
        for name in filter(_course_module, modules):
            self.found.append(
                f"line {lineno}: imports {name} in an answer cell (course code: the answer "
                "may call the reference implementation)"
            )

    def _module_of(self, node: ast.AST) -> str | None:
        name = _root_name(node)
        return self.aliases.get(name) if name else None

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._course_import(alias.name, [], node.lineno)
            top = alias.name.split(".")[0]
            if top in GUARDED_MODULES:
                self.aliases[alias.asname or top] = alias.name
                if top in ("ctypes", "gc"):
                    self.found.append(f"line {node.lineno}: imports {alias.name}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self._course_import(node.module or "", [a.name for a in node.names], node.lineno)
        top = (node.module or "").split(".")[0]
        if top in GUARDED_MODULES:
            for alias in node.names:
                self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def _targets(self, targets: list[ast.AST], lineno: int, verb: str) -> None:
        for target in targets:
            if isinstance(target, ast.Attribute | ast.Subscript):
                module = self._module_of(target)
                if module:
                    self.found.append(f"line {lineno}: {verb} {ast.unparse(target)} ({module})")

    def visit_Assign(self, node: ast.Assign) -> None:
        self._targets(node.targets, node.lineno, "assigns")
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._targets([node.target], node.lineno, "assigns")
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        self._targets(node.targets, node.lineno, "deletes")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in FRAME_ATTRIBUTES:
            self.found.append(f"line {node.lineno}: uses .{node.attr}")
        elif node.attr == "modules" and self._module_of(node) == "sys":
            self.found.append(f"line {node.lineno}: uses sys.modules")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id == "__builtins__":
            self.found.append(f"line {node.lineno}: uses __builtins__")

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id in DYNAMIC_CALLS:
            self.found.append(f"line {node.lineno}: calls {node.func.id}()")
        self.generic_visit(node)


def suspicious(source: str, answer: bool = False) -> list[str]:
    """What in ``source`` reaches into the grader's objects; [] for ordinary answers.

    ``answer``: the cell is an answer cell, where importing course code other than the checks
    is flagged too (the answer may call the reference implementation instead of its own).

    Code that does not parse (IPython magics, syntax errors) is checked line by line where
    possible and otherwise reported as unreadable."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        lines = [x for x in source.splitlines() if not x.lstrip().startswith(("%", "!"))]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            return []  # it will fail when it runs; nothing to hide behind
    finder = _Finder(answer)
    finder.visit(tree)
    return list(dict.fromkeys(finder.found))  # once each, in source order
