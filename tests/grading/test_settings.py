"""The sandbox settings (:mod:`mlsd.grading.settings`): declared once, checked, and carried
unchanged from the CLI to the grading worker and its sandbox."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from mlsd.grading import cli, sandbox, worker
from mlsd.grading.backends import worker_command
from mlsd.grading.settings import SandboxSettings


def test_sandbox_limits_are_checked():
    with pytest.raises(ValueError, match=r"memory_mb must be a whole number in \[256, 1048576\]"):
        SandboxSettings(memory_mb=10)
    with pytest.raises(ValueError, match=r"processes must be a whole number in \[32, .*got 0"):
        SandboxSettings(processes=0)
    with pytest.raises(ValueError, match=r"cpu_seconds .* got 1\.5"):
        SandboxSettings(cpu_seconds=1.5)
    with pytest.raises(ValueError, match=r"enabled must be True or False"):
        SandboxSettings(enabled="yes")


def test_defaults_are_the_sandbox_launchers():
    defaults = SandboxSettings()
    assert defaults.enabled
    assert defaults.spec_options() == {name: d for name, (d, _r) in sandbox.LIMITS.items()}
    assert {"memory_mb", "cpu_seconds", "processes", "work_files", "tmp_mb"} <= set(sandbox.LIMITS)
    # every limit is one the sandbox launcher reads
    with sandbox.SandboxSpec(defaults.spec_options()) as spec:
        assert spec.limits == defaults.spec_options()


@pytest.mark.parametrize(
    "settings",
    [
        SandboxSettings(),
        SandboxSettings(memory_mb=2048, cpu_seconds=60, processes=64, file_mb=8),
        SandboxSettings(enabled=False, memory_mb=300),
    ],
)
def test_worker_options_round_trip(settings):
    assert SandboxSettings.from_worker_args(settings.to_worker_args()) == settings
    command = worker_command(Path("/ag"), "08-x", 5, settings)
    args, parsed = worker.parse_args(command[3:])
    assert (args.autograder, args.section, args.timeout) == ("/ag", "08-x", 5)
    assert parsed == settings


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mlsd")
    cli.register(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_cli_options_build_the_settings():
    args = _parse(["grade", "autograde", "08-x", "--sandbox-memory-mb", "2048", "--no-sandbox"])
    assert SandboxSettings.from_cli(args) == SandboxSettings(enabled=False, memory_mb=2048)
    assert SandboxSettings.from_cli(_parse(["grade", "autograde", "08-x"])) == SandboxSettings()
    # the worker count is decided when grading starts, not when the module is imported
    assert _parse(["grade", "autograde", "08-x"]).workers is None


def test_bad_cli_limit_is_an_error_naming_the_argument(capsys):
    code = cli.main(["grade", "--root", ".", "autograde", "08-x", "--sandbox-processes", "1"])
    assert code == 2
    err = capsys.readouterr().err
    assert "processes must be a whole number in [32, 65536]; got 1." in err
