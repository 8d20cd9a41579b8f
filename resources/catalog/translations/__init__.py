"""Translations of the catalog's descriptive texts (<lang>.toml); a package so wheels include them."""
