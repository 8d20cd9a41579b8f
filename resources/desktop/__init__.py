"""Desktop integration files: the KWin script and the GNOME Shell extension that list window titles."""
