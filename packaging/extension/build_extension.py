"""Pack the browser extension as store-ready zips: one for the Chrome Web Store, one for addons.mozilla.org.

    python packaging/extension/build_extension.py OUT_DIR

resources/extension/ is the extension as developers load it unpacked: one manifest that works in
both Chromium and Firefox, with the public ``key`` that pins the Chromium ID. The stores want less:

* Chrome Web Store: the ``key`` field is refused in uploads (the store assigns the listing's own ID,
  which then goes into guard/browser/ids.py); Firefox's ``browser_specific_settings`` and the
  ``background.scripts`` list are left out, and so are the scripts only Firefox loads that way.
* addons.mozilla.org: no ``key``, no ``minimum_chrome_version``, no ``background.service_worker``
  (Firefox runs the background as an event page from ``background.scripts``) and no service-worker.js.

The zips are reproducible: files in sorted order with a fixed timestamp. Nothing is submitted.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "resources" / "extension"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def store_manifest(manifest: dict[str, Any], store: str) -> dict[str, Any]:
    """The manifest as ``store`` ("chrome" or "firefox") wants it."""
    result = copy.deepcopy(manifest)
    result.pop("key", None)
    if store == "chrome":
        result.pop("browser_specific_settings", None)
        result["background"] = {"service_worker": manifest["background"]["service_worker"]}
    elif store == "firefox":
        result.pop("minimum_chrome_version", None)
        result["background"] = {"scripts": manifest["background"]["scripts"]}
    else:
        raise ValueError(f"unknown store {store!r}")
    return result


def store_files(store: str) -> list[Path]:
    files = [path for path in sorted(SOURCE.rglob("*")) if path.is_file() and path.name != "manifest.json"
             and not path.name.startswith((".", "_"))]
    if store == "firefox":
        files = [path for path in files if path.name != "service-worker.js"]
    return files


def build(out_dir: Path) -> dict[str, Path]:
    """Write both zips into ``out_dir``; returns them by store."""
    manifest = json.loads((SOURCE / "manifest.json").read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    built = {}
    for store in ("chrome", "firefox"):
        target = out_dir / f"meeting-privacy-guard-{manifest['version']}-{store}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            entries = [("manifest.json", (json.dumps(store_manifest(manifest, store), indent=2) + "\n").encode())]
            entries += [(path.relative_to(SOURCE).as_posix(), path.read_bytes()) for path in store_files(store)]
            for name, data in sorted(entries):
                info = zipfile.ZipInfo(name, FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        built[store] = target
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    for store, path in build(args.out_dir).items():
        print(f"{store}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
