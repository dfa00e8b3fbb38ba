"""Facts virtualenv's ``PythonInfo`` offers that roost's own flow never reads.

Tools written against virtualenv (tox, poetry, pdm) read them from
``session.interpreter``; :class:`~roost.discovery.interpreter.Interpreter` answers through
this module, loaded only when one of them is asked for.  Most derive from the probe's
facts; the sysconfig scheme, its unexpanded path templates and the config variables they
name are asked of the interpreter once per process (in-process when it is the one running
roost).
"""

from __future__ import annotations

import os
import sys
import threading

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~4 ms)
if TYPE_CHECKING:
    from typing import Any

    from .discovery.interpreter import Interpreter


def implementation_version(interpreter: Interpreter) -> str:
    """PEP 508 ``implementation_version``: ``sys.implementation.version`` as ``3.12.1`` / ``3.13.0rc1``.

    PyPy's own version is read from ``sys.version`` (``[PyPy 7.3.17 with GCC ...]``), which
    is where the probe saw it.
    """
    if interpreter.is_pypy and "[PyPy " in interpreter.version:
        return interpreter.version.split("[PyPy ", 1)[1].split()[0]
    major, minor, micro, level, serial = interpreter.version_info
    suffix = "" if level == "final" else f"{str(level)[0]}{serial}"
    return f"{major}.{minor}.{micro}{suffix}"


def marker_environment(interpreter: Interpreter) -> dict[str, str]:
    """The PEP 508 environment markers of *interpreter*, as ``packaging`` computes them there."""
    uname = os.uname() if hasattr(os, "uname") else None
    if uname is not None:
        system, release, version, machine = uname.sysname, uname.release, uname.version, uname.machine
    else:  # Windows: the platform module asks the same kernel the target would
        import platform

        system, release, version, machine = platform.system(), platform.release(), platform.version(), platform.machine()
    return {
        "implementation_name": interpreter.implementation_tag,
        "implementation_version": implementation_version(interpreter),
        "os_name": interpreter.os,
        "platform_machine": machine,
        "platform_release": release,
        "platform_system": system,
        "platform_version": version,
        "python_full_version": interpreter.version.split()[0],
        "platform_python_implementation": interpreter.implementation,
        "python_version": interpreter.major_minor,
        "sys_platform": interpreter.platform,
    }


def satisfies(interpreter: Interpreter, spec: object, impl_must_match: bool) -> bool:
    """virtualenv's ``PythonInfo.satisfies``: *spec* is a string, roost's spec or virtualenv's."""
    from .discovery.spec import PythonSpec, parse_spec

    if not isinstance(spec, PythonSpec):
        # virtualenv's (python_discovery's) PythonSpec keeps the text it was parsed from.
        spec = parse_spec(str(getattr(spec, "str_spec", spec)))
    if spec.path is not None or spec.name is not None:
        # As virtualenv: an absolute path was resolved by discovery already and always fits;
        # a bare name fits the executable of that name.
        wanted = spec.path if spec.path is not None else spec.name
        assert wanted is not None
        return os.path.isabs(wanted) or os.path.basename(interpreter.executable) == wanted
    if not impl_must_match and spec.implementation is not None:
        spec = PythonSpec(
            spec.text,
            major=spec.major,
            minor=spec.minor,
            micro=spec.micro,
            free_threaded=spec.free_threaded,
            architecture=spec.architecture,
            machine=spec.machine,
            specifier=spec.specifier,
        )
    return spec.matches(interpreter)


# Runs inside the target (Python 2.7 and 3.3+, stdlib only): the scheme virtualenv chooses,
# its path templates, and the config variables those templates and virtualenv read.
_COLLECT = r"""
import re, sys, sysconfig
def collect():
    names = sysconfig.get_scheme_names()
    if "venv" in names:
        scheme = "venv"
    elif sys.version_info[:2] == (3, 10) and "deb_system" in names:
        scheme = "posix_prefix"
    else:
        scheme = None
    if scheme:
        paths = dict((key, sysconfig.get_path(key, scheme, expand=False)) for key in sysconfig.get_path_names())
    else:
        paths = dict((key, sysconfig.get_path(key, expand=False)) for key in sysconfig.get_path_names())
    keys = set(["PYTHONFRAMEWORK", "Py_ENABLE_SHARED", "INSTSONAME", "LIBDIR"])
    for template in paths.values():
        keys.update(re.findall(r"\{(\w+)\}", template or ""))
    return {"scheme": scheme, "paths": paths, "vars": dict((key, sysconfig.get_config_var(key)) for key in keys)}
"""

_cache: dict[tuple[str, str], dict[str, Any]] = {}
_cache_lock = threading.Lock()


def sysconfig_facts(interpreter: Interpreter) -> dict[str, Any]:
    """``{"scheme": ..., "paths": {...}, "vars": {...}}`` of *interpreter*, asked once per process."""
    executable = interpreter.executable if os.path.exists(interpreter.executable) else interpreter.system_executable
    key = (executable, interpreter.system_executable)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    if os.path.realpath(executable) == os.path.realpath(sys.executable) and interpreter.prefix == sys.prefix:
        facts = _in_process()
    else:
        facts = _ask(executable)
    with _cache_lock:
        return _cache.setdefault(key, facts)


def _in_process() -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(_COLLECT, "<roost sysconfig facts>", "exec"), namespace)
    facts: dict[str, Any] = namespace["collect"]()
    return facts


def _ask(executable: str) -> dict[str, Any]:
    import subprocess

    from .errors import RoostError

    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    try:
        script = _COLLECT + "\nimport json\nprint(json.dumps(collect()))"
        done = subprocess.run(
            [executable, "-E", "-s", "-c", script], capture_output=True, text=True, env=environment, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RoostError(f"cannot ask {executable} for its sysconfig paths: {exc}") from None
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RoostError(f"cannot ask {executable} for its sysconfig paths: {last}")
    import json

    facts: dict[str, Any] = json.loads(done.stdout)
    return facts
