"""PowerShell and cmd scripts compared byte for byte with reviewed golden files.

Why golden files and not real shells: neither PowerShell nor cmd.exe runs on
this machine (Linux, no pwsh package in the registries we can reach), so their
scripts cannot be executed here.  The golden files were checked by hand
against each shell's documented quoting rules; the tests below pin them, and
pin the quoting of the hostile values themselves.

Regenerate after a deliberate template change with ``ROOST_UPDATE_GOLDEN=1``,
then review the diff as carefully as the first time.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path, PureWindowsPath

import pytest

from roost.activation import ActivationContext, UnsafeValue, generate_all, select_activators
from roost.activation.shells import BatchActivator, PowerShellActivator

GOLDEN = Path(__file__).parent / "golden"

# name: (env folder, prompt); the folders are valid Windows names
CASES: dict[str, tuple[str, str]] = {
    "plain": (r"C:\Users\me\envs\project", "project"),
    "hostile": (
        "C:\\Users\\me\\100% ^caret & amp! it's \u2018x\u2019 $(calc) __ROOST_PROMPT__",
        "it's \u2018curly\u2019 $(calc) %PATH% ^ & | < > ( ) ! !PATH! $P$G ${HOME} `n __ROOST_VIRTUAL_ENV__",
    ),
    # cmd cannot hold a double quote or a line break: only the .ps1 is written
    "quote-newline": (r"C:\Users\me\envs\quoted", 'say "hi"\nthere \u00fc'),
}


def render(case: str) -> tuple[dict[str, bytes], list[str]]:
    """The files the PowerShell and cmd activators would write, and the scripts left out."""
    folder, prompt = CASES[case]
    dest = PureWindowsPath(folder)
    ctx = ActivationContext(
        dest=dest,  # type: ignore[arg-type]  # a Windows layout, rendered the same on any host
        bin_dir=dest / "Scripts",  # type: ignore[arg-type]
        prompt=prompt,
        site_packages=(dest / "Lib" / "site-packages",),  # type: ignore[arg-type]
        windows=True,
    )
    files: dict[str, bytes] = {}
    left_out = []
    for activator in select_activators(["powershell", "batch"], windows=True):
        try:
            files.update(activator.render_files(ctx))
        except UnsafeValue:
            left_out.append(activator.name)
    return files, left_out


@pytest.mark.parametrize("case", list(CASES))
def test_matches_golden(case: str) -> None:
    files, left_out = render(case)
    expected_dir = GOLDEN / case
    if os.environ.get("ROOST_UPDATE_GOLDEN") == "1":
        expected_dir.mkdir(parents=True, exist_ok=True)
        for old in expected_dir.iterdir():
            old.unlink()
        for name, data in files.items():
            (expected_dir / name).write_bytes(data)
    expected = {p.name: p.read_bytes() for p in sorted(expected_dir.iterdir())}
    assert files == expected
    assert left_out == (["batch"] if case == "quote-newline" else [])


def test_file_encodings() -> None:
    files, _ = render("hostile")
    assert files["activate.ps1"].startswith(b"\xef\xbb\xbf")
    for name in ("activate.bat", "deactivate.bat", "pydoc.bat"):
        data = files[name]
        assert data.count(b"\n") == data.count(b"\r\n") > 0, name


def test_path_separator_in_folder_leaves_all_out(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    dest = tmp_path / "a;b"
    (dest / "Scripts").mkdir(parents=True)
    ctx = ActivationContext(dest=dest, bin_dir=dest / "Scripts", prompt="p", site_packages=(), windows=True)
    with caplog.at_level(logging.WARNING, logger="roost"):
        written = generate_all(select_activators(["powershell", "batch"], windows=True), ctx)
    assert written == []
    warnings = [r.getMessage() for r in caplog.records if r.name == "roost"]
    assert len(warnings) == 2 and all("split PATH" in w for w in warnings)


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("plain", "'plain'"),
        ("it's", "'it''s'"),
        # PowerShell ends a single-quoted string at any of the four single quotes
        ("\u2018a\u2019 \u201ab\u201b", "'\u2018\u2018a\u2019\u2019 \u201a\u201ab\u201b\u201b'"),
        ('$(calc) "x" `n', "'$(calc) \"x\" `n'"),
        ("line\nbreak", "'line\nbreak'"),
    ],
)
def test_powershell_quote(value: str, quoted: str) -> None:
    assert PowerShellActivator().quote(value) == quoted


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("plain", "plain"),
        ("100% %PATH%", "100%% %%PATH%%"),
        ("a & b | c ^ d ( ) < >", "a & b | c ^ d ( ) < >"),
    ],
)
def test_batch_quote(value: str, quoted: str) -> None:
    assert BatchActivator().quote(value) == quoted


@pytest.mark.parametrize("value", ['say "hi"', "a\nb", "a\rb"])
def test_batch_refuses(value: str) -> None:
    with pytest.raises(UnsafeValue):
        BatchActivator().quote(value)


def test_batch_delayed_expansion_form(tmp_path: Path) -> None:
    ctx = ActivationContext(dest=tmp_path, bin_dir=tmp_path / "Scripts", prompt="a^b!c $P", site_packages=(), windows=True)
    values = BatchActivator().values(ctx)
    assert values["PROMPT"] == "a^b!c $P"
    assert values["PROMPT_DE"] == "a^^b^!c $P"
    assert values["PROMPT_SHOWN"] == "a^b!c $$P"
    assert values["PROMPT_SHOWN_DE"] == "a^^b^!c $$P"
    # without a "!" cmd leaves carets alone even with delayed expansion on
    plain = BatchActivator().values(ActivationContext(tmp_path, tmp_path / "Scripts", "a^b", (), True))
    assert plain["PROMPT_DE"] == "a^b"


def test_generate_all_windows_defaults(tmp_path: Path) -> None:
    bin_dir = tmp_path / "Scripts"
    bin_dir.mkdir()
    ctx = ActivationContext(dest=tmp_path, bin_dir=bin_dir, prompt="p", site_packages=(), windows=True)
    written = generate_all(select_activators(None, windows=True), ctx)
    assert sorted(os.path.basename(p) for p in written) == [
        "activate",
        "activate.bat",
        "activate.nu",
        "activate.ps1",
        "activate.xsh",
        "activate_this.py",
        "deactivate.bat",
        "pydoc.bat",
    ]
