"""The limits a submission's kernel runs under, declared once.

:class:`SandboxSettings` is what ``mlsd grade autograde`` builds from its ``--sandbox-*``
options, hands to each grading worker as command-line options (:meth:`to_worker_args`, read
back by :meth:`from_worker_args`) and the worker turns into a
:class:`mlsd.grading.sandbox.SandboxSpec` (:meth:`spec_options`). The defaults below are
also the sandbox launcher's.

Adding a limit is one line in the class: a field made by :func:`_limit` (default, range,
help). The CLI option ``--sandbox-<name>``, the worker option ``--<name>`` and the range
check all follow from it; the worker passes it to ``SandboxSpec`` under the field's name.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field, fields

from mlsd.validation import require_int

DEFAULT_MEMORY_MB = 4096  # address space: numpy + pandas + plotly need about 1.5 GB of it
DEFAULT_CPU_SECONDS = 900
DEFAULT_PROCESSES = 256  # counts threads too: a kernel starts about 20
DEFAULT_FILE_MB = 64  # the largest file the kernel may write


def _limit(default: int, low: int, high: int, help: str):
    """A whole-number limit of the sandbox: its default, allowed range and help text."""
    return field(default=default, metadata={"range": (low, high), "help": help})


@dataclass(frozen=True)
class SandboxSettings:
    """How each submission's kernel is isolated (see :mod:`mlsd.grading.sandbox`)."""

    enabled: bool = True
    memory_mb: int = _limit(DEFAULT_MEMORY_MB, 256, 1 << 20, "address space per kernel (MB)")
    cpu_seconds: int = _limit(DEFAULT_CPU_SECONDS, 1, 86400, "CPU time per kernel (s)")
    processes: int = _limit(DEFAULT_PROCESSES, 32, 65536, "processes and threads per kernel")
    file_mb: int = _limit(DEFAULT_FILE_MB, 1, 1 << 20, "largest file a kernel may write (MB)")

    def __post_init__(self) -> None:
        if not isinstance(self.enabled, bool):
            raise ValueError(f"enabled must be True or False; got {self.enabled!r}.")
        for limit in self.limits():
            low, high = limit.metadata["range"]
            require_int(limit.name, getattr(self, limit.name), low, high)

    @classmethod
    def limits(cls) -> list:
        """The dataclass fields that are limits (all but ``enabled``), in declaration order."""
        return [f for f in fields(cls) if "range" in f.metadata]

    def spec_options(self) -> dict[str, int]:
        """Keyword arguments of :class:`mlsd.grading.sandbox.SandboxSpec`."""
        return {f.name: getattr(self, f.name) for f in self.limits()}

    # ------------------------------------------------------------------ grading worker

    def to_worker_args(self) -> list[str]:
        """Options of ``python -m mlsd.grading.worker``; :meth:`from_worker_args` reads them."""
        args = [f"--{_option(f.name)}={getattr(self, f.name)}" for f in self.limits()]
        return args if self.enabled else ["--no-sandbox", *args]

    @classmethod
    def from_worker_args(cls, argv: Sequence[str]) -> SandboxSettings:
        parser = argparse.ArgumentParser(prog="mlsd.grading.worker sandbox options")
        cls._add_options(parser, prefix="--", dest_prefix="")
        return cls._from_namespace(parser.parse_args(list(argv)), dest_prefix="")

    # ------------------------------------------------------------------ instructor CLI

    @classmethod
    def add_cli_options(cls, parser: argparse.ArgumentParser) -> None:
        """``--no-sandbox`` and ``--sandbox-<limit>`` options; read back by :meth:`from_cli`."""
        cls._add_options(parser, prefix="--sandbox-", dest_prefix="sandbox_")

    @classmethod
    def from_cli(cls, args: argparse.Namespace) -> SandboxSettings:
        return cls._from_namespace(args, dest_prefix="sandbox_")

    # ------------------------------------------------------------------ shared

    @classmethod
    def _add_options(cls, parser, prefix: str, dest_prefix: str) -> None:
        parser.add_argument(
            "--no-sandbox",
            dest=f"{dest_prefix}enabled",
            action="store_false",
            help="run kernels as yourself, unisolated (trusted submissions only)",
        )
        for limit in cls.limits():
            parser.add_argument(
                f"{prefix}{_option(limit.name)}",
                dest=f"{dest_prefix}{limit.name}",
                type=int,
                default=limit.default,
                help=f"{limit.metadata['help']} (default {limit.default})",
            )

    @classmethod
    def _from_namespace(cls, args: argparse.Namespace, dest_prefix: str) -> SandboxSettings:
        values = {f.name: getattr(args, dest_prefix + f.name) for f in cls.limits()}
        return cls(enabled=getattr(args, f"{dest_prefix}enabled"), **values)


def _option(name: str) -> str:
    return name.replace("_", "-")
