"""A stand-in native meeting client for the accessibility tests: a real Qt Widgets app whose
accessibility tree goes over AT-SPI like any Qt client's (Zoom's Linux client is Qt).

    a11y_client.py TITLE FOLDER

Shows a window titled TITLE with a participant list, writes FOLDER/ready once shown, then
follows the lines appended to FOLDER/commands (polled every 100 ms):

- ``notice TEXT``: opens a non-modal message box (an alert) whose text is TEXT;
- ``participant NAME``: adds NAME to the participant list;
- ``hostile COUNT SIZE``: adds COUNT participants, every 1000th named with SIZE characters, and a
  label of SIZE characters;

and writes FOLDER/done-N after the Nth command.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QListWidget, QMessageBox, QVBoxLayout, QWidget


def main() -> int:
    title, folder = sys.argv[1], Path(sys.argv[2])
    app = QApplication([sys.argv[0]])
    window = QWidget()
    window.setWindowTitle(title)
    layout = QVBoxLayout(window)
    layout.addWidget(QLabel("In the meeting"))
    people = QListWidget()
    people.setAccessibleName("Participants")
    people.addItems(["Alice Example", "Bob Example"])
    layout.addWidget(people)
    window.resize(400, 300)
    window.show()
    kept: list[QWidget] = []
    done = 0

    def follow() -> None:
        nonlocal done
        commands = folder / "commands"
        lines = commands.read_text(encoding="utf-8").splitlines() if commands.exists() else []
        for line in lines[done:]:
            verb, _, rest = line.partition(" ")
            if verb == "notice":
                box = QMessageBox(QMessageBox.Icon.Information, "Meeting", rest, parent=window)
                box.setModal(False)
                box.show()
                kept.append(box)
            elif verb == "participant":
                people.addItem(rest)
            elif verb == "hostile":
                count, size = (int(part) for part in rest.split())
                people.setUpdatesEnabled(False)
                people.addItems(["x" * size if index % 1000 == 999 else f"Person {index}" for index in range(count)])
                people.setUpdatesEnabled(True)
                label = QLabel("y" * size)
                label.setMaximumWidth(300)
                layout.addWidget(label)
            done += 1
            (folder / f"done-{done}").write_text("", encoding="utf-8")

    timer = QTimer()
    timer.timeout.connect(follow)
    timer.start(100)
    QTimer.singleShot(0, lambda: (folder / "ready").write_text("", encoding="utf-8"))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
