"""Test helper: map many real top-level X11 windows at once, titled and owned as given, then wait.

Usage: python x11_many_windows.py SPEC_JSON READY_FILE
SPEC_JSON: a file holding [[title, owner_pid], ...] (owner_pid 0: no _NET_WM_PID).
"""

import json
import signal
import sys
import time
from pathlib import Path

from Xlib import X, Xatom, display


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    ready = Path(sys.argv[2])
    d = display.Display()
    screen = d.screen()
    net_wm_name, utf8 = d.intern_atom("_NET_WM_NAME"), d.intern_atom("UTF8_STRING")
    net_wm_pid = d.intern_atom("_NET_WM_PID")
    for index, (title, owner) in enumerate(spec):
        window = screen.root.create_window(index % 200, index % 150, 40, 30, 0, screen.root_depth, X.InputOutput,
                                           X.CopyFromParent, background_pixel=screen.white_pixel)
        window.change_property(net_wm_name, utf8, 8, title.encode("utf-8"))
        if owner:
            window.change_property(net_wm_pid, Xatom.CARDINAL, 32, [owner])
        window.map()
        if index % 20 == 0 or len(title) > 10_000:
            d.flush()  # python-xlib appends to one send buffer: flush before it grows (quadratic copying)
    d.sync()
    ready.write_text("mapped")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main()
