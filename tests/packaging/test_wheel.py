"""``pip install .`` as a user does it: the wheel installs the app under its own names (``guard``,
``ui``), with the shipped data inside ``guard`` (a top-level ``resources`` package would collide
with any other project's), and the app installed that way, run outside the checkout, finds its
catalog and starts its tray. A real build, a real virtual environment, real processes."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support.processes import log_contains, stop, wait_until

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "guard", "ui", "resources")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment, outside the checkout, with the app's wheel installed; the
    libraries it needs are this environment's (a .pth file), so nothing is downloaded but the build tools."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # built from a copy: the build leaves build/ and *.egg-info behind
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"),
                            str(source)], capture_output=True, text=True, timeout=600, cwd=work)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (work / "dist").glob("meeting_privacy_guard-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    # Installed as a user's shell would: with no path into the checkout, where `pip install .` (the README's
    # install) leaves meeting_privacy_guard.egg-info, through which pip would take the app as installed already.
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                           str(wheel)], capture_output=True, text=True, timeout=300, cwd=work,
                          env=without_checkout_paths())
    assert done.returncode == 0, done.stdout + done.stderr
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True, cwd=work).stdout.strip()
    assert (Path(purelib) / "guard").is_dir(), "the wheel was not installed: " + done.stdout + done.stderr
    (Path(purelib) / "libraries-of-the-test-run.pth").write_text("\n".join(site.getsitepackages()) + "\n",
                                                                  encoding="utf-8")
    return venv


def without_checkout_paths() -> dict[str, str]:
    """This environment without the test run's paths into the checkout."""
    return {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}


def outside(app_home: Path) -> dict[str, str]:
    """The environment of a user's shell: no path into the checkout."""
    return dict(without_checkout_paths(), MEETING_GUARD_HOME=str(app_home),
                PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")


def test_the_wheel_installs_no_top_level_resources_package(installed: Path) -> None:
    wheel = next((installed.parent / "dist").glob("*.whl"))
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert tops == {"guard", "ui", next(t for t in tops if t.endswith(".dist-info"))}
    shipped = {p.relative_to(ROOT / "resources").as_posix() for p in (ROOT / "resources").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    inside = {name.removeprefix("guard/resources/") for name in zipfile.ZipFile(wheel).namelist()
              if name.startswith("guard/resources/")}
    assert shipped - inside == set(), "every shipped file is in the wheel"


def test_the_installed_app_reads_its_catalog_outside_the_checkout(installed: Path, app_home: Path,
                                                                 tmp_path: Path) -> None:
    env = outside(app_home)
    found = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "from guard.paths import resources_dir; print(resources_dir())"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()).is_relative_to(installed), found.stdout
    listed = subprocess.run([str(installed / "bin" / "meeting-guard"), "providers", "--json"],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert listed.returncode == 0, listed.stderr
    catalog = json.loads(listed.stdout)
    assert catalog["problems"] == []
    assert {provider["id"] for provider in catalog["providers"]} == {
        path.stem for path in (ROOT / "resources" / "catalog").glob("*.toml")}


def test_the_installed_tray_app_starts_offscreen(installed: Path, app_home: Path, tmp_path: Path) -> None:
    env = dict(outside(app_home), QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen([str(installed / "bin" / "meeting-guard")], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = app_home / "logs" / "meeting-guard.log"
    try:
        started = wait_until(lambda: log_contains(log, " started") or process.poll() is not None, timeout=90)
    finally:
        code = stop(process)
    stderr = process.stderr.read() if process.stderr else ""
    assert started and log_contains(log, " started"), stderr
    assert not log_contains(log, "Traceback"), log.read_text(encoding="utf-8")
    assert code == 0, stderr
