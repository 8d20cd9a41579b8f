"""The Guard's GNOME Shell extension (guard/desktop/gnome_extension.py installs it)."""
