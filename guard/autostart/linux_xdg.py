"""Linux and other XDG desktops: a .desktop file in the user's autostart folder
(freedesktop.org Desktop Application Autostart Specification)."""

from __future__ import annotations

from pathlib import Path

from guard import APP_NAME, APP_RDNS_ID
from guard.autostart import AutostartError
from guard.fsutil import atomic_write_text


ENTRY_MAX = 64 * 1024  # bytes of the .desktop entry read (ours is a few hundred)


def desktop_exec(command: list[str]) -> str:
    """Quote arguments for the Exec key (Desktop Entry Specification, "The Exec key"): in quotes,
    '"', '`', '$' and '\\' take a backslash, and every backslash is then doubled by the string
    escape rule, which readers apply first ("\\\\$" for a dollar; systemd's XDG autostart generator
    refuses an entry with "\\$")."""
    quoted = []
    for arg in command:
        if arg and not any(ch in arg for ch in ' \t\n"\'\\><~|&;$*?#()`'):
            quoted.append(arg.replace("%", "%%"))
            continue
        escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg).replace("\\", "\\\\")
        quoted.append(f'"{escaped.replace("%", "%%")}"')
    return " ".join(quoted)


class XdgAutostart:
    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / f"{APP_RDNS_ID}.desktop"

    @property
    def location(self) -> str:
        return str(self.path)

    def is_enabled(self) -> bool:
        """On when our file exists and neither hides nor disables itself."""
        from guard.fsutil import NotRegularFile, read_regular

        try:
            data, _info = read_regular(self.path, ENTRY_MAX)  # a named pipe there would wait for ever
        except FileNotFoundError:
            return False
        except OSError as error:
            raise AutostartError(f"Cannot read the autostart entry {self.path}: {error.strerror}") from error
        except NotRegularFile as error:
            raise AutostartError(f"The autostart entry {self.path} {error}; remove it and switch "
                                 "'Start at log-in' off and on again.") from error
        text = data[:ENTRY_MAX].decode("utf-8", "replace")
        keys = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))
        return keys.get("Hidden", "false").strip() != "true" and \
            keys.get("X-GNOME-Autostart-enabled", "true").strip() != "false"

    def enable(self, command: list[str]) -> None:
        text = "\n".join([
            "[Desktop Entry]",
            "Type=Application",
            f"Name={APP_NAME}",
            "Comment=Start the Meeting Privacy Guard tray icon when you log in",
            "Comment[de]=Startet das Tray-Symbol von Meeting Privacy Guard bei der Anmeldung",
            "Comment[fr]=Lance l'icône de Meeting Privacy Guard dans la zone de notification à l'ouverture de session",
            "Comment[es]=Inicia el icono de Meeting Privacy Guard en la bandeja del sistema al iniciar sesión",
            "Comment[it]=Avvia l'icona di Meeting Privacy Guard nell'area di notifica all'accesso",
            "Comment[nl]=Start het Meeting Privacy Guard-pictogram in het systeemvak wanneer u zich aanmeldt",
            f"Exec={desktop_exec(command)}",
            f"Icon={APP_RDNS_ID}",
            "Terminal=false",
            "NoDisplay=true",
            "X-GNOME-Autostart-enabled=true",
            "X-GNOME-Autostart-Delay=5",
            "X-KDE-autostart-after=panel",
            "",
        ])
        try:
            atomic_write_text(self.path, text, mode=0o644)
        except OSError as error:
            raise AutostartError(f"Cannot write the autostart entry {self.path}: {error.strerror}; "
                                 "check that the folder is writable.") from error

    def disable(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            raise AutostartError(f"Cannot remove the autostart entry {self.path}: {error.strerror}") from error
