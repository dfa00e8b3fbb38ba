"""Move an environment's written paths from where it was made to where it is now.

An environment is full of absolute paths to itself: console-script shebangs (including
those pip wrote later), activation scripts, ``.pth`` files and editable finders, RECORD
rows, ``direct_url.json`` of editable projects that live inside it.  After a move or copy
they point at the old place.  :func:`relocate` rewrites each of them; ``roost repair``
after a move, ``roost home cp``/``mv`` and ``--relocatable`` share it.

What it never rewrites: the link to the base interpreter and ``pyvenv.cfg``'s ``home``
(they name the base, which did not move), and bytecode (``co_filename`` only shows in
tracebacks and is refreshed when the source changes).
"""

from __future__ import annotations

import os

from .appdata import atomic_write_bytes
from .envreader import Environment, read_environment, script_interpreter

__all__ = ["make_scripts_relocatable", "relocate"]

# Activation scripts written by other tools carry the path in their own quoting (or none); a
# plain path reads the same in every one of them, so only a plain new path is spliced in.
_PLAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./@%+=:,~-")
_ACTIVATION_PREFIXES = ("activate", "Activate", "deactivate", "pydoc.bat")


def relocate(root: str, old_root: str) -> list[str]:
    """Rewrite every absolute path inside the environment at *root* that points at *old_root*.

    Covers the shebangs and trampolines of all console scripts, activation scripts (roost's
    are written again; other tools' get the new path where it needs no quoting), ``.pth``
    files and editable finders, RECORD rows, ``direct_url.json`` of editables inside the
    environment, and ``pyvenv.cfg``'s ``command``.  Returns the files changed.
    """
    root = os.path.abspath(root)
    old_root = os.path.normpath(old_root)
    if old_root == root:
        return []
    env = read_environment(root)
    changed: list[str] = []
    changed += _rewrite_scripts(env, old_root)
    changed += _rewrite_activation(env, old_root)
    for site_dir in env.site_packages:
        changed += _rewrite_site_packages(site_dir, old_root, root)
    changed += _rewrite_pyvenv_cfg(env, old_root)
    return changed


def make_scripts_relocatable(root: str) -> list[str]:
    """Give every console script of the environment at *root* the relocatable trampoline.

    Scripts whose interpreter is this environment's (an absolute shebang or pip's
    trampoline) get the head that finds ``python`` beside the script; RECORD rows of the
    changed scripts get their new hash and size.  Returns the files changed.
    """
    env = read_environment(root)
    return _rewrite_scripts(env, env.root, relocatable=True)


# -- console scripts -------------------------------------------------------------------------


def _script_files(env: Environment) -> list[str]:
    from .envreader import _BIN_PYTHON

    found = []
    for entry in sorted(os.scandir(env.bin_dir) if os.path.isdir(env.bin_dir) else [], key=lambda e: e.name):
        if _BIN_PYTHON.match(entry.name) or entry.name.startswith(_ACTIVATION_PREFIXES):
            continue
        if entry.is_file(follow_symlinks=False):
            found.append(entry.path)
    return found


def _split_head(content: bytes) -> tuple[bytes, bytes, bytes]:
    """(head, the shebang's arguments, body): pip's 3-line trampoline or the ``#!`` line."""
    lines = content.split(b"\n", 3)
    if lines[0].rstrip(b"\r").strip() == b"#!/bin/sh" and len(lines) > 2 and lines[1].startswith(b"'''exec'"):
        return b"\n".join(lines[:3]) + b"\n", b"", lines[3] if len(lines) > 3 else b""
    first, _, body = content.partition(b"\n")
    command = first[2:].strip()
    arguments = b" " + command.split(b" ", 1)[1] if b" " in command else b""
    return first + b"\n", arguments, body


def _rewrite_scripts(env: Environment, old_root: str, relocatable: bool | None = None) -> list[str]:
    from .seed.scripts import script_head

    relocatable = env.relocatable if relocatable is None else relocatable
    old_prefix = old_root + os.sep
    changed: dict[str, bytes] = {}
    for path in _script_files(env):
        with open(path, "rb") as handle:
            content = handle.read()
        interpreter = script_interpreter(content[:4096])
        if interpreter is None or not (interpreter + os.sep).startswith(old_prefix):
            continue
        new_interpreter = os.path.join(env.root, interpreter[len(old_prefix) :]) if interpreter != old_root else env.root
        head, arguments, body = _split_head(content)
        new_head = script_head(new_interpreter, relocatable and os.path.dirname(new_interpreter) == env.bin_dir)
        if arguments and new_head.startswith(b"#!/") and new_head.count(b"\n") == 1:
            new_head = new_head.rstrip(b"\n") + arguments + b"\n"  # `#!/env/bin/python -E` keeps -E
        new_content = new_head + body
        if new_content != content:
            _replace_file(path, new_content)
            changed[path] = new_content
    if changed:
        _update_record_hashes(env, changed)
    return sorted(changed)


def _replace_file(path: str, content: bytes) -> None:
    """Write *content* to *path* atomically, keeping its permission bits."""
    mode = os.stat(path).st_mode & 0o7777
    atomic_write_bytes(path, content)
    os.chmod(path, mode)


