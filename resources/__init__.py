"""Data that ships with Meeting Privacy Guard: the provider catalog, icons, baseline terms."""
