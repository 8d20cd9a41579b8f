"""``meeting-guard desktop``: which desktop this is, what works on it, and the GNOME Shell extension.

* ``desktop status``: the desktop (X11 or Wayland, sway, KDE Plasma, GNOME), what its session
  offers (a tray host, a notification server), and per signal whether it works here and what
  would enable it.
* ``desktop install-gnome-extension`` / ``uninstall-gnome-extension``: the Guard's GNOME Shell
  extension (experimental), which lets the app read window titles on GNOME Wayland.
"""

from __future__ import annotations

import argparse

from guard.cli.context import CliContext
from guard.cli.status import ExitStatus


def configure(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="desktop_command", metavar="ACTION", required=True)
    status = commands.add_parser("status", help="this desktop and what each signal can do on it",
                                 description="this desktop and what each signal can do on it")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(func=run_status)
    install = commands.add_parser(
        "install-gnome-extension", help="install the GNOME Shell extension that lets the app read window titles "
        "on GNOME Wayland (experimental)", description="install the Guard's GNOME Shell extension for this user")
    install.add_argument("--json", action="store_true", help="print JSON")
    install.set_defaults(func=run_install)
    uninstall = commands.add_parser("uninstall-gnome-extension", help="remove the Guard's GNOME Shell extension",
                                    description="remove the Guard's GNOME Shell extension for this user")
    uninstall.add_argument("--json", action="store_true", help="print JSON")
    uninstall.set_defaults(func=run_uninstall)


def run_status(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    from guard.desktop import look_around
    from guard.jsonable import to_json_data
    from guard.presentation.desktop import desktop_capabilities, desktop_summary

    from guard.browser import integration_status

    report = look_around(ctx.env.environ)
    capabilities = desktop_capabilities(report, browsers=integration_status(ctx.paths))
    if args.json:
        ctx.print_json({**to_json_data(report), "capabilities": to_json_data(capabilities)})
        return ExitStatus.OK
    ctx.print(f"This desktop: {desktop_summary(report.facts)}")
    for capability in capabilities:
        mark = {True: "yes", False: "no", None: "?"}[capability.works]
        ctx.print(f"  [{mark:>3}] {capability.line()}")
    return ExitStatus.OK


def run_install(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    from guard.desktop.gnome_extension import install
    from guard.detect.windows.gnome_shell import EXTENSION_UUID

    done = install(ctx.env.environ)
    if args.json:
        ctx.print_json({"uuid": EXTENSION_UUID, "path": str(done.path), "enabled": done.enabled,
                        "next_step": done.next_step, "experimental": True})
        return ExitStatus.OK
    ctx.print(f"Installed the GNOME Shell extension {EXTENSION_UUID} in {done.path} (experimental).")
    ctx.print("It is on now." if done.enabled else f"Next: {done.next_step}.")
    return ExitStatus.OK


def run_uninstall(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    from guard.desktop.gnome_extension import uninstall

    removed = uninstall(ctx.env.environ)
    if args.json:
        ctx.print_json({"removed": str(removed) if removed else None})
    elif removed:
        ctx.print(f"Removed {removed}. GNOME Shell stops running it at the next log-in at the latest.")
    else:
        ctx.print("The GNOME Shell extension was not installed for this user.")
    return ExitStatus.OK
