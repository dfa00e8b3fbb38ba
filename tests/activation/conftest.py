"""Fixtures for the activation tests: hostile values, fake environments, real shells.

The environments are fakes on purpose: a ``bin/python`` symlink to the test's
own interpreter is all a shell needs to find ``python`` on PATH, and it keeps
these tests independent of the creator.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from roost.activation import ACTIVATORS, ActivationContext, generate_all, select_activators

#: Each value is used both in the environment's folder name and as its prompt.
#: Every one that a shell could execute tries to create CANARY.
CASES: dict[str, str] = {
    "space": "my env",
    "quotes": 'it\'s "quoted"',
    "cmd-subst": "$(touch CANARY)",
    "backticks": "`touch CANARY`",
    "semicolon": "a; touch CANARY; b",
    "ampersand": "a & touch CANARY & b | c > d < e",
    "fish-subst": "(touch CANARY) {a,b} *",
    "bang": "wow! !! !$ !-1 !touch",
    "percent": "%PATH% %n %~ %{x%} 100%",
    "dollar-brace": "${HOME} $HOME $0 $$",
    "backslash": "back\\slash \\w \\$ \\\\ \\n end\\",
    "caret": "^a^b^ \\^x",
    "newline": "line1\nline2",
    "unicode": "ünïcødé ☃ 中文",
    "placeholder": "__ROOST_VIRTUAL_ENV__ __ROOST_PROMPT__ __ROOST_UP__ __VIRTUAL_ENV__",
    "fish-escape": "a\\'b\\",
    "raw-string-end": "x'# '## y\"#",
    "curly-quotes": "\u2018single\u2019 \u201cdouble\u201d \u201a\u201b",
    "everything": "it's \"all\" $(touch CANARY) `touch CANARY`; !! %n% ${HOME} ^x\\ \u00fc\n'#\\",
}

#: PATH the shells start with: real tools (so an injection would succeed),
#: plus an entry with a space to show PATH comes back byte for byte.
START_PATH = "/usr/bin:/bin:/opt/with space"
START_PYTHONHOME = "/somewhere/python home"
CANARY = "CANARY"


def need(program: str) -> str:
    """The path of ``program``; skip the test without it, but fail on CI (CI=true)."""
    found = shutil.which(program)
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{program} is not installed: CI must have every shell the activation tests use")
        pytest.skip(f"{program} is not installed")
    return found


@dataclass
class FakeEnv:
    """An environment folder with scripts generated into its bin folder."""

    dest: Path
    prompt: str
    written: list[str]
    warnings: list[str] = field(default_factory=list)

    @property
    def bin(self) -> Path:
        return self.dest / "bin"

    def script(self, name: str) -> Path:
        return self.bin / name

    def move_to(self, new_dest: Path) -> None:
        """Rename the environment, as a user moving it would."""
        self.dest.rename(new_dest)
        self.dest = new_dest


def site_packages(dest: Path) -> Path:
    return dest / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"


@pytest.fixture
def make_env(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    """Build a fake env named ``name`` under tmp_path and generate ``activators`` into it."""

    def make(name: str, prompt: str, activators: list[str] | None = None) -> FakeEnv:
        dest = tmp_path / "envs" / name
        (dest / "bin").mkdir(parents=True)
        (dest / "bin" / "python").symlink_to(sys.executable)
        site_packages(dest).mkdir(parents=True)
        # What marks a folder as an environment: a moved script trusts its own place only then.
        (dest / "pyvenv.cfg").write_text(f"home = {os.path.dirname(sys.executable)}\n")
        ctx = ActivationContext(dest=dest, bin_dir=dest / "bin", prompt=prompt, site_packages=(site_packages(dest),))
        caplog.clear()
        with caplog.at_level("WARNING", logger="roost"):
            written = generate_all(select_activators(activators or list(ACTIVATORS), windows=False), ctx)
        warnings = [r.getMessage() for r in caplog.records if r.name == "roost"]
        return FakeEnv(dest=dest, prompt=prompt, written=written, warnings=warnings)

    return make


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """The shells' working folder and HOME: a canary would land here."""
    path = tmp_path / "work"
    path.mkdir()
    return path


