"""The probe and its cache: hit, miss, invalidation, corruption, failures, concurrency.

Invalidation tests need an interpreter file they may touch and replace: a small shell
script that execs a real interpreter (the cache keys on the script's own path, size and
mtime, exactly as for a binary), so the machine's real interpreters are never modified.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from roost.appdata import MARKER, STORE_MAGIC, AppData, read_store, store_bytes, write_store
from roost.discovery import cache as cache_module
from roost.discovery.cache import (
    FactsCache,
    ProbeError,
    cache_file,
    fnv1a_64,
    iter_cached_facts,
    probe_fingerprint,
    probe_timeout,
    run_probe,
)

from .conftest import DEBIAN_PYPY, DEBIAN_PYTHON, PYENV_VERSIONS, base_env, need, pyenv_python, write_script


def wrapper(folder: Path, target: str, name: str = "python") -> Path:
    """An executable that runs *target*: an interpreter file this test owns."""
    return write_script(folder / name, f'#!/bin/sh\nexec "{target}" "$@"\n')


@pytest.fixture
def probes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every real probe run (the cache must make them rare)."""
    calls: list[str] = []
    real = cache_module.run_probe

    def counting(executable: str, env: object, timeout: float) -> dict[str, object]:
        calls.append(executable)
        return real(executable, env, timeout)  # type: ignore[arg-type]

    monkeypatch.setattr(cache_module, "run_probe", counting)
    return calls


@pytest.mark.parametrize("minor", sorted(PYENV_VERSIONS))
def test_probe_answers_on_every_pyenv_version(minor: str) -> None:
    facts = run_probe(pyenv_python(minor), base_env(), 60)
    assert ".".join(map(str, facts["version_info"][:2])) == minor
    assert facts["implementation"] == "CPython"
    assert facts["paths"]["purelib"].endswith("site-packages")


def test_probe_on_debian_python_reports_its_quirks() -> None:
    facts = run_probe(need(DEBIAN_PYTHON), base_env(), 60)
    assert facts["default_scheme"] == "posix_local"  # Debian's patched default scheme
    assert any(entry.endswith("dist-packages") for entry in facts["site_packages"])
    assert "/usr/share/python-wheels" in facts["ensurepip_wheel_dirs"]
    assert facts["paths"]["purelib"] == "lib/python3.11/site-packages"  # a venv still uses site-packages


def test_probe_on_pypy() -> None:
    facts = run_probe(need(DEBIAN_PYPY), base_env(), 60)
    assert facts["implementation"] == "PyPy"


def test_probe_ignores_python_variables(tmp_path: Path) -> None:
    env = base_env(PYTHONPATH=str(tmp_path / "elsewhere"), PYTHONHOME="/nonexistent")
    facts = run_probe(pyenv_python("3.12"), env, 60)
    assert str(tmp_path / "elsewhere") not in facts["sys_path"]
    assert facts["prefix"].endswith("3.12.1")


def test_probe_is_not_fooled_by_modules_in_the_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "json.py").write_text("raise SystemExit('shadowed json imported')\n")
    monkeypatch.chdir(tmp_path)
    assert run_probe(pyenv_python("3.12"), base_env(), 60)["implementation"] == "CPython"


def load_record(path: str | Path) -> dict[str, Any]:
    record = read_store(path)
    assert isinstance(record, dict), f"{path} is no store file"
    return record


def test_hit_miss_and_file_format(app_data: AppData, tmp_path: Path, probes: list[str]) -> None:
    python = str(wrapper(tmp_path / "bin", pyenv_python("3.12")))
    first = FactsCache(app_data, base_env()).facts(python, "PATH")
    assert probes == [python]
    assert first.found_by == "PATH" and first.version_info[:2] == (3, 12)
    path = cache_file(app_data.interpreters, python)
    assert path.endswith(".facts") and os.path.basename(path).startswith("python-")
    record = load_record(path)
    assert record["key"]["path"] == python and record["key"]["real_path"] == os.path.realpath(python)
    assert record["facts"]["version_info"][:3] == [3, 12, 1]
    assert iter_cached_facts(app_data) == [record["facts"]]
    assert (Path(app_data.root) / MARKER).is_file()  # roost marked the folder as its own

    again = FactsCache(app_data, base_env()).facts(python, "pyenv")  # a new process, in effect
    assert probes == [python]  # hit: no second probe
    assert again == first and again.found_by == "pyenv"


