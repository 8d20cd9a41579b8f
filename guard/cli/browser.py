"""``meeting-guard browser install | uninstall | status`` and ``meeting-guard browser-host``.

``browser`` registers the native messaging host with the browsers found (guard/browser/install.py);
``browser-host`` is what a browser starts for the extension (guard/browser/host.py), with the
calling extension's origin or add-on id as its arguments. Neither imports Qt.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from guard.cli.context import CliContext
from guard.cli.status import ExitStatus
from guard.text_controls import quoted

if TYPE_CHECKING:
    from guard.browser.install import Installer


def configure_browser(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="browser_action", metavar="ACTION", required=True)
    install = actions.add_parser("install", help="register the native messaging host with the browsers found")
    install.add_argument("--browser", action="append", default=[], metavar="ID",
                         help="only this browser (chromium, chrome, edge, brave, vivaldi, opera, firefox, librewolf); "
                              "repeat for more; registers it even when it was not found")
    install.add_argument("--json", action="store_true", help="print JSON")
    uninstall = actions.add_parser("uninstall", help="remove every registration of the host, and its launcher")
    uninstall.add_argument("--json", action="store_true", help="print JSON")
    status = actions.add_parser("status", help="per browser: not installed, host registered, extension connected")
    status.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run_browser)


def configure_host(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("caller", nargs="*", help=argparse.SUPPRESS)
    # Chrome on Windows adds the calling window's handle (native messaging docs, "Native messaging host
    # protocol"); it means nothing here but must not make the command line wrong.
    parser.add_argument("--parent-window", help=argparse.SUPPRESS)
    parser.set_defaults(func=run_host)


def browser_folder(ctx: CliContext) -> Path:
    """The app's folder for browser files: the launcher, the last-seen record (Windows: manifests too)."""
    return ctx.paths.data_dir / "browser"


def _installer(ctx: CliContext) -> Installer:
    from guard.browser.install import Installer, Places
    from guard.detect.platform import current_os

    os_name = current_os(ctx.env.platform)
    registry = None
    if os_name == "windows":
        from guard.browser.registry import WindowsRegistry

        registry = WindowsRegistry()
    return Installer(Places.for_user(os_name, ctx.env.environ), browser_folder(ctx), registry,
                     environ=dict(ctx.env.environ))


def run_browser(args: argparse.Namespace, ctx: CliContext) -> int:
    from guard.browser.browsers import by_id
    from guard.browser.paths import state_dir

    installer = _installer(ctx)
    if args.browser_action == "install":
        unknown = [name for name in args.browser
                   if (found := by_id(name)) is None or found.location(installer.os_name) is None]
        if unknown:
            named = ", ".join(quoted(name, 60) for name in unknown)
            ctx.error(f"unknown browser {named}; see `meeting-guard browser status` for the ids")
            return ExitStatus.USAGE
        done = installer.install(args.browser)
        if args.json:
            ctx.print_json({"installed": [b.id for b in done],
                            "launcher": str(installer.launcher_path()) if done else None,
                            "manifests": [str(installer.manifest_path(b)) for b in done]})
        elif not done:
            ctx.print("No supported browser was found. "
                      "Name one with --browser ID (see `meeting-guard browser status`).")
        else:
            for browser in done:
                ctx.print(f"{browser.name}: host registered ({installer.manifest_path(browser)})")
            ctx.print("Now add the Meeting Privacy Guard extension to the browser; it connects by itself.")
        return ExitStatus.OK if done else ExitStatus.CHECK_FAILED
    if args.browser_action == "uninstall":
        removed = installer.uninstall()
        if args.json:
            ctx.print_json({"removed": removed})
        else:
            for item in removed:
                ctx.print(f"removed {item}")
            if not removed:
                ctx.print("Nothing to remove: the host was not registered.")
        return ExitStatus.OK
    statuses = installer.status(state_dir(ctx.env.environ), browser_folder(ctx) / "seen.json")
    if args.json:
        ctx.print_json({"browsers": [status.to_dict() for status in statuses]})
        return ExitStatus.OK
    from guard.presentation.browser_words import said_state

    for status in statuses:
        line = f"{status.name}: {said_state(status)}"  # as the app's settings say it
        if status.connected:
            line += " (now)"
        elif status.last_seen is not None:
            line += f"; extension last connected {status.last_seen.astimezone():%Y-%m-%d %H:%M}"
        ctx.print(line)
        if status.problem:
            ctx.print(f"  {status.problem}")
        if status.servers:  # added in the extension's options page, on the user's click there
            ctx.print("  servers added in the extension: " + ", ".join(f"{host} ({provider})"
                                                                      for host, provider in status.servers))
        if status.servers_refused:
            ctx.print(f"  {status.servers_refused} more refused by the host (a bad name, or over the limit)")
    return ExitStatus.OK


def run_host(args: argparse.Namespace, ctx: CliContext) -> int:
    from guard.browser.host import (
        CallerRefused,
        Host,
        HostPaths,
        browser_identity,
        identify_caller,
    )
    from guard.browser.paths import state_dir

    try:
        caller = identify_caller(args.caller)
    except CallerRefused as error:
        ctx.error(str(error))
        return ExitStatus.USAGE
    if ctx.env.stdin_isatty:
        ctx.error("this command is started by a web browser; run `meeting-guard browser install` instead")
        return ExitStatus.USAGE
    stdin: BinaryIO = ctx.env.stdin.buffer
    stdout: BinaryIO = ctx.env.stdout.buffer
    browser, browser_pid = browser_identity(caller)
    paths = HostPaths(state_folder=state_dir(ctx.env.environ), config_dir=ctx.paths.config_dir,
                      seen_file=browser_folder(ctx) / "seen.json")
    return Host(stdin, stdout, paths, caller, browser, browser_pid).run()
