"""Loading libdcs: the DCS_LIBRARY override and the run-time version check."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import dcs

from conftest import DEMO_AK, DEMO_PROJECT, DEMO_SK, Emulator

HERE = Path(__file__).resolve().parent


def _import_dcs_with(library: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DCS_LIBRARY=library)
    # Import the same dcs package these tests use, whatever its location.
    package_parent = str(Path(dcs.__file__).resolve().parents[1])
    code = f"import sys; sys.path.insert(0, {package_parent!r}); import dcs"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def test_runtime_version_is_checked() -> None:
    from dcs import _native

    number = int(_native.lib.dcs_version_number())
    assert number // 10000 == _native.EXPECTED_MAJOR
    assert number >= _native.MINIMUM_VERSION_NUMBER
    assert dcs.library_version().startswith(f"{_native.EXPECTED_MAJOR}.")


def test_a_missing_library_is_a_clear_import_error(tmp_path: Path) -> None:
    result = _import_dcs_with(str(tmp_path / "nope" / "libdcs.so.1"))
    assert result.returncode != 0
    assert "LibraryError" in result.stderr
    assert "DCS_LIBRARY" in result.stderr


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler to fake a library")
@pytest.mark.parametrize("version", [20000, 9900])
def test_a_library_of_another_major_version_is_refused(tmp_path: Path, version: int) -> None:
    source = tmp_path / "fake.c"
    source.write_text(
        f"int dcs_version_number(void) {{ return {version}; }}\n"
        f'const char *dcs_version_string(void) {{ return "fake-{version}"; }}\n'
    )
    library = tmp_path / "libdcs.so.1"
    subprocess.run(
        ["cc", "-shared", "-fPIC", "-o", str(library), str(source)], check=True, timeout=60
    )
    result = _import_dcs_with(str(library))
    assert result.returncode != 0
    assert "LibraryError" in result.stderr
    assert f"fake-{version}" in result.stderr


def test_the_readme_example_runs(emulator: Emulator) -> None:
    env = dict(
        os.environ,
        DCS_ENDPOINT=emulator.url,
        HUAWEICLOUD_SDK_AK=DEMO_AK,
        HUAWEICLOUD_SDK_SK=DEMO_SK,
        HUAWEICLOUD_SDK_PROJECT_ID=DEMO_PROJECT,
        PYTHONPATH=str(Path(dcs.__file__).resolve().parents[1]),
    )
    result = subprocess.run(
        [sys.executable, str(HERE.parent / "examples" / "restore_demo.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "instance demo-redis: RUNNING, ha" in result.stdout
    assert "succeed" in result.stdout
    assert emulator.data("6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b") == {
        "greeting": "hello",
        "counter": "1",
    }


def test_every_c_function_used_is_declared() -> None:
    from dcs import _native

    package = Path(dcs.__file__).resolve().parent
    used: set[str] = set()
    for source in package.glob("*.py"):
        used |= set(re.findall(r"\blib\.(dcs_\w+)", source.read_text()))
    assert used, "no C function found: the scan is broken"
    undeclared = used - set(_native._SIGNATURES)
    assert not undeclared, f"used without argtypes/restype: {sorted(undeclared)}"
    for name in used:
        fn = getattr(_native.lib, name)
        assert fn.argtypes is not None, name
