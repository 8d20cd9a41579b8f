"""Build the Linux app: the PyInstaller bundle, a tarball that installs like any app, an AppDir.

    python packaging/linux/build_linux.py [--out build/linux]

Writes into OUT:
  dist/meeting-guard/                              the PyInstaller onedir bundle
  prefix/                                          the install tree (bin/, lib/, share/)
  meeting-privacy-guard-VERSION-linux-ARCH.tar.gz  that tree plus install.sh and autostart/
  MeetingPrivacyGuard.AppDir/                      the same tree as an AppDir; turned into an
                                                   AppImage when appimagetool is on PATH
and prints one JSON object: paths, sizes in bytes, and how long each step took.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGING = HERE.parent
sys.path.insert(0, str(PACKAGING))
from app_identity import BUNDLE_NAME, DATA_DIR_NAME, EXE_NAME, RDNS_ID, ROOT, VERSION  # noqa: E402

LIB_DIR = f"lib/{DATA_DIR_NAME}"  # where the bundle lives inside the install tree
APPDIR_NAME = "MeetingPrivacyGuard.AppDir"

APPRUN = f"""#!/bin/sh
# AppImage entry point: run the bundled app with the arguments given.
HERE="$(dirname "$(readlink -f "$0")")"
exec "$HERE/usr/{LIB_DIR}/{EXE_NAME}" "$@"
"""


def dir_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def run_pyinstaller(out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(out / "dist"), "--workpath", str(out / "work"),
         str(PACKAGING / "meeting-guard.spec")],
        check=True, cwd=ROOT,
    )
    return out / "dist" / BUNDLE_NAME


def render_icons(out: Path) -> Path:
    icons = out / "work" / "icons"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, str(PACKAGING / "render_icons.py"), str(icons)],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    return icons / "hicolor"


def _copy(src: Path, dst: Path) -> None:
    """Copy a tree, hard-linking files where the filesystem allows (the bundle is ~100 MB)."""
    def link_or_copy(a: str, b: str) -> None:
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    shutil.copytree(src, dst, symlinks=True, copy_function=link_or_copy)


def make_prefix(bundle: Path, hicolor: Path, prefix: Path) -> Path:
    """bin/, lib/, share/ as they are installed (to ~/.local, /usr/local or /opt/...)."""
    if prefix.exists():
        shutil.rmtree(prefix)
    _copy(bundle, prefix / LIB_DIR)
    (prefix / "bin").mkdir(parents=True)
    (prefix / "bin" / EXE_NAME).symlink_to(f"../{LIB_DIR}/{EXE_NAME}")
    share = prefix / "share"
    for src, dst in (
        (HERE / f"{RDNS_ID}.desktop", share / "applications" / f"{RDNS_ID}.desktop"),
        (HERE / f"{RDNS_ID}.metainfo.xml", share / "metainfo" / f"{RDNS_ID}.metainfo.xml"),
    ):
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
    shutil.copytree(hicolor, share / "icons" / "hicolor")
    return prefix


def make_tarball(prefix: Path, out: Path) -> Path:
    """The install tree, install.sh, and the autostart entry install.sh --autostart copies.

    The autostart entry stays out of share/: with the default prefix ~/.local,
    share/meeting-privacy-guard is the user's data folder (the consent ledger).
    """
    top = f"{DATA_DIR_NAME}-{VERSION}-linux-{platform.machine()}"
    tarball = out / f"{top}.tar.gz"
    with tarfile.open(tarball, "w:gz", compresslevel=6) as tar:
        tar.add(prefix, arcname=top, filter=_installable)
        tar.add(HERE / "install.sh", arcname=f"{top}/install.sh", filter=_installable)
        tar.add(HERE / "autostart" / f"{RDNS_ID}.desktop", arcname=f"{top}/autostart/{RDNS_ID}.desktop",
                filter=_installable)
    return tarball


def _installable(member: tarfile.TarInfo) -> tarfile.TarInfo:
    """Root's, writable by its owner only: root unpacking the tarball (to /opt) keeps the owners and
    modes it records, so the builder's user id (another user's there) or a umask that left files
    group- or world-writable would hand that user, or everyone, the program every user runs."""
    member.uid = member.gid = 0
    member.uname = member.gname = "root"
    member.mode &= ~0o022
    return member


def make_appdir(prefix: Path, out: Path) -> Path:
    appdir = out / APPDIR_NAME
    if appdir.exists():
        shutil.rmtree(appdir)
    _copy(prefix, appdir / "usr")
    (appdir / "AppRun").write_text(APPRUN)
    (appdir / "AppRun").chmod(0o755)
    shutil.copyfile(HERE / f"{RDNS_ID}.desktop", appdir / f"{RDNS_ID}.desktop")
    shutil.copyfile(prefix / "share/icons/hicolor/256x256/apps" / f"{RDNS_ID}.png", appdir / f"{RDNS_ID}.png")
    (appdir / ".DirIcon").symlink_to(f"{RDNS_ID}.png")
    return appdir


def make_appimage(appdir: Path, out: Path) -> tuple[Path | None, str]:
    tool = shutil.which("appimagetool")
    if tool is None:
        return None, "appimagetool is not on PATH; the AppDir is ready for it (see packaging/README.md)"
    image = out / f"MeetingPrivacyGuard-{VERSION}-{platform.machine()}.AppImage"
    env = dict(os.environ, ARCH=platform.machine())
    subprocess.run([tool, str(appdir), str(image)], check=True, env=env)
    return image, "built with appimagetool"


def main() -> int:
    parser = argparse.ArgumentParser(description="Build the Linux bundle, tarball and AppDir.")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "linux", help="output folder")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    bundle = run_pyinstaller(out)
    pyinstaller_seconds = time.monotonic() - started
    hicolor = render_icons(out)
    prefix = make_prefix(bundle, hicolor, out / "prefix")
    tarball = make_tarball(prefix, out)
    appdir = make_appdir(prefix, out)
    appimage, appimage_note = make_appimage(appdir, out)
    print(json.dumps({
        "version": VERSION,
        "bundle": str(bundle),
        "bundle_bytes": dir_size(bundle),
        "prefix": str(prefix),
        "tarball": str(tarball),
        "tarball_bytes": tarball.stat().st_size,
        "appdir": str(appdir),
        "appimage": str(appimage) if appimage else None,
        "appimage_note": appimage_note,
        "pyinstaller_seconds": round(pyinstaller_seconds, 1),
        "total_seconds": round(time.monotonic() - started, 1),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
