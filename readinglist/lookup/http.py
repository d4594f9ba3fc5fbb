"""One HTTP client for the look-ups: timeouts, a polite User-Agent, patience with rate limits,
and errors a user can act on ("are you offline?") instead of tracebacks."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from readinglist._version import __version__
from readinglist.domain.values import LibraryError


class LookupFailed(LibraryError):
    pass


class NotFound(LookupFailed):
    pass


@dataclass(frozen=True)
class Endpoints:
    """Where the services live; tests point these at a local server."""

    arxiv: str = field(
        default_factory=lambda: os.environ.get(
            "READINGLIST_ARXIV_API", "https://export.arxiv.org/api/query"
        )
    )
    crossref: str = field(
        default_factory=lambda: os.environ.get(
            "READINGLIST_CROSSREF_API", "https://api.crossref.org/works"
        )
    )
    datacite: str = field(
        default_factory=lambda: os.environ.get(
            "READINGLIST_DATACITE_API", "https://api.datacite.org/dois"
        )
    )


def _timeout() -> float:
    return float(os.environ.get("READINGLIST_HTTP_TIMEOUT", "15"))


class Http:
    def __init__(
        self,
        endpoints: Endpoints | None = None,
        timeout: float | None = None,
        retries: int = 2,
        max_wait: float = 20.0,
    ) -> None:
        self.endpoints = endpoints or Endpoints()
        self.retries = retries
        self.max_wait = max_wait
        mailto = os.environ.get("READINGLIST_MAILTO", "")
        agent = f"readinglist/{__version__} (reference manager" + (
            f"; mailto:{mailto})" if mailto else ")"
        )
        self._client = httpx.Client(
            timeout=timeout if timeout is not None else _timeout(),
            headers={"User-Agent": agent},
            follow_redirects=True,
        )

    def get(
        self, url: str, params: dict[str, str] | None = None, also_accept: tuple[int, ...] = ()
    ) -> httpx.Response:
        """The response (2xx, 404, or a status in ``also_accept``); anything else becomes a
        LookupFailed with a reason."""
        host = urlsplit(url).netloc
        for attempt in range(self.retries + 1):
            try:
                response = self._client.get(url, params=params)
            except httpx.TimeoutException:
                raise LookupFailed(f"{host} did not answer in time; try again later") from None
            except httpx.TransportError as error:
                raise LookupFailed(
                    f"cannot reach {host} (are you offline?): {error.__class__.__name__}"
                ) from None
            if response.status_code in (429, 503) and attempt < self.retries:
                wait = _retry_after(response)
                if wait <= self.max_wait:
                    time.sleep(wait)
                    continue
            if response.status_code == 429:
                raise LookupFailed(f"{host} asks us to slow down (rate limit); try again later")
            if response.is_success or response.status_code in (404, *also_accept):
                return response
            raise LookupFailed(f"{host} answered {response.status_code} {response.reason_phrase}")
        raise LookupFailed(f"{host} is busy; try again later")

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _retry_after(response: httpx.Response) -> float:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return 1.0
