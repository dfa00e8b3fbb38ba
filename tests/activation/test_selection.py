"""The public face: choosing activators, the one-pass substitution, quoting, warnings."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import roost
from roost.activation import (
    ACTIVATORS,
    NAMES,
    ActivationContext,
    Activator,
    UnsafeValue,
    default_activator_names,
    generate_all,
    read_template,
    render,
    select_activators,
)
from roost.activation.shells import BashActivator, CShellActivator, FishActivator, NushellActivator
from roost.errors import UsageError


def test_names_are_virtualenvs() -> None:
    assert sorted(ACTIVATORS) == ["bash", "batch", "cshell", "fish", "nushell", "powershell", "python", "xonsh"]
    assert all(cls.name == name and issubclass(cls, Activator) for name, cls in ACTIVATORS.items())
    assert list(ACTIVATORS) == list(NAMES)  # the order help lists them in


def test_defaults_fit_the_platform() -> None:
    assert default_activator_names(False) == ["bash", "cshell", "fish", "nushell", "powershell", "python", "xonsh"]
    assert default_activator_names(True) == ["bash", "batch", "nushell", "powershell", "python", "xonsh"]
    assert [a.name for a in select_activators(None, windows=False)] == default_activator_names(False)


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["--activators", "bash,fish", "--activators", " fish ", "--activators", "python"], {}),
        ([], {"ROOST_ACTIVATORS": "bash, fish,fish,python"}),
    ],
    ids=["command-line", "env-var"],
)
def test_commas_are_split_once_by_the_command_line_and_repeats_count_once(argv: list[str], env: dict[str, str]) -> None:
    from roost.cli import parse

    options = parse([*argv, "dest"], {"ROOST_CONFIG_FILE": os.devnull, **env})
    assert options.activators == ["bash", "fish", "fish", "python"]
    chosen = select_activators(options.activators, windows=False)
    assert [a.name for a in chosen] == ["bash", "fish", "python"]
    assert select_activators([], windows=False) == []


def test_unknown_name_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as info:
        select_activators(["bash", "zsh"], windows=False)
    assert info.value.message == "unknown activator 'zsh'"
    assert info.value.hint is not None and "bash" in info.value.hint and "xonsh" in info.value.hint
    assert info.value.exit_code == 2


def test_substitution_is_one_pass() -> None:
    text = render("A=__ROOST_A__ B=__ROOST_B__", {"A": "__ROOST_B__", "B": "x"})
    assert text == "A=__ROOST_B__ B=x"


def test_every_placeholder_has_a_value(tmp_path: Path) -> None:
    """A template naming a value its activator does not provide would fail at creation."""
    ctx = ActivationContext(tmp_path, tmp_path / "bin", "p", (tmp_path / "lib",))
    for name, cls in ACTIVATORS.items():
        values = cls().quoted_values(ctx)
        for template, _ in cls.templates:
            used = set(re.findall(r"__ROOST_([A-Z_]+?)__", read_template(template)))
            assert used <= set(values), (name, template, used - set(values))


@pytest.mark.parametrize(
    ("activator", "value", "quoted"),
    [
        (BashActivator(), "it's", "'it'\\''s'"),
        (BashActivator(), "a\nb $(x) \\", "'a\nb $(x) \\'"),
        # fish reads \' and \\ as escapes even inside single quotes
        (FishActivator(), "a\\'b\\", "'a\\\\\\'b\\\\'"),
        # csh substitutes history inside single quotes
        (CShellActivator(), "a!b'c", "'a\\!b'\\''c'"),
        (NushellActivator(), "plain", "r#'plain'#"),
        (NushellActivator(), "x'#y'##", "r###'x'#y'##'###"),
    ],
)
def test_quote(activator: Activator, value: str, quoted: str) -> None:
    assert activator.quote(value) == quoted


def test_csh_refuses_line_breaks() -> None:
    with pytest.raises(UnsafeValue):
        CShellActivator().quote("a\nb")


def test_csh_prompt_escapes(tmp_path: Path) -> None:
    ctx = ActivationContext(tmp_path, tmp_path / "bin", "100% ^x! \\", ())
    assert CShellActivator().values(ctx)["PROMPT_SHOWN"] == "(100\\% \\^x\\! \\\\) "


def test_path_separator_leaves_every_script_out(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    dest = tmp_path / "a:b"
    (dest / "bin").mkdir(parents=True)
    ctx = ActivationContext(dest, dest / "bin", "p", ())
    with caplog.at_level(logging.WARNING, logger="roost"):
        written = generate_all(select_activators(None, windows=False), ctx)
    assert written == []
    warnings = [r.getMessage() for r in caplog.records if r.name == "roost"]
    assert len(warnings) == len(default_activator_names(False))
    assert all("left out" in w and "split PATH" in w for w in warnings)


def test_nul_leaves_every_script_out(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "bin").mkdir()
    ctx = ActivationContext(tmp_path, tmp_path / "bin", "a\0b", ())
    with caplog.at_level(logging.WARNING, logger="roost"):
        assert generate_all(select_activators(None, windows=False), ctx) == []
    assert all("the prompt contains a NUL" in r.getMessage() for r in caplog.records)


def test_one_warning_names_the_script(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "bin").mkdir()
    ctx = ActivationContext(tmp_path, tmp_path / "bin", "two\nlines", ())
    with caplog.at_level(logging.WARNING, logger="roost"):
        written = generate_all(select_activators(["bash", "cshell"], windows=False), ctx)
    assert [os.path.basename(p) for p in written] == ["activate"]
    assert [r.getMessage() for r in caplog.records] == [
        "activate.csh left out: the prompt contains a line break, which csh cannot hold in a word"
    ]


def test_rewriting_replaces_links_instead_of_writing_through_them(tmp_path: Path) -> None:
    # Updating an environment rewrites its scripts; a symbolic link left where one goes (a
    # user's, or planted) is replaced by the script, and the file it pointed at is untouched.
    (tmp_path / "bin").mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me\n")
    (tmp_path / "bin" / "activate").symlink_to(outside)
    (tmp_path / "bin" / "activate.fish").write_text("old\n")
    ctx = ActivationContext(tmp_path, tmp_path / "bin", "p", ())
    generate_all(select_activators(["bash", "fish"], windows=False), ctx)
    assert outside.read_text() == "keep me\n"
    assert not (tmp_path / "bin" / "activate").is_symlink()
    assert "VIRTUAL_ENV" in (tmp_path / "bin" / "activate").read_text()
    assert "VIRTUAL_ENV" in (tmp_path / "bin" / "activate.fish").read_text()


def test_import_is_cheap() -> None:
    """The session imports this on every run: no subprocess, logging or resource machinery up front."""
    src = str(Path(roost.__file__).parent.parent)
    code = (
        f"import sys; sys.path.insert(0, {src!r}); import roost.activation; "
        "print(sorted(m for m in ('subprocess', 'logging', 'importlib.resources', 'zipfile') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr
