# -*- coding: utf-8 -*-
"""Facts about the interpreter that runs this file, printed as one JSON object.

Runs inside *target* interpreters, so it must stay standard-library only and valid on
Python 2.7 and 3.6+: an old interpreter must still answer, so roost can say clearly what
it cannot do with it.  roost also imports it in-process to describe the interpreter it
runs on without starting a subprocess.  This file's size and mtime are part of the cache
key (see cache.probe_fingerprint): any edit here invalidates every cached answer.
"""
import os
import re
import sys
import sysconfig

TYPE_CHECKING = False
if TYPE_CHECKING:  # type comments only: this file must run on Python 2.7, without typing
    from typing import Any, Dict, List, Optional, Tuple

# A placeholder prefix: the scheme paths are expanded against it and made relative, so
# roost can lay out an environment anywhere with the target's own rules.
_BASE = os.sep + "__roost_base__"
_HERE = os.path.dirname(os.path.abspath(__file__))
_PATH_KEYS = ("stdlib", "platstdlib", "purelib", "platlib", "include", "scripts", "data")
_CONFIG_KEYS = (
    "LDLIBRARY", "INSTSONAME", "LIBDIR", "LIBPL", "BINDIR", "Py_ENABLE_SHARED", "Py_GIL_DISABLED",
    "EXT_SUFFIX", "SOABI", "VERSION", "py_version_nodot", "MULTIARCH", "WHEEL_PKG_DIR", "PYTHONFRAMEWORK",
)


def _venv_scheme():
    # type: () -> str
    names = sysconfig.get_scheme_names()
    if "venv" in names:  # 3.11+: the scheme venv itself uses, unaffected by distro defaults
        return "venv"
    if os.name == "nt":
        return "nt"
    if hasattr(sys, "pypy_version_info") and "pypy" in names and sys.version_info < (3, 8):
        return "pypy"
    return "posix_prefix"


def _scheme_paths(scheme):
    # type: (str) -> Dict[str, str]
    variables = {"base": _BASE, "platbase": _BASE, "installed_base": _BASE, "installed_platbase": _BASE}
    paths = sysconfig.get_paths(scheme=scheme, vars=variables, expand=True)
    relative = {}
    for key in _PATH_KEYS:
        value = paths.get(key)
        if value and value.startswith(_BASE):
            relative[key] = value[len(_BASE):].lstrip("/\\")
    return relative


def _read_pyvenv_home(prefix):
    # type: (str) -> Optional[str]
    """The `home` key of the pyvenv.cfg of the venv we run in, if any."""
    for candidate in (os.path.join(prefix, "pyvenv.cfg"),):
        try:
            with open(candidate) as handle:
                for line in handle:
                    key, sep, value = line.partition("=")
                    if sep and key.strip().lower() == "home":
                        return value.strip()
        except (IOError, OSError):
            pass
    return None


def _system_executable(in_venv, base_prefix):
    # type: (bool, Any) -> Any
    """The interpreter behind a venv or virtualenv, so new envs never chain onto another env."""
    executable = sys.executable
    if not in_venv:
        return executable
    base = getattr(sys, "_base_executable", None)
    if base and os.path.exists(base) and not os.path.samefile(os.path.dirname(base), os.path.dirname(executable)):
        return base
    home = _read_pyvenv_home(sys.prefix)
    major, minor = sys.version_info[:2]
    names = [os.path.basename(executable), "python%d.%d" % (major, minor), "python%d" % major, "python"]
    if hasattr(sys, "pypy_version_info"):
        names[1:1] = ["pypy%d.%d" % (major, minor), "pypy%d" % major]
    folders = [home] if home else []
    folders += [os.path.join(base_prefix, "bin"), os.path.join(base_prefix, "Scripts"), base_prefix]
    for folder in folders:
        for name in names:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                return candidate
    return executable


def _ensurepip_facts():
    # type: () -> Tuple[Optional[str], List[str]]
    """Where this interpreter keeps the wheels ensurepip would install (never imports ensurepip)."""
    folder = None
    for entry in sys.path:
        candidate = os.path.join(entry or ".", "ensurepip")
        if os.path.isfile(os.path.join(candidate, "__init__.py")):
            folder = os.path.abspath(candidate)
            break
    wheel_dirs = []
    if folder:
        bundled = os.path.join(folder, "_bundled")
        if os.path.isdir(bundled):
            wheel_dirs.append(bundled)
        # Distributions (Debian, Fedora) patch ensurepip to read wheels from elsewhere:
        # read the absolute folders its source names.
        try:
            with open(os.path.join(folder, "__init__.py")) as handle:
                source = handle.read()
            for match in re.finditer(r"[\"'](/[^\"'\n]*wheels?)/?[\"']", source):
                if os.path.isdir(match.group(1)):
                    wheel_dirs.append(match.group(1))
        except (IOError, OSError, UnicodeDecodeError):
            pass
    configured = sysconfig.get_config_var("WHEEL_PKG_DIR")
    if configured and os.path.isdir(configured):
        wheel_dirs.append(configured)
    unique = []
    for entry in wheel_dirs:
        entry = os.path.normpath(entry)
        if entry not in unique:
            unique.append(entry)
    return folder, unique