def test_touching_the_executable_invalidates(app_data: AppData, tmp_path: Path, probes: list[str]) -> None:
    python = wrapper(tmp_path / "bin", pyenv_python("3.12"))
    FactsCache(app_data, base_env()).facts(str(python), "PATH")
    stat = python.stat()
    os.utime(python, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    FactsCache(app_data, base_env()).facts(str(python), "PATH")
    assert probes == [str(python)] * 2


def test_replacing_the_executable_invalidates(app_data: AppData, tmp_path: Path, probes: list[str]) -> None:
    python = wrapper(tmp_path / "bin", pyenv_python("3.12"))
    assert FactsCache(app_data, base_env()).facts(str(python), "PATH").version_info[:2] == (3, 12)
    replacement = wrapper(tmp_path / "new", pyenv_python("3.10"))
    os.replace(replacement, python)
    assert FactsCache(app_data, base_env()).facts(str(python), "PATH").version_info[:2] == (3, 10)
    assert len(probes) == 2


def test_retargeted_symlink_invalidates(app_data: AppData, tmp_path: Path, probes: list[str]) -> None:
    link = tmp_path / "python"
    link.symlink_to(pyenv_python("3.9"))
    assert FactsCache(app_data, base_env()).facts(str(link), "PATH").version_info[:2] == (3, 9)
    link.unlink()
    link.symlink_to(pyenv_python("3.8"))
    assert FactsCache(app_data, base_env()).facts(str(link), "PATH").version_info[:2] == (3, 8)
    assert len(probes) == 2


def test_changed_probe_script_invalidates(
    app_data: AppData, tmp_path: Path, probes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    python = str(wrapper(tmp_path / "bin", pyenv_python("3.12")))
    FactsCache(app_data, base_env()).facts(python, "PATH")
    monkeypatch.setattr(cache_module, "_fingerprint", "1-deadbeef-1")  # as if the probe's text changed
    FactsCache(app_data, base_env()).facts(python, "PATH")
    assert len(probes) == 2


GARBAGE = [
    b"",
    b"{not json",
    b'{"key": 1}',
    b"\xff\xfe",
    STORE_MAGIC,
    STORE_MAGIC + b"\xff\x00garbage",
    store_bytes([]),
    store_bytes({"key": 1}),
    store_bytes({"key": None, "facts": {}}),
    store_bytes("facts"),
]


@pytest.mark.parametrize("garbage", GARBAGE, ids=range(len(GARBAGE)))
def test_corrupt_cache_file_is_discarded_and_rewritten(
    app_data: AppData, tmp_path: Path, probes: list[str], garbage: bytes
) -> None:
    python = str(wrapper(tmp_path / "bin", pyenv_python("3.12")))
    FactsCache(app_data, base_env()).facts(python, "PATH")
    path = Path(cache_file(app_data.interpreters, python))
    path.write_bytes(garbage)
    assert FactsCache(app_data, base_env()).facts(python, "PATH").version_info[:2] == (3, 12)
    assert len(probes) == 2
    assert "facts" in load_record(path)


def test_right_key_but_broken_facts_count_as_corrupt(app_data: AppData, tmp_path: Path, probes: list[str]) -> None:
    python = str(wrapper(tmp_path / "bin", pyenv_python("3.12")))
    FactsCache(app_data, base_env()).facts(python, "PATH")
    path = cache_file(app_data.interpreters, python)
    key = load_record(path)["key"]
    for broken in ({"key": key, "facts": ["not", "a", "dict"]}, {"key": key}, {"key": key, "error": "x", "at": "soon"}):
        write_store(path, broken)
        FactsCache(app_data, base_env()).facts(python, "PATH")
    assert len(probes) == 4


def test_facts_missing_a_field_count_as_corrupt(app_data: AppData, tmp_path: Path, probes: list[str]) -> None:
    python = str(wrapper(tmp_path / "bin", pyenv_python("3.12")))
    FactsCache(app_data, base_env()).facts(python, "PATH")
    path = cache_file(app_data.interpreters, python)
    record = load_record(path)
    del record["facts"]["paths"]
    write_store(path, record)
    FactsCache(app_data, base_env()).facts(python, "PATH")
    assert len(probes) == 2


def test_json_files_of_older_roosts_are_ignored(app_data: AppData, tmp_path: Path, probes: list[str]) -> None:
    python = str(wrapper(tmp_path / "bin", pyenv_python("3.12")))
    os.makedirs(app_data.interpreters)
    old = Path(app_data.interpreters, "python-0123456789abcdef.json")
    old.write_text(json.dumps({"key": {}, "facts": {"version_info": [3, 12, 1]}}))
    FactsCache(app_data, base_env()).facts(python, "PATH")
    assert probes == [python]
    assert sorted(os.listdir(app_data.interpreters)) == sorted(
        [old.name, os.path.basename(cache_file(app_data.interpreters, python))]
    )
    assert [facts["version_info"][:3] for facts in iter_cached_facts(app_data)] == [[3, 12, 1]]


def test_cache_file_names_are_stable_and_distinct() -> None:
    assert fnv1a_64(b"") == 0xCBF29CE484222325  # the published FNV-1a test vectors
    assert fnv1a_64(b"a") == 0xAF63DC4C8601EC8C
    assert fnv1a_64(b"foobar") == 0x85944171F73967E8
    first = cache_file("/cache", "/usr/bin/python3")
    assert first == cache_file("/cache", "/usr/bin/python3") == "/cache/python3-" + f"{fnv1a_64(b'/usr/bin/python3'):016x}.facts"
    assert first != cache_file("/cache", "/usr/local/bin/python3")
    assert os.path.basename(cache_file("/cache", "/weird dir/py thon\udcff")).startswith("py_thon_-")


def test_probe_fingerprint_follows_the_probe_text_not_its_mtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two installs of the same roost share facts; any edit of the probe invalidates them."""
    source = Path(cache_module.PROBE_SCRIPT).read_bytes()
    copy = tmp_path / "_probe.py"
    copy.write_bytes(source)
    os.utime(copy, ns=(1, 1))  # another install: same text, other mtime

    def fingerprint_of(path: Path) -> str:
        monkeypatch.setattr(cache_module, "PROBE_SCRIPT", str(path))
        monkeypatch.setattr(cache_module, "_fingerprint", None)
        return probe_fingerprint()

    original = fingerprint_of(Path(cache_module.PROBE_SCRIPT))
    assert fingerprint_of(copy) == original
    copy.write_bytes(source.replace(b"import", b"import ", 1))  # one byte more
    assert fingerprint_of(copy) != original
    at = next(index for index in range(len(source) - 1) if source[index] != source[index + 1])
    swapped = source[:at] + source[at + 1 : at + 2] + source[at : at + 1] + source[at + 2 :]
    copy.write_bytes(swapped)  # same size, two bytes swapped
    assert fingerprint_of(copy) != original
    assert fingerprint_of(tmp_path / "missing.py").endswith("-missing")


def test_running_interpreter_facts_come_from_the_cache(app_data: AppData, monkeypatch: pytest.MonkeyPatch) -> None:
    from roost.discovery import _probe

    collected = []
    real = _probe.collect

    def counting() -> dict[str, Any]:
        collected.append(1)
        return real()

    monkeypatch.setattr(_probe, "collect", counting)
    first = FactsCache(app_data, base_env()).running()
    again = FactsCache(app_data, base_env()).running()
    assert len(collected) == 1 and again == first and again.found_by == "running roost"
    assert load_record(cache_file(app_data.interpreters, sys.executable))["key"]["path"] == sys.executable
    assert FactsCache(AppData(app_data.root, read_only=True), base_env()).running() == first
    assert len(collected) == 1


def test_read_only_app_data_is_never_written(tmp_path: Path, probes: list[str]) -> None:
    python = str(wrapper(tmp_path / "bin", pyenv_python("3.12")))
    read_only = AppData(tmp_path / "ro", read_only=True)
    FactsCache(read_only, base_env()).facts(python, "PATH")
    assert not (tmp_path / "ro").exists()


def test_unwritable_app_data_still_answers(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    python = str(wrapper(tmp_path / "bin", pyenv_python("3.12")))
    facts = FactsCache(AppData(blocker / "app-data"), base_env()).facts(python, "PATH")
    assert facts.version_info[:2] == (3, 12)


def test_broken_interpreter_is_one_line_and_remembered(app_data: AppData, tmp_path: Path, probes: list[str]) -> None:
    broken = write_script(tmp_path / "bin" / "python3", "#!/bin/sh\necho 'Fatal Python error: init failed' >&2\nexit 3\n")
    with pytest.raises(ProbeError) as caught:
        FactsCache(app_data, base_env()).facts(str(broken), "PATH")
    message = str(caught.value)
    assert str(broken) in message and "exit code 3" in message and "Fatal Python error" in message
    assert "\n" not in message
    with pytest.raises(ProbeError):
        FactsCache(app_data, base_env()).facts(str(broken), "PATH")
    assert len(probes) == 1  # the failure was remembered
    with pytest.raises(ProbeError):
        FactsCache(app_data, base_env()).facts(str(broken), "path", retry_failures=True)
    assert len(probes) == 2  # ...but a user naming it gets a fresh try


def test_hanging_interpreter_times_out_with_one_line(app_data: AppData, tmp_path: Path) -> None:
    hanging = write_script(tmp_path / "bin" / "python3", "#!/bin/sh\nexec sleep 60\n")
    with pytest.raises(ProbeError) as caught:
        FactsCache(app_data, base_env(ROOST_PROBE_TIMEOUT="0.5")).facts(str(hanging), "PATH")
    assert f"interpreter {hanging} did not answer within 0.5s" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_non_python_executable(app_data: AppData, tmp_path: Path) -> None:
    liar = write_script(tmp_path / "bin" / "python3", "#!/bin/sh\necho hello\n")
    with pytest.raises(ProbeError, match="gave an answer roost cannot read"):
        FactsCache(app_data, base_env()).facts(str(liar), "PATH")


def test_unrunnable_file(app_data: AppData, tmp_path: Path) -> None:
    text = tmp_path / "python3"
    text.write_bytes(b"\x00\x01 not a program")
    text.chmod(0o755)
    with pytest.raises(ProbeError, match=f"cannot run interpreter {text}"):
        FactsCache(app_data, base_env()).facts(str(text), "PATH")


def test_folder_without_python(app_data: AppData, tmp_path: Path) -> None:
    folder = tmp_path / "not-an-env"
    folder.mkdir()
    with pytest.raises(ProbeError, match=f"{folder} is a folder with no Python interpreter in it") as caught:
        FactsCache(app_data, base_env()).facts(str(folder), "PATH")
    assert "-p 3.12" in str(caught.value) and "\n" not in str(caught.value)


def test_missing_file(app_data: AppData, tmp_path: Path) -> None:
    with pytest.raises(ProbeError, match="no interpreter at"):
        FactsCache(app_data, base_env()).facts(str(tmp_path / "nope"), "PATH")


@pytest.mark.parametrize("value", ["abc", "1e"])
def test_bad_timeout_variable(value: str) -> None:
    with pytest.raises(Exception, match="ROOST_PROBE_TIMEOUT"):
        probe_timeout({"ROOST_PROBE_TIMEOUT": value})


def test_timeout_default() -> None:
    assert probe_timeout({}) == 15.0
    assert probe_timeout({"ROOST_PROBE_TIMEOUT": "2.5"}) == 2.5


CONCURRENT_CHILD = """
import json, os, sys
from pathlib import Path
from roost.appdata import AppData
from roost.discovery.cache import FactsCache
cache = FactsCache(AppData(Path(sys.argv[1])), dict(os.environ))
print(json.dumps([list(cache.facts(path, "PATH").version_info[:3]) for path in sys.argv[2:]]))
"""


def test_eight_threads_and_eight_processes_at_once(tmp_path: Path) -> None:
    root = tmp_path / "app-data"
    targets = [pyenv_python(minor) for minor in ("3.9", "3.12", "3.13")] + [need(DEBIAN_PYTHON)]
    report = "import sys, json; print(json.dumps(list(sys.version_info[:3])))"
    expected = [json.loads(subprocess.check_output([target, "-c", report])) for target in targets]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2] / "src"))
    children = [
        subprocess.Popen([sys.executable, "-c", CONCURRENT_CHILD, str(root), *targets], stdout=subprocess.PIPE, env=env)
        for _ in range(8)
    ]
    results: list[object] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            cache = FactsCache(AppData(root), base_env())
            results.append([list(cache.facts(path, "PATH").version_info[:3]) for path in targets])
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outputs = [child.communicate(timeout=300)[0] for child in children]
    assert not errors
    assert all(child.returncode == 0 for child in children)
    assert results == [expected] * 8
    assert [json.loads(output) for output in outputs] == [expected] * 8
    files = sorted(os.listdir(root / "interpreters"))
    assert len(files) == len(targets)  # one per interpreter, no temp files left behind
    for name in files:
        assert "facts" in load_record(root / "interpreters" / name)


def test_chatty_site_customisation_before_the_answer(tmp_path: Path) -> None:
    # A sitecustomize that prints is common enough in the wild; the answer is the last line.
    real = pyenv_python("3.12")
    chatty = write_script(tmp_path / "python3", f'#!/bin/sh\necho "welcome to this machine"\nexec "{real}" "$@"\n')
    assert run_probe(str(chatty), base_env(), 60)["version_info"][:2] == [3, 12]
