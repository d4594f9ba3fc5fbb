"""One window per library. A second start on the same library asks the window already open to
come forward, then leaves: two windows would be two writers with two undo histories over the
same papers, each showing the other's edits a second late.

The window listens on a local socket named after the library's folder (and the user, so two
people's libraries never meet); a new start first tries to reach it. A start that was given
files ("Open with readinglist" on a .bib) hands them over, and the open window shows their
import preview: the user's double-click is not lost because a window was already open.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

REQUEST = b"raise\n"  # come forward; b"raise [paths as JSON]\n": and preview these files


def server_name(folder: Path) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "someone"
    digest = hashlib.sha256(f"{user}\0{folder.expanduser().resolve()}".encode()).hexdigest()
    return f"readinglist-{digest[:20]}"


class SingleInstance(QObject):
    """The library's window, as other starts of readinglist can reach it."""

    activated = Signal()  # another start asked this window to come forward
    files_requested = Signal(list)  # ... and to import these files (absolute paths)

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(folder)
        self._server: QLocalServer | None = None

    def ask_running_window(self, timeout_ms: int = 1500, files: Sequence[str] = ()) -> bool:
        """True when a window is already open on this library (and was asked forward, and to
        preview ``files``)."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            return False
        if files:
            paths = [str(Path(f).expanduser().absolute()) for f in files]
            socket.write(REQUEST.strip() + b" " + json.dumps(paths).encode() + b"\n")
        else:
            socket.write(REQUEST)
        socket.waitForBytesWritten(timeout_ms)
        socket.waitForReadyRead(timeout_ms)  # the window's answer: it got the request
        socket.disconnectFromServer()
        return True

    def listen(self, files: Sequence[str] = ()) -> bool:
        """Become the library's window; False when another one is (it won a race with us, and
        was handed ``files``)."""
        if self.ask_running_window(files=files):
            return False
        server = QLocalServer(self)
        # No socket options: with them, Qt replaces a socket file already there instead of
        # failing, and two windows would each think they were the only one. The name holds a
        # hash of the user and the folder; the file is the user's, writable by the user only.
        if not server.listen(self.name):
            if self.ask_running_window(files=files):
                return False
            QLocalServer.removeServer(self.name)  # left behind by a window that crashed
            if not server.listen(self.name):
                return True  # cannot listen here (a sandbox): run unguarded rather than not at all
        server.newConnection.connect(self._connected)
        self._server = server
        return True

    def _connected(self) -> None:
        while self._server is not None and self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            received = bytearray()
            connection.readyRead.connect(lambda c=connection, r=received: self._read(c, r))
            connection.disconnected.connect(connection.deleteLater)

    def _read(self, connection: QLocalSocket, received: bytearray) -> None:
        """A request is one line; a long list of files may arrive in several pieces."""
        received += bytes(connection.readAll().data())
        if b"\n" not in received:
            return
        line = bytes(received).split(b"\n", 1)[0]
        received.clear()
        command, _, argument = line.partition(b" ")
        if command != REQUEST.strip():
            return
        try:
            files = json.loads(argument) if argument else []
        except ValueError:
            files = []
        connection.write(b"ok\n")
        connection.flush()
        self.activated.emit()
        paths = [f for f in files if isinstance(f, str)] if isinstance(files, list) else []
        if paths:
            self.files_requested.emit(paths)

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