def _has_module(name):
    # type: (str) -> bool
    for entry in sys.path:
        base = os.path.join(entry or ".", name)
        if os.path.isfile(os.path.join(base, "__init__.py")) or os.path.isfile(base + ".py"):
            return True
    return False


def _normalise_machine(machine):
    # type: (str) -> str
    machine = (machine or "").lower()
    return {"amd64": "x86_64", "x64": "x86_64", "arm64": "aarch64", "i686": "x86", "i386": "x86"}.get(machine, machine)


# sys.implementation.name -> platform.python_implementation(), so the common case skips
# importing platform (~2 ms when roost describes itself in-process).
_IMPLEMENTATION_NAMES = {"cpython": "CPython", "pypy": "PyPy", "graalpy": "GraalVM", "ironpython": "IronPython", "jython": "Jython"}


def _implementation():
    # type: () -> str
    name = getattr(getattr(sys, "implementation", None), "name", None)
    if name in _IMPLEMENTATION_NAMES:
        return _IMPLEMENTATION_NAMES[name]
    import platform

    return platform.python_implementation()


def _machine():
    # type: () -> Any
    if hasattr(os, "uname"):
        return os.uname()[4]
    import platform

    return platform.machine()


def _default_scheme():
    # type: () -> Any
    """The scheme this interpreter installs into outside a venv (Debian: posix_local)."""
    for name in ("get_default_scheme", "_get_default_scheme"):
        getter = getattr(sysconfig, name, None)
        if getter is not None:
            try:
                return getter()
            except Exception:  # noqa: BLE001 - a distro patch must not break the probe
                return None
    return None


def _site_packages():
    # type: () -> List[str]
    """The system site-packages folders (Debian: /usr/lib/python3/dist-packages ...)."""
    try:
        import site

        return [entry for entry in site.getsitepackages() if os.path.isdir(entry)]
    except Exception:  # noqa: BLE001 - old virtualenv site.py lacks getsitepackages
        return []


def collect():
    # type: () -> Dict[str, Any]
    """Every fact roost needs about this interpreter, as plain JSON-able values."""
    base_prefix = getattr(sys, "real_prefix", None) or getattr(sys, "base_prefix", sys.prefix)
    base_exec_prefix = getattr(sys, "real_prefix", None) or getattr(sys, "base_exec_prefix", sys.exec_prefix)
    in_venv = base_prefix != sys.prefix
    ensurepip_dir, wheel_dirs = _ensurepip_facts()
    config = dict((key, sysconfig.get_config_var(key)) for key in _CONFIG_KEYS)
    implementation = _implementation()
    scheme = _venv_scheme()
    return {
        "probe_version": 1,
        "implementation": implementation,
        "version_info": list(sys.version_info[:3]) + [sys.version_info[3], sys.version_info[4]],
        "version": sys.version,
        "executable": sys.executable,
        "system_executable": _system_executable(in_venv, base_prefix),
        "prefix": sys.prefix,
        "exec_prefix": sys.exec_prefix,
        "base_prefix": base_prefix,
        "base_exec_prefix": base_exec_prefix,
        "in_venv": in_venv,
        "architecture": 64 if sys.maxsize > 2 ** 32 else 32,
        "machine": _normalise_machine(_machine()),
        "platform": sys.platform,
        "os": os.name,
        "scheme": scheme,
        "paths": _scheme_paths(scheme),
        "config": config,
        "free_threaded": bool(config.get("Py_GIL_DISABLED")),
        "shared_library": bool(config.get("Py_ENABLE_SHARED")) or implementation == "PyPy",
        "abiflags": getattr(sys, "abiflags", ""),
        "platlibdir": getattr(sys, "platlibdir", "lib"),
        "cache_tag": getattr(getattr(sys, "implementation", None), "cache_tag", None),
        "ensurepip_dir": ensurepip_dir,
        "ensurepip_wheel_dirs": wheel_dirs,
        "has_venv": _has_module("venv"),
        "stdlib": sysconfig.get_paths().get("stdlib"),
        # Leave out the folder of this script, which Python puts first when it runs a file.
        "sys_path": [entry for entry in sys.path if entry and entry != _HERE],
        "filesystem_encoding": sys.getfilesystemencoding(),
        "max_size": sys.maxsize,
        "default_scheme": _default_scheme(),
        "site_packages": _site_packages(),
    }


if __name__ == "__main__":
    import json  # here, not at the top: roost imports this module in-process, where json is not needed

    # Write bytes: a non-UTF-8 locale must not break the answer.
    payload = json.dumps(collect(), sort_keys=True)
    out = getattr(sys.stdout, "buffer", sys.stdout)  # type: Any
    out.write(payload.encode("utf-8") if not isinstance(payload, bytes) else payload)
    out.write(b"\n")
    out.flush()
