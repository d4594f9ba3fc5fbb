"""Hearing about other people's changes to a shared library as they commit them.

A thread holds one connection of its own, LISTENing on the change feed's channel. Every
notification, every reconnection and, as a safety net, every ``poll_s`` seconds of silence
calls ``on_change``, whose job is to pull the changes after the last one seen. A notification
only says that something happened: what happened is read from the change log, so a
notification lost with a dropped connection loses nothing (the reconnection asks again).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from readinglist.storage.change_feed import parse_notification
from readinglist.storage.postgresql import (
    CONNECT_TIMEOUT_S,
    KEEPALIVES,
    NOTIFY_CHANNEL,
    libpq_address,
    redacted,
)

log = logging.getLogger(__name__)
APPLICATION_NAME = "readinglist-listener"


class ChangeListener:
    """``on_change(seq)`` gets the newest sequence number a notification named, or None when
    the listener cannot know it (after a reconnection, or a quiet spell): pull either way.
    ``on_status(True/False)`` says whether the server can be reached. Both are called on the
    listener's thread."""

    def __init__(
        self,
        address: str,
        on_change: Callable[[int | None], None],
        on_status: Callable[[bool], None] | None = None,
        poll_s: float = 15.0,
        retry_s: float = 2.0,
    ) -> None:
        self.address = libpq_address(address)
        self.on_change = on_change
        self.on_status = on_status
        self.poll_s = poll_s
        self.retry_s = retry_s
        self.online: bool | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="change-listener", daemon=True)

    def start(self) -> ChangeListener:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _status(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            if self.on_status is not None:
                self.on_status(online)

    def _run(self) -> None:
        import psycopg

        delay = self.retry_s
        while not self._stop.is_set():
            try:
                with psycopg.connect(
                    self.address,
                    autocommit=True,
                    connect_timeout=CONNECT_TIMEOUT_S,
                    application_name=APPLICATION_NAME,
                    **KEEPALIVES,
                ) as connection:
                    connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self._status(True)
                    delay = self.retry_s
                    self._call(None)  # whatever was committed while nobody listened
                    self._listen(connection)
            except psycopg.Error as error:
                shown = str(error).replace(self.address, redacted(self.address))
                log.info("change feed: %s; trying again in %.0f s", shown, delay)
                self._status(False)
                self._stop.wait(delay)
                delay = min(delay * 2, 30.0)

    def _listen(self, connection) -> None:
        quiet_since = time.monotonic()
        while not self._stop.is_set():
            newest = None
            # wait for one, then take what came with it: a burst of commits is one pull
            waiting = connection.notifies(timeout=0.5, stop_after=1)
            for notification in [*waiting, *connection.notifies(timeout=0.02)]:
                change = parse_notification(notification.payload)
                if change is not None:
                    newest = max(newest or 0, change.seq)
            if newest is not None:
                self._call(newest)
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since > self.poll_s:
                connection.execute("SELECT 1")  # a dead connection says so here
                self._call(None)
                quiet_since = time.monotonic()

    def _call(self, seq: int | None) -> None:
        try:
            self.on_change(seq)
        except Exception:  # the listener outlives a failed pull; the next one catches up
            log.exception("pulling the shared library's changes failed")
