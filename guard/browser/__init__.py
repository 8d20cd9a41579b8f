"""The browser companion: the extension's generated data, its native messaging host, and installing it.

The extension (resources/extension/, Manifest V3, Chromium-based browsers and Firefox) reports
meeting tabs, in-meeting AI notices and note-taker bots to ``meeting-guard browser-host``, which
the browser starts over native messaging. The host validates every message, keeps the browser's
meeting-tab state in a small file in the runtime folder (read by guard/detect/browser_tabs.py)
and tells the running app to look now. Nothing goes anywhere else.
"""
