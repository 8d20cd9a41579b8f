"""Test helper: map one real top-level X11 window with a title and an owner pid, then wait.

Usage: python x11_window.py TITLE OWNER_PID [READY_FILE]   (OWNER_PID 0: no _NET_WM_PID)
"""

import signal
import sys
import time
from pathlib import Path

from Xlib import X, Xatom, display


def main() -> None:
    title, owner = sys.argv[1], int(sys.argv[2])
    ready = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    d = display.Display()
    root = d.screen().root
    window = root.create_window(10, 10, 320, 200, 0, d.screen().root_depth, X.InputOutput, X.CopyFromParent,
                                background_pixel=d.screen().white_pixel, event_mask=X.StructureNotifyMask)
    window.change_property(Xatom.WM_NAME, Xatom.STRING, 8, title.encode("latin-1", "replace"))
    window.change_property(d.intern_atom("_NET_WM_NAME"), d.intern_atom("UTF8_STRING"), 8, title.encode("utf-8"))
    if owner:
        window.change_property(d.intern_atom("_NET_WM_PID"), Xatom.CARDINAL, 32, [owner])
    window.map()
    d.sync()
    while True:  # wait until mapped (a window manager may reparent it first)
        event = d.next_event()
        if event.type == X.MapNotify:
            break
    d.sync()
    if ready is not None:
        ready.write_text("mapped")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main()