def shell_env(workdir: Path, out: Path, script: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A small, known environment for a shell run; rc files are kept away."""
    env = {
        "PATH": START_PATH,
        "HOME": str(workdir),
        "ENV": "/dev/null",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "dumb",
        "PYTHONHOME": START_PYTHONHOME,
        "ROOST_T_OUT": str(out),
        "ROOST_T_SCRIPT": str(script),
    }
    env.update(extra or {})
    return env


def run_shell(argv: list[str], stdin: str, env: Mapping[str, str], cwd: Path, tty: bool = False) -> str:
    """Run a shell reading ``stdin``; return everything it printed (stdout and stderr).

    ``tty`` runs it on a pseudo-terminal: ksh93 only shows its prompt there.
    """
    if not tty:
        proc = subprocess.run(
            argv,
            input=stdin.encode(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=dict(env),
            cwd=cwd,
            timeout=60,
        )
        return proc.stdout.decode("utf-8", "replace")
    import pty
    import termios

    master, slave = pty.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[3] &= ~termios.ECHO  # only the shell's own output, not the typed lines
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=dict(env), cwd=cwd, start_new_session=True)
    os.close(slave)
    # a terminal never reaches end of input: say exit
    writer = threading.Thread(target=os.write, args=(master, (stdin + "\nexit\n").encode()), daemon=True)
    writer.start()
    chunks = []
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the shell exited and closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        else:
            raise AssertionError("shell did not finish:\n" + b"".join(chunks).decode("utf-8", "replace"))
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def shown_prompt(output: str, marker: str) -> str:
    """The prompt a shell printed between ``@@<marker>`` and ``<marker>@@``."""
    match = re.search(f"@@<{marker}>(.*?)<{marker}>@@", output, re.S)
    assert match, f"no prompt between markers {marker} in:\n{output}"
    return match.group(1)


def read_outputs(out: Path) -> dict[str, str]:
    """The values a driver wrote, one file each."""
    return {p.name: p.read_bytes().decode("utf-8") for p in out.iterdir()}


def assert_round_trip(output: str, out: Path, dest: Path, prompt: str) -> dict[str, str]:
    """The checks every shell's round-trip driver shares; returns what it wrote, for the shell's own.

    The driver activates, activates again, then deactivates, writing ``venv``, ``prompt``,
    ``pythonhome``, ``python`` and ``path1`` after the first activation, ``path2`` after the
    second, and ``path3``, ``venv3``, ``prompt3``, ``pythonhome3`` after deactivating.
    """
    seen = read_outputs(out)
    assert seen.get("venv") == str(dest), output
    assert seen["prompt"] == prompt
    assert seen["pythonhome"] == "<unset>"
    assert seen["python"] == f"{dest}/bin/python"
    assert seen["path1"] == f"{dest}/bin:{START_PATH}"
    # a second activation replaces the first instead of stacking on it
    assert seen["path2"] == seen["path1"]
    # one deactivate brings back the shell as it was before the first activation
    assert seen["path3"] == START_PATH
    assert (seen["venv3"], seen["prompt3"], seen["pythonhome3"]) == ("<unset>", "<unset>", START_PYTHONHOME)
    return seen


#: What a shell started inside another activation inherits (PYTHONHOME set but empty).
INHERITED = {"VIRTUAL_ENV": "/outer/env", "VIRTUAL_ENV_PROMPT": "outer", "PYTHONHOME": ""}


def assert_no_canary(*roots: Path) -> None:
    """Nothing a value contained was run: no CANARY file anywhere under ``roots``."""
    for root in roots:
        found = [p for p in root.rglob("*") if p.name.startswith(CANARY)]
        assert not found, f"a value was executed: {found}"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """Where drivers write what they saw, one value per file."""
    path = tmp_path / "out"
    path.mkdir()
    return path


@pytest.fixture(autouse=True)
def _roost_messages_to_logging() -> Iterator[None]:
    """Route roost's console messages to the `roost` logger so caplog sees the warnings."""
    from roost import _log

    _log.set_thread_level(None, use_logging=True)
    yield
    _log.set_thread_level(None, use_logging=None)
