"""Which packages the wheel holds (everything else is in pyproject.toml).

The checkout keeps the shipped data in a top-level ``resources/`` folder (the design fixes it),
but installing it under that name would put a package called ``resources`` into site-packages,
where any other project doing the same would overwrite it. The wheel installs the folder as
``guard/resources`` instead, the app's own name; ``guard.paths.resources_dir`` finds it there,
and beside ``guard/`` in a checkout or the frozen app."""

from __future__ import annotations

from setuptools import find_namespace_packages, find_packages, setup

# Every folder under resources/, with or without an __init__.py: most hold only data.
SHIPPED = ["guard.resources", *(f"guard.resources.{name}" for name in find_namespace_packages(where="resources"))]

setup(
    packages=[*find_packages(include=["guard", "guard.*", "ui", "ui.*"]), *SHIPPED],
    package_dir={"guard.resources": "resources"},
    package_data={"": ["*.toml", "*.svg", "*.png", "*.json", "*.md", "*.txt", "*.html", "*.css",
                       "*.js",  # the browser extension, the KWin script and GNOME Shell extension
                       "*.po", "*.pot"]},  # gettext catalogs (guard.i18n compiles them on load)
)
