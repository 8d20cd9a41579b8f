"""Shipped provider catalog files (*.toml); a package so wheels include them."""
