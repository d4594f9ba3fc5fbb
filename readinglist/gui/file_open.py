"""Files the desktop hands to the running application itself. macOS gives a .app the files of
"Open with" (and of a drop on its Dock icon) as FileOpen events rather than as arguments; they
go to the import preview as the arguments do on Linux and Windows."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication


class FilesOpened(QObject):
    def __init__(self, app: QApplication, preview: Callable[[list[str]], object]) -> None:
        super().__init__(app)
        self._preview = preview
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and event.file():
            self._preview([event.file()])
            return True
        return super().eventFilter(watched, event)
