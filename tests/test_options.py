"""Options declares each option's type, and the declarations match the OPTIONS table."""

from __future__ import annotations

import subprocess
import sys
import typing
from pathlib import Path

import pytest

from roost import options as options_module
from roost.options import COUNT, FLAG, LIST, OPTIONS, VALUE, Options

SRC = Path(__file__).resolve().parents[1] / "src"
# Attributes of Options that are not rows of OPTIONS.
NOT_OPTIONS = {"dest", "argv", "sources", "warnings"}


def _declared_types() -> dict[str, object]:
    """Options' annotations as real types: the module re-run with its TYPE_CHECKING names defined."""
    source = Path(options_module.__file__).read_text(encoding="utf-8")
    namespace: dict[str, object] = {"__name__": "roost_options_typed"}
    exec(compile(source.replace("TYPE_CHECKING = False", "TYPE_CHECKING = True", 1), options_module.__file__, "exec"), namespace)
    typed_options = namespace["Options"]
    return typing.get_type_hints(typed_options, namespace)


def _allowed(kind: str, choices: tuple[str, ...] | None, default: object) -> list[object]:
    if kind == FLAG:
        return [bool]
    if kind == COUNT:
        return [int]
    if kind == LIST:
        return [list[str]] if default is not None else [typing.Optional[list[str]]]
    assert kind == VALUE
    text = [str] if default is not None else [typing.Optional[str]]
    if choices:
        return [*text, typing.Literal[choices]]  # type: ignore[valid-type]
    return text


def test_every_option_is_declared_on_options_with_the_type_of_its_kind() -> None:
    declared = _declared_types()
    missing = [
        f"{option.dest}: {_allowed(option.kind, option.choices, option.default)[0]}"
        for option in OPTIONS
        if option.dest not in declared
    ]
    assert not missing, "add to class Options in src/roost/options.py: " + "; ".join(missing)
    wrong = {
        option.dest: (declared[option.dest], _allowed(option.kind, option.choices, option.default))
        for option in OPTIONS
        if declared[option.dest] not in _allowed(option.kind, option.choices, option.default)
    }
    assert not wrong, f"declared type does not fit the option's kind (declared, allowed): {wrong}"


def test_no_declaration_without_an_option() -> None:
    extra = set(Options.__annotations__) - {option.dest for option in OPTIONS} - NOT_OPTIONS
    assert not extra, f"declared on Options but not a row of OPTIONS: {sorted(extra)}"


def test_defaults_have_the_declared_types() -> None:
    declared = _declared_types()
    made = Options()
    for option in OPTIONS:
        value = getattr(made, option.dest)
        expected = declared[option.dest]
        if value is None:
            assert type(None) in typing.get_args(expected), option.dest
        elif typing.get_origin(expected) is typing.Literal:
            assert value in typing.get_args(expected), option.dest
        else:
            base = typing.get_args(expected)[0] if typing.get_origin(expected) is typing.Union else expected
            assert isinstance(value, typing.get_origin(base) or base), option.dest  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("flags", "mode"),
    [([], "in-project"), (["--venv-redirect"], "always"), (["--no-venv-redirect"], "never")],
)
def test_redirect_mode_is_one_word_decided_from_the_flags(flags: list[str], mode: str) -> None:
    from roost.cli import parse

    assert parse([*flags, "dest"], {"ROOST_CONFIG_FILE": "/dev/null"}).redirect_mode == mode


@pytest.mark.slow  # runs mypy: seconds
def test_a_misspelt_option_fails_mypy(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from roost.options import Options\n\n\ndef f(options: Options) -> bool:\n    return bool(options.no_sead)\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), str(probe)],
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert '"Options" has no attribute "no_sead"' in done.stdout
