"""Render the tray icons at panel sizes on light and dark panels, as one PNG to look at.

    python -m tests.ui.icon_sheet OUT.png [--zoom 4]

Each row is one state; columns are 16, 22 and 24 px on a light panel, then on a dark one,
drawn by Qt's SVG renderer exactly as the tray draws them, then enlarged (nearest pixel) so
single pixels can be judged.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

SIZES = (16, 22, 24)
PANELS = ("#eeeeee", "#2b2b2b")


def render_sheet(out: Path, zoom: int = 4) -> Path:
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter

    from guard.presentation.views import TrayState
    from ui.tray.icons import icon_path

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        render_sheet.app = QGuiApplication(sys.argv[:1])  # type: ignore[attr-defined]
    from PySide6.QtSvg import QSvgRenderer

    states = list(TrayState)
    cell = (max(SIZES) + 8) * zoom
    label_width = 150
    sheet = QImage(label_width + cell * len(SIZES) * len(PANELS), cell * len(states), QImage.Format.Format_RGB32)
    sheet.fill(QColor("#ffffff"))
    painter = QPainter(sheet)
    painter.setFont(QFont("DejaVu Sans", 10))
    for row, state in enumerate(states):
        renderer = QSvgRenderer(str(icon_path(state)))
        painter.setPen(QColor("#000000"))
        painter.drawText(QRect(6, row * cell, label_width - 6, cell), Qt.AlignmentFlag.AlignVCenter, str(state))
        column = 0
        for panel in PANELS:
            for size in SIZES:
                tile = QImage(size + 8, size + 8, QImage.Format.Format_ARGB32)
                tile.fill(QColor(panel))
                tile_painter = QPainter(tile)
                tile_painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                renderer.render(tile_painter, QRect(4, 4, size, size))
                tile_painter.end()
                big = tile.scaled(tile.width() * zoom, tile.height() * zoom, Qt.AspectRatioMode.KeepAspectRatio,
                                  Qt.TransformationMode.FastTransformation)
                left = label_width + column * cell
                painter.fillRect(QRect(left, row * cell, cell, cell), QColor(panel))
                painter.drawImage(left + (cell - big.width()) // 2, row * cell + (cell - big.height()) // 2, big)
                column += 1
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(str(out))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--zoom", type=int, default=4)
    args = parser.parse_args()
    print(render_sheet(args.out, args.zoom))


if __name__ == "__main__":
    main()
