"""A five-star rating: click a star to rate, click the current rating again to clear it, or
type 0–5 while it has focus."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPainterPath, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

STAR_SIZE = 20
GOLD = QColor("#f4b400")


def _star_path(rect: QRectF) -> QPainterPath:
    import math

    path = QPainterPath()
    cx, cy = rect.center().x(), rect.center().y()
    outer = min(rect.width(), rect.height()) / 2
    inner = outer * 0.45
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi / 2 + i * math.pi / 5
        point = QPointF(cx + radius * math.cos(angle), cy - radius * math.sin(angle))
        if i == 0:
            path.moveTo(point)
        else:
            path.lineTo(point)
    path.closeSubpath()
    return path


class StarRating(QWidget):
    rated = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rating = 0
        self._hover = -1
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setToolTip("Click a star to rate (click again to clear), or type 0–5")
        self.setAccessibleName("Rating")

    def rating(self) -> int:
        return self._rating

    def set_rating(self, rating: int) -> None:
        self._rating = rating
        self.setAccessibleDescription(f"{rating} of 5 stars")
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(STAR_SIZE * 5 + 8, STAR_SIZE + 4)

    def _star_at(self, x: float) -> int:
        return max(0, min(4, int(x // STAR_SIZE)))

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        shown = self._hover + 1 if self._hover >= 0 else self._rating
        outline = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for i in range(5):
            rect = QRectF(i * STAR_SIZE + 2, 2, STAR_SIZE - 3, STAR_SIZE - 3)
            path = _star_path(rect)
            if i < shown:
                painter.fillPath(path, GOLD)
            painter.setPen(GOLD if i < shown else outline)
            painter.drawPath(path)
        if self.hasFocus():
            painter.setPen(self.palette().color(QPalette.ColorRole.Highlight))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._hover = self._star_at(event.position().x())
        self.update()

    def leaveEvent(self, _event) -> None:
        self._hover = -1
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        star = self._star_at(event.position().x()) + 1
        self._choose(0 if star == self._rating else star)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if len(text) == 1 and text in "012345":
            self._choose(int(text))
            return
        super().keyPressEvent(event)

    def _choose(self, rating: int) -> None:
        self.set_rating(rating)
        self.rated.emit(rating)