def _update_record_hashes(env: Environment, changed: dict[str, bytes]) -> None:
    """RECORD rows of rewritten scripts get their new hash and size, as pip would write them."""
    from .seed.scripts import record_line

    for dist in env.distributions():
        record = os.path.join(dist.metadata_dir, "RECORD")
        rows = _read_rows(record)
        touched = False
        for index, row in enumerate(rows):
            if not row:
                continue
            target = os.path.normpath(os.path.join(dist.site_dir, row[0]))
            if target in changed:
                rows[index] = record_line(row[0], changed[target]).rsplit(",", 2)
                touched = True
        if touched:
            _write_rows(record, rows)


# -- activation scripts ----------------------------------------------------------------------


def _rewrite_activation(env: Environment, old_root: str) -> list[str]:
    """roost's activation scripts are written again for the new place; other tools' are edited.

    Another tool's script gets the new path spliced in where the path needs no quoting in
    any shell; otherwise it is replaced by roost's script for the same shell (which sets
    the same variables and ``deactivate``), so it is never left pointing at the old place.
    """
    from .activation import ACTIVATORS

    changed = []
    regenerate = []
    plain = set(env.root) <= _PLAIN
    old = os.fsencode(old_root)
    for name, activator_class in ACTIVATORS.items():
        paths = [os.path.join(env.bin_dir, out) for _, out in activator_class.templates]
        present = [(path, _read_bytes(path)) for path in paths if os.path.isfile(path)]
        if not present:
            continue
        if any(b"roost" in content for _, content in present) or (not plain and any(old in c for _, c in present)):
            regenerate.append(name)
            continue
        for path, content in present:
            if old in content:
                _replace_file(path, _replace_path(content, old, os.fsencode(env.root)))
                changed.append(path)
    if regenerate:
        changed += write_activation(env, regenerate)
    return changed


def write_activation(env: Environment, names: list[str]) -> list[str]:
    """Write roost's activators *names* for *env* at its current place; returns the paths."""
    from .activation import ActivationContext, generate_all, select_activators

    context = ActivationContext(
        dest=env.root,
        bin_dir=env.bin_dir,
        prompt=env.prompt or os.path.basename(env.root),
        site_packages=tuple(env.site_packages) or (env.site_packages_for(env.major_minor or "3"),),
        windows=os.name == "nt",
    )
    return generate_all(select_activators(names, os.name == "nt"), context)


def _replace_path(content: bytes, old: bytes, new: bytes) -> bytes:
    """*old* replaced by *new* where it is the whole path or a prefix of one (``old/...``)."""
    import re

    return re.sub(re.escape(old) + rb"(?=[/\\\"'\s:;)]|$)", lambda _: new, content, flags=re.M)


# -- site-packages: .pth, editable finders, RECORD, direct_url.json -------------------------


def _rewrite_site_packages(site_dir: str, old_root: str, root: str) -> list[str]:
    old, new = os.fsencode(old_root), os.fsencode(root)
    changed = []
    for entry in sorted(os.scandir(site_dir), key=lambda e: e.name):
        is_text = entry.name.endswith((".pth", ".egg-link")) or (
            entry.name.startswith("__editable__") and entry.name.endswith(".py")
        )
        if is_text and entry.is_file():
            content = _read_bytes(entry.path)
            if old in content:
                _replace_file(entry.path, _replace_path(content, old, new))
                changed.append(entry.path)
        elif entry.name.endswith(".dist-info") and entry.is_dir():
            changed += _rewrite_record(os.path.join(entry.path, "RECORD"), old_root, root)
            changed += _rewrite_direct_url(os.path.join(entry.path, "direct_url.json"), old_root, root)
    return changed


def _rewrite_record(record: str, old_root: str, root: str) -> list[str]:
    if not os.path.isfile(record):
        return []
    rows = _read_rows(record)
    old_prefix = old_root + os.sep
    touched = False
    for row in rows:
        if row and row[0].startswith(old_prefix):
            row[0] = os.path.join(root, row[0][len(old_prefix) :])
            touched = True
    if not touched:
        return []
    _write_rows(record, rows)
    return [record]


def _rewrite_direct_url(path: str, old_root: str, root: str) -> list[str]:
    if not os.path.isfile(path):
        return []
    import json

    from .envreader import file_url_path

    try:
        data = json.loads(_read_bytes(path))
    except ValueError:
        return []
    url = data.get("url") if isinstance(data, dict) else None
    source = file_url_path(url) if isinstance(url, str) else None
    if not source or not (source + os.sep).startswith(old_root + os.sep):
        return []
    from pathlib import Path

    data["url"] = Path(root + source[len(old_root) :]).as_uri()
    _replace_file(path, json.dumps(data).encode("utf-8"))
    return [path]


def _rewrite_pyvenv_cfg(env: Environment, old_root: str) -> list[str]:
    content = _read_bytes(env.pyvenv_cfg)
    lines = content.split(b"\n")
    old, new = os.fsencode(old_root), os.fsencode(env.root)
    touched = False
    for index, line in enumerate(lines):
        if line.split(b"=", 1)[0].strip().lower() == b"command" and old in line:
            lines[index] = _replace_path(line, old, new)
            touched = True
    if not touched:
        return []
    _replace_file(env.pyvenv_cfg, b"\n".join(lines))
    return [env.pyvenv_cfg]


# -- small file helpers ----------------------------------------------------------------------


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _read_rows(record: str) -> list[list[str]]:
    import csv

    with open(record, encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle)]


def _write_rows(record: str, rows: list[list[str]]) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    _replace_file(record, buffer.getvalue().encode("utf-8"))
