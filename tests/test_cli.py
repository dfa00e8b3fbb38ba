"""Command line, environment variables and config file: names, precedence, errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import run_roost

import roost
from roost.errors import UsageError
from roost.options import Options


def _session(args: list[str], env: dict[str, str]) -> roost.Session:
    return roost.session_via_cli(args, env=env, setup_logging=False)


def test_precedence_command_line_env_file_builtin(tmp_path: Path, roost_env: dict[str, str]) -> None:
    config = tmp_path / "roost.ini"
    config.write_text(
        "[virtualenv]\nprompt = from-virtualenv-section\n[roost]\nprompt = from-file\nsystem_site_packages = true\n"
    )
    env = dict(roost_env, ROOST_CONFIG_FILE=str(config))
    dest = str(tmp_path / "e")

    options = Options()
    roost.session_via_cli(["--no-seed", dest], options=options, env=env)
    assert options.prompt == "from-file" and options.sources["prompt"] == f"config file {config}"
    assert options.system_site_packages is True
    assert options.link_mode == "auto" and "link_mode" not in options.sources

    env["VIRTUALENV_PROMPT"] = "from-virtualenv-env"
    assert _session(["--no-seed", dest], env).creator.prompt == "from-virtualenv-env"
    env["ROOST_PROMPT"] = "from-roost-env"
    assert _session(["--no-seed", dest], env).creator.prompt == "from-roost-env"
    assert _session(["--no-seed", "--prompt", "from-cli", dest], env).creator.prompt == "from-cli"


def test_roost_variable_hides_the_virtualenv_one(tmp_path: Path, roost_env: dict[str, str]) -> None:
    # Whichever order the environment lists them in, ROOST_X decides and VIRTUALENV_X is not
    # even read (a value it could not parse is no error); unknown ROOST_* names are ignored.
    for order in ((("VIRTUALENV_CLEAR", "maybe"), ("ROOST_CLEAR", "1")), (("ROOST_CLEAR", "1"), ("VIRTUALENV_CLEAR", "maybe"))):
        env = dict(roost_env, ROOST_NOT_AN_OPTION="x", **dict(order))
        options = Options()
        roost.session_via_cli(["--no-seed", str(tmp_path / "e")], options=options, env=env)
        assert options.clear is True and options.sources["clear"] == "env var ROOST_CLEAR"


def test_list_options_from_env_are_replaced_not_extended(tmp_path: Path, roost_env: dict[str, str]) -> None:
    env = dict(roost_env, ROOST_EXTRA_SEARCH_DIR="/a,/b", ROOST_ACTIVATORS="bash,fish")
    options = Options()
    roost.session_via_cli(["--no-seed", "--extra-search-dir", "/c", str(tmp_path / "e")], options=options, env=env)
    assert options.extra_search_dir == ["/c"]
    assert options.activators == ["bash", "fish"]


def test_help_names_where_defaults_came_from(tmp_path: Path, roost_env: dict[str, str]) -> None:
    env = dict(roost_env, ROOST_PROMPT="shown", VIRTUALENV_SYSTEM_SITE_PACKAGES="1")
    done = run_roost(["--help"], env)
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    assert "[default shown from env var ROOST_PROMPT]" in text
    assert "from env var VIRTUALENV_SYSTEM_SITE_PACKAGES" in text


def test_copies_from_cli_beats_symlinks_from_env(tmp_path: Path, roost_env: dict[str, str]) -> None:
    env = dict(roost_env, ROOST_SYMLINKS="1")
    assert _session(["--no-seed", "--copies", str(tmp_path / "e")], env).creator.copies is True


def test_every_spelling_of_a_flag_names_it_as_virtualenv_reads_them(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """VIRTUALENV_ALWAYS_COPY, VIRTUALENV_WITHOUT_PIP, VIRTUALENV_P and the same keys in a
    virtualenv.ini: every flag spelling, as virtualenv takes them; the long name wins."""
    dest = str(tmp_path / "e")
    env = dict(roost_env, VIRTUALENV_ALWAYS_COPY="1", VIRTUALENV_WITHOUT_PIP="true", VIRTUALENV_P=sys.executable)
    options = Options()
    roost.session_via_cli([dest], options=options, env=env)
    assert options.copies is True and options.no_seed is True and options.python == [sys.executable]
    assert options.sources["copies"] == "env var VIRTUALENV_ALWAYS_COPY"
    env["VIRTUALENV_PYTHON"] = "/usr/bin/python3"
    options = Options()
    roost.session_via_cli(["--no-seed", dest], options=options, env=env)
    assert options.python == ["/usr/bin/python3"]  # --python over -p, as in virtualenv

    config = tmp_path / "virtualenv.ini"
    config.write_text("[virtualenv]\nalways_copy = true\nwithout_pip = true\nvenv_redirect = false\n")
    options = Options()
    env = {key: value for key, value in roost_env.items() if key != "ROOST_CONFIG_FILE"}
    done = _session_quiet([dest], dict(env, VIRTUALENV_CONFIG_FILE=str(config)), options)
    assert options.copies is True and options.no_seed is True and done == []


def _session_quiet(args: list[str], env: dict[str, str], options: Options) -> list[str]:
    roost.session_via_cli(args, options=options, env=env, setup_logging=False)
    return options.warnings


def test_unknown_config_keys_warn_in_roost_section_only(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """A key no option has: ignored in [virtualenv] (options only virtualenv knows), one
    warning in [roost] (a typo), and the run goes on."""
    config = tmp_path / "roost.ini"
    config.write_text("[virtualenv]\nsome_plugin_option = 1\n[roost]\nno_such_key = 1\nprompt = ok\n")
    env = dict(roost_env, ROOST_CONFIG_FILE=str(config))
    done = run_roost(["--no-seed", str(tmp_path / "e")], env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"roost: warning: config file {config}: ignoring 'no_such_key' (no such option; see roost --help)\n"
    assert "prompt = ok" in (tmp_path / "e" / "pyvenv.cfg").read_text()


def test_empty_variables_count_as_unset(tmp_path: Path, roost_env: dict[str, str]) -> None:
    env = dict(roost_env, VIRTUALENV_CREATOR="", VIRTUALENV_PROMPT="", ROOST_CLEAR="")
    options = Options()
    roost.session_via_cli(["--no-seed", str(tmp_path / "e")], options=options, env=env)
    assert options.creator == "builtin" and options.prompt is None and options.clear is False
    assert not {"creator", "prompt", "clear"} & set(options.sources)


def test_list_variables_split_on_the_path_separator(tmp_path: Path, roost_env: dict[str, str]) -> None:
    env = dict(roost_env, VIRTUALENV_EXTRA_SEARCH_DIR=f"/a{os.pathsep}/b,/c", ROOST_TRY_FIRST_WITH=f"/x{os.pathsep}/y")
    options = Options()
    roost.session_via_cli(["--no-seed", str(tmp_path / "e")], options=options, env=env)
    assert options.extra_search_dir == ["/a", "/b", "/c"] and options.try_first_with == ["/x", "/y"]


def test_virtualenv_ini_is_read_when_there_is_no_roost_ini(tmp_path: Path, roost_env: dict[str, str]) -> None:
    env = {key: value for key, value in roost_env.items() if key != "ROOST_CONFIG_FILE"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    theirs = tmp_path / "config" / "virtualenv" / "virtualenv.ini"
    theirs.parent.mkdir(parents=True)
    theirs.write_text("[virtualenv]\nprompt = from-virtualenv-ini\n")
    options = Options()
    roost.session_via_cli(["--no-seed", str(tmp_path / "e")], options=options, env=env)
    assert options.prompt == "from-virtualenv-ini" and options.sources["prompt"] == f"config file {theirs}"
    ours = tmp_path / "config" / "roost" / "roost.ini"
    ours.parent.mkdir()
    ours.write_text("[roost]\n")  # roost's own file, even an empty one, replaces virtualenv's
    options = Options()
    roost.session_via_cli(["--no-seed", str(tmp_path / "e")], options=options, env=env)
    assert options.prompt is None


@pytest.mark.parametrize(
    ("args", "env_extra", "config_text", "needle"),
    [
        (["--no-such-flag", "e"], {}, None, "unrecognized arguments"),
        ([], {}, None, "DEST"),
        (["--link-mode", "teleport", "e"], {}, None, "invalid choice"),
        (["e"], {"ROOST_CLEAR": "maybe"}, None, "ROOST_CLEAR"),
        (["e"], {}, "not an ini file", "not valid ini"),
        (["--symlinks", "--copies", "e"], {}, None, "contradict"),
    ],
)
def test_usage_errors_are_one_line_exit_2(
    args: list[str], env_extra: dict[str, str], config_text: str | None, needle: str, tmp_path: Path, roost_env: dict[str, str]
) -> None:
    env = dict(roost_env, **env_extra)
    if config_text is not None:
        config = tmp_path / "roost.ini"
        config.write_text(config_text)
        env["ROOST_CONFIG_FILE"] = str(config)
    done = run_roost(["--no-seed", *args], env, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and needle in done.stderr
    assert "Traceback" not in done.stderr and "usage:" not in done.stderr
    assert not (tmp_path / "e").exists()


def test_output_levels(tmp_path: Path, roost_env: dict[str, str]) -> None:
    normal = run_roost(["--no-seed", str(tmp_path / "a")], roost_env)
    assert normal.stdout.count("\n") == 1 and normal.stderr == ""
    assert normal.stdout.startswith("created ") and " ms " in normal.stdout
    quiet = run_roost(["--no-seed", "-q", str(tmp_path / "b")], roost_env)
    assert quiet.stdout == "" and quiet.stderr == ""
    verbose = run_roost(["--no-seed", "-v", str(tmp_path / "c")], roost_env)
    assert "interpreter:" in verbose.stderr


def test_version(roost_env: dict[str, str]) -> None:
    done = run_roost(["--version"], roost_env)
    assert done.returncode == 0 and done.stdout.strip() == f"roost {roost.__version__}"


def test_virtualenv_creator_names_are_accepted(tmp_path: Path, roost_env: dict[str, str]) -> None:
    assert _session(["--no-seed", "--creator", "cpython3-posix", str(tmp_path / "e")], roost_env).creator.name == "builtin"


def test_api_raises_usage_error_instead_of_exiting(tmp_path: Path, roost_env: dict[str, str]) -> None:
    with pytest.raises(UsageError):
        roost.session_via_cli(["--no-such-flag", str(tmp_path / "e")], env=roost_env)


def test_import_roost_is_cheap() -> None:
    code = "import sys, roost; print(sorted(m for m in sys.modules if m.startswith('roost') or m == 'argparse'))"
    out = subprocess.check_output([sys.executable, "-c", code], text=True)
    assert out.strip() == "['roost']"


# The console script ends with roost.__main__._exit: os._exit once stdout and stderr are
# flushed, skipping interpreter teardown, unless an exit handler is registered.  The child
# runs without site (-S): a .pth file of the machine's may register a handler of its own.
# It reports which way it left by wrapping os._exit.
_EXIT = (
    "import os, sys; quick = os._exit\n"
    "def traced(code): os.write(1, b'<quick exit>'); quick(code)\n"
    "os._exit = traced\n"
    "from roost.__main__ import _exit\n"
    "{setup}\n"
    "_exit({code})"
)


def _exit_child(setup: str, code: int) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["PYTHONPATH"] = str(Path(roost.__file__).parent.parent)
    program = _EXIT.format(setup=setup, code=code)
    return subprocess.run([sys.executable, "-S", "-c", program], capture_output=True, text=True, env=env)


def test_quick_exit_flushes_output_and_keeps_the_code() -> None:
    done = _exit_child("sys.stdout.write('out' * 5000); sys.stderr.write('err')", 3)
    assert (done.returncode, done.stdout, done.stderr) == (3, "out" * 5000 + "<quick exit>", "err")


def test_exit_handlers_still_run() -> None:
    # coverage, logging and callers' own handlers need the normal exit: roost must not skip them.
    done = _exit_child("import atexit; atexit.register(print, 'handler ran')", 4)
    assert (done.returncode, done.stdout) == (4, "handler ran\n")


@pytest.mark.parametrize("closed", ["sys.stdout", "sys.stderr"])
def test_quick_exit_without_a_stream(closed: str) -> None:
    # fd 1 or 2 closed when Python started (`roost -q env >&-`, pythonw): the stream is None.
    done = _exit_child(f"{closed} = None", 0)
    assert (done.returncode, done.stdout, done.stderr) == (0, "<quick exit>", "")


def test_console_script_runs(tmp_path: Path, roost_env: dict[str, str]) -> None:
    script = Path(sys.executable).parent / "roost"
    if not script.exists():
        pytest.skip("roost is not installed as a console script beside this interpreter")
    done = subprocess.run([str(script), "--no-seed", str(tmp_path / "e")], env=roost_env, capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("created ") and done.stderr == ""
    bad = subprocess.run([str(script), "--no-such-flag", "x"], env=roost_env, capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_app_data_that_is_a_file_is_one_line(tmp_path: Path, roost_env: dict[str, str]) -> None:
    (tmp_path / "cache").write_text("a file of the user's\n")
    env = dict(roost_env, ROOST_OVERRIDE_APP_DATA=str(tmp_path / "cache"))
    done = run_roost([str(tmp_path / "e")], env)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (
        done.stderr
        == f"roost: error: the app-data folder {tmp_path / 'cache'} is a file, or under one: point --app-data at a folder\n"
    )
    assert (tmp_path / "cache").read_text() == "a file of the user's\n" and not (tmp_path / "e").exists()


def test_unambiguous_abbreviations_work_as_in_virtualenv(tmp_path: Path, roost_env: dict[str, str]) -> None:
    options = Options()
    roost.session_via_cli(["--no-seed", "--system-site", str(tmp_path / "e")], options=options, env=roost_env)
    assert options.system_site_packages is True
    with pytest.raises(UsageError, match="ambiguous"):
        roost.session_via_cli(["--no-s", str(tmp_path / "e")], env=roost_env)


def test_a_version_range_in_a_variable_stays_one_spec(tmp_path: Path, roost_env: dict[str, str]) -> None:
    """ROOST_PYTHON='cpython>=3.12,<3.13' is one spec with two clauses, not two specs; a
    comma before a new spec still separates them."""
    options = Options()
    env = dict(roost_env, ROOST_PYTHON="cpython>=3.12,<3.13, 3.11 ,pypy3")
    roost.session_via_cli(["--no-seed", str(tmp_path / "e")], options=options, env=env)
    assert options.python == ["cpython>=3.12,<3.13", "3.11", "pypy3"]
