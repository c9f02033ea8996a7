"""Grading limits, declared once.

:class:`SandboxSettings`: what a submission's kernel runs under. ``mlsd grade autograde``
builds it from its options (``--no-sandbox``, ``--sandbox-<limit>``), hands it to each
grading worker as command-line options (:meth:`SandboxSettings.to_worker_args`, read back by
:meth:`SandboxSettings.from_worker_args`); the worker passes the kernel's limits to
:class:`mlsd.grading.sandbox.SandboxSpec` (:meth:`SandboxSettings.spec_options`) and the
output caps to :class:`mlsd.grading.capped.CappedExecute` (:meth:`SandboxSettings.output_caps`).
The defaults below are also the sandbox launcher's.

:class:`SubmissionLimits`: what the grader itself reads from a submission before anything
parses it (``mlsd grade collect`` and ``autograde``, ``--max-<limit>``).

Adding a limit is one line in the class: a field made by :func:`limit` (default, range, help,
and for the sandbox whether the kernel's launcher or the grader applies it). The command-line
options and the range check follow from it.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field, fields

from mlsd.validation import require_int

DEFAULT_MEMORY_MB = 2048  # the whole kernel (control group): a kernel uses ~200 MB resident
DEFAULT_ADDRESS_SPACE_MB = 4096  # per process: numpy + pandas + plotly map ~1.5 GB of it
DEFAULT_CPU_SECONDS = 900
DEFAULT_PROCESSES = 256  # counts threads too: a kernel starts about 20
DEFAULT_FILE_MB = 64  # the largest file the kernel may write
DEFAULT_WORK_MB = 256  # its working folder (tmpfs); our notebooks write a few KB
DEFAULT_WORK_FILES = 10_000  # files and folders in it
DEFAULT_TMP_MB = 256  # /tmp (tmpfs)
DEFAULT_SHM_MB = 64  # /dev/shm (tmpfs)

KERNEL, GRADER = "kernel", "grader"  # who applies a sandbox limit


def limit(default: int, low: int, high: int, help: str, applies: str = KERNEL):
    """A whole-number limit: its default, allowed range, help text and who applies it."""
    meta = {"range": (low, high), "help": help, "applies": applies}
    return field(default=default, metadata=meta)


class _Limits:
    """Range checks and command-line options for the :func:`limit` fields of a dataclass."""

    def __post_init__(self) -> None:
        for f in self.limits():
            low, high = f.metadata["range"]
            require_int(f.name, getattr(self, f.name), low, high)

    @classmethod
    def limits(cls) -> list:
        """The dataclass fields that are limits, in declaration order."""
        return [f for f in fields(cls) if "range" in f.metadata]

    @classmethod
    def _add_limit_options(cls, parser, prefix: str, dest_prefix: str) -> None:
        for f in cls.limits():
            parser.add_argument(
                f"{prefix}{_option(f.name)}",
                dest=f"{dest_prefix}{f.name}",
                type=int,
                default=f.default,
                help=f"{f.metadata['help']} (default {f.default})",
            )

    @classmethod
    def _limit_values(cls, args: argparse.Namespace, dest_prefix: str) -> dict[str, int]:
        return {f.name: getattr(args, dest_prefix + f.name) for f in cls.limits()}


@dataclass(frozen=True)
class SandboxSettings(_Limits):
    """How each submission's kernel is isolated (see :mod:`mlsd.grading.sandbox`) and how
    much of its output the grader keeps (see :mod:`mlsd.grading.capped`)."""

    enabled: bool = True
    memory_mb: int = limit(
        DEFAULT_MEMORY_MB, 256, 1 << 20, "memory of a whole kernel, its tmpfs included (MB)"
    )
    cpu_seconds: int = limit(DEFAULT_CPU_SECONDS, 1, 86400, "CPU time per kernel (s)")
    processes: int = limit(DEFAULT_PROCESSES, 32, 65536, "processes and threads per kernel")
    file_mb: int = limit(DEFAULT_FILE_MB, 1, 1 << 20, "largest file a kernel may write (MB)")
    address_space_mb: int = limit(
        DEFAULT_ADDRESS_SPACE_MB, 256, 1 << 20, "address space of each kernel process (MB)"
    )
    work_mb: int = limit(DEFAULT_WORK_MB, 1, 1 << 20, "a kernel's working folder (MB)")
    work_files: int = limit(DEFAULT_WORK_FILES, 16, 1 << 24, "files in its working folder")
    tmp_mb: int = limit(DEFAULT_TMP_MB, 1, 1 << 20, "a kernel's /tmp (MB)")
    shm_mb: int = limit(DEFAULT_SHM_MB, 1, 1 << 20, "a kernel's /dev/shm (MB)")
    # An honest cell prints at most ~20 K characters and a whole notebook ~1 M (sections 05-11
    # executed); 20 cells just under a per-cell cap alone made a 38 MB feedback page.
    output_cell_chars: int = limit(
        2_000_000, 1000, 1 << 30, "characters of output kept per cell", GRADER
    )
    output_notebook_chars: int = limit(
        5_000_000, 1000, 1 << 30, "characters of output kept per notebook", GRADER
    )

    def __post_init__(self) -> None:
        if not isinstance(self.enabled, bool):
            raise ValueError(f"enabled must be True or False; got {self.enabled!r}.")
        super().__post_init__()

    @classmethod
    def kernel_limits(cls) -> dict[str, tuple[int, tuple[int, int]]]:
        """name -> (default, (low, high)) of every limit the sandbox launcher applies."""
        return {
            f.name: (f.default, f.metadata["range"])
            for f in cls.limits()
            if f.metadata["applies"] == KERNEL
        }

    def spec_options(self) -> dict[str, int]:
        """Keyword arguments of :class:`mlsd.grading.sandbox.SandboxSpec` (kernel limits)."""
        return self._applied_by(KERNEL)

    def output_caps(self) -> dict[str, int]:
        """The grader's output caps, by field name."""
        return self._applied_by(GRADER)

    def _applied_by(self, who: str) -> dict[str, int]:
        return {
            f.name: getattr(self, f.name) for f in self.limits() if f.metadata["applies"] == who
        }

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

    @classmethod
    def _add_options(cls, parser, prefix: str, dest_prefix: str) -> None:
        parser.add_argument(
            "--no-sandbox",
            dest=f"{dest_prefix}enabled",
            action="store_false",
            help="run kernels as yourself, unisolated (trusted submissions only)",
        )
        cls._add_limit_options(parser, prefix, dest_prefix)

    @classmethod
    def _from_namespace(cls, args: argparse.Namespace, dest_prefix: str) -> SandboxSettings:
        enabled = getattr(args, f"{dest_prefix}enabled")
        return cls(enabled=enabled, **cls._limit_values(args, dest_prefix))


@dataclass(frozen=True)
class SubmissionLimits(_Limits):
    """The most the grader reads of a submission before parsing it.

    Measured on the workbook (sections 05-11): a released notebook is 13-46 KB with 20-45
    cells; executed and saved with its widget state (JupyterLab's "save widget state"), the
    largest is 36 MB, 35 MB of it plotly's widget state. A 300 MB, 100,000-cell notebook took
    about 1.9 GB to grade."""

    max_file_mb: int = limit(64, 1, 4096, "largest file collected or screened (MB)")
    max_notebook_mb: int = limit(64, 1, 4096, "largest notebook graded (MB)")
    max_cells: int = limit(2000, 10, 1_000_000, "most cells in a notebook graded")

    @classmethod
    def add_cli_options(cls, parser: argparse.ArgumentParser) -> None:
        cls._add_limit_options(parser, prefix="--", dest_prefix="")

    @classmethod
    def from_cli(cls, args: argparse.Namespace) -> SubmissionLimits:
        return cls(**cls._limit_values(args, dest_prefix=""))

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb << 20

    @property
    def max_notebook_bytes(self) -> int:
        return self.max_notebook_mb << 20


def _option(name: str) -> str:
    return name.replace("_", "-")
