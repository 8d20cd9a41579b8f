"""packaging/ holds scripts, not a package (a package named ``packaging`` would shadow the PyPI
library PyInstaller uses), so its modules are imported from that folder by file name."""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
if str(PACKAGING) not in sys.path:
    sys.path.insert(0, str(PACKAGING))
