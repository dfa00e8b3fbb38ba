"""roost's own plugins: the example distribution in example_plugins/ built into a wheel,
pip-installed beside roost, and each plugin used through roost's command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from offline_build import write_wheel
from support import EXPECTED_INTERPRETERS, require_executable
from tools import tool_env, tool_environment

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).parent / "example_plugins"


def _example_wheel(directory: Path) -> Path:
    package = EXAMPLE / "roost_example_plugins"
    files = {
        path.relative_to(EXAMPLE).as_posix(): path.read_text()
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    namespace: dict[str, object] = {}
    exec((package / "__init__.py").read_text(), namespace)
    groups = namespace["ENTRY_POINTS"]
    assert isinstance(groups, dict)
    entry_points = "".join(
        f"[{group}]\n" + "".join(f"{name} = {target}\n" for name, target in names.items()) + "\n"
        for group, names in groups.items()
    )
    files["roost_example_plugins-1.0.dist-info/entry_points.txt"] = entry_points
    return write_wheel(directory, "roost_example_plugins", "1.0", files)


def _old_plugin_wheel(directory: Path) -> Path:
    """Plugins that cannot be used: for another version of the interface, of the wrong
    kind, naming a class that does not exist."""
    files = {
        "roost_old_plugin.py": "from roost.activation import Activator\n\n"
        "class Old(Activator):\n    roost_plugin_api = 0\n    name = 'old'\n    templates = ()\n\n"
        "class NotACreator:\n    roost_plugin_api = 1\n",
        "roost_old_plugin-1.0.dist-info/entry_points.txt": "[roost.activate]\nold = roost_old_plugin:Old\n"
        "[roost.create]\nnotacreator = roost_old_plugin:NotACreator\ngone = roost_old_plugin:Gone\n"
        "[roost.discovery]\nnofind = roost_old_plugin:NotACreator\n",
    }
    return write_wheel(directory, "roost_old_plugin", "1.0", files)


class PluginSetup:
    """The tool environment, and what roost said about a plugin name before it was installed."""

    def __init__(self, bin_dir: Path, before_install: subprocess.CompletedProcess[str]) -> None:
        self.bin_dir = bin_dir
        self.before_install = before_install


def _roost(bin_dir: Path, args: list[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "roost"), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def plugins(tmp_path_factory: pytest.TempPathFactory, app_data_dir: Path) -> PluginSetup:
    work = tmp_path_factory.mktemp("plugins")
    bin_dir = tool_environment(work / "tool")
    env = tool_env(work, app_data_dir)
    # Asked before the plugin is installed: the answer (no such activator) is cached ...
    before = _roost(bin_dir, [str(work / "before"), "--no-seed", "--activators", "rc"], env)
    wheels = work / "wheels"
    wheels.mkdir()
    install = [str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-index", "--disable-pip-version-check"]
    done = subprocess.run(
        [*install, str(_example_wheel(wheels)), str(_old_plugin_wheel(wheels))], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return PluginSetup(bin_dir, before)


def test_installing_a_plugin_is_seen_at_once(plugins: PluginSetup, tmp_path: Path, app_data_dir: Path) -> None:
    """... and installing the distribution changed site-packages, so the cache is not trusted."""
    assert plugins.before_install.returncode == 2
    assert "no activator called 'rc'" in plugins.before_install.stderr
    done = _roost(plugins.bin_dir, [str(tmp_path / "env"), "--no-seed", "--activators", "rc"], tool_env(tmp_path, app_data_dir))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "env" / "bin" / "activate.rc").is_file()


def test_a_warm_run_with_a_plugin_reads_no_distribution_metadata(
    plugins: PluginSetup, tmp_path: Path, app_data_dir: Path
) -> None:
    env = tool_env(tmp_path, tmp_path / "fresh-app-data")
    python = str(plugins.bin_dir / "python")
    runs = []
    for index in range(2):
        runs.append(
            subprocess.run(
                [python, "-X", "importtime", "-m", "roost", str(tmp_path / f"env{index}"), "--no-seed", "--activators", "rc"],
                env=env,
                capture_output=True,
                text=True,
            )
        )
        assert runs[-1].returncode == 0, runs[-1].stderr
    assert "importlib.metadata" in runs[0].stderr  # the first run scans the entry points ...
    assert "importlib.metadata" not in runs[1].stderr  # ... the next is answered from the cache
    assert (tmp_path / "env1" / "bin" / "activate.rc").is_file()


@pytest.mark.skipif(shutil.which("rc") is None and os.environ.get("CI") != "true", reason="rc shell not installed")
def test_activator_plugin_in_the_rc_shell(plugins: PluginSetup, tmp_path: Path, app_data_dir: Path) -> None:
    dest = tmp_path / "it's an env"
    prompt = "a 'quoted' $prompt\nline"
    done = _roost(
        plugins.bin_dir, [str(dest), "--no-seed", "--activators", "bash,rc", "--prompt", prompt], tool_env(tmp_path, app_data_dir)
    )
    assert done.returncode == 0, done.stderr
    assert (dest / "bin" / "activate").is_file() and (dest / "bin" / "activate.rc").is_file()
    script = (
        f". '{str(dest / 'bin' / 'activate.rc').replace(chr(39), chr(39) * 2)}'\n"
        "echo ENV $VIRTUAL_ENV\n"
        "echo PROMPT $VIRTUAL_ENV_PROMPT\n"
        "python -c 'import sys; print(\"PREFIX\", sys.prefix)'\n"
        "deactivate\n"
        "echo AFTER $#VIRTUAL_ENV $PATH\n"
    )
    shell_env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    ran = subprocess.run(["rc"], input=script, env=shell_env, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert f"ENV {dest}" in lines
    assert f"PREFIX {dest}" in lines
    assert "PROMPT a 'quoted' $prompt" in lines  # the line break ends the echoed line
    assert f"AFTER 0 {os.environ['PATH']}" in lines


def test_creator_seeder_and_activator_from_virtualenv_ini(plugins: PluginSetup, tmp_path: Path, app_data_dir: Path) -> None:
    """virtualenv.ini's keys select plugins as virtualenv's would."""
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "from_pth.py").write_text("VALUE = 'pth'\n")
    ini = tmp_path / "virtualenv.ini"
    ini.write_text("[virtualenv]\ncreator = pyversion\nseeder = pth\nactivators = rc\n")
    env = tool_env(tmp_path, app_data_dir)
    env.update(VIRTUALENV_CONFIG_FILE=str(ini), ROOST_CONFIG_FILE="", ROOST_EXAMPLE_PTH=str(extra))
    dest = tmp_path / "env"
    done = _roost(plugins.bin_dir, [str(dest)], env)
    assert done.returncode == 0, done.stderr
    assert (dest / ".python-version").read_text().strip() == ".".join(map(str, sys.version_info[:3]))
    assert sorted(path.name for path in (dest / "bin").glob("activate*")) == ["activate.rc"]
    ran = subprocess.run(
        [str(dest / "bin" / "python"), "-c", "import from_pth; print(from_pth.VALUE)"], capture_output=True, text=True
    )
    assert ran.stdout.strip() == "pth", ran.stderr
    assert "1 folder(s) through roost_example.pth" in done.stdout


def test_discovery_plugin(plugins: PluginSetup, tmp_path: Path, app_data_dir: Path) -> None:
    python = require_executable(EXPECTED_INTERPRETERS["cpython3.12"], "cpython3.12")
    project = tmp_path / "project" / "deeper"
    project.mkdir(parents=True)
    (tmp_path / "project" / ".python-interpreter").write_text(python + "\n")
    done = _roost(plugins.bin_dir, ["env", "--no-seed", "--discovery", "pinfile"], tool_env(tmp_path, app_data_dir), cwd=project)
    assert done.returncode == 0, done.stderr
    assert "version = 3.12.1" in (project / "env" / "pyvenv.cfg").read_text()
    nowhere = tmp_path / "nowhere"
    nowhere.mkdir()
    done = _roost(plugins.bin_dir, ["env", "--no-seed", "--discovery", "pinfile"], tool_env(tmp_path, app_data_dir), cwd=nowhere)
    assert done.returncode == 1 and "--discovery pinfile: no interpreter found" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--activators", "old"], "is written for roost plugin API 0; this roost speaks 1"),
        (["--creator", "notacreator"], "(roost_old_plugin:NotACreator) is not a subclass of roost.create.creator.Creator"),
        (
            ["--creator", "gone"],
            "creator plugin 'gone' (roost_old_plugin:Gone) cannot be loaded: module 'roost_old_plugin' has no",
        ),
        (
            ["--discovery", "nofind"],
            "discovery plugin 'nofind' (roost_old_plugin:NotACreator) has no find(specs, env, cwd) method",
        ),
        (["--creator", "nope"], "--creator: no creator called 'nope': choose from: builtin, venv, gone, notacreator, pyversion"),
        (["--seeder", "nope"], "--seeder: no seeder called 'nope': choose from: app-data, pip, pth"),
        (["--activators", "bash,nope"], "no activator called 'nope'"),
    ],
)
def test_bad_plugin_names_and_versions(
    plugins: PluginSetup, tmp_path: Path, app_data_dir: Path, args: list[str], message: str
) -> None:
    done = _roost(plugins.bin_dir, [str(tmp_path / "env"), "--no-seed", *args], tool_env(tmp_path, app_data_dir))
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "env").exists()
