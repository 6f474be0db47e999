"""The lock on ``icp serve``: a token per server, the page's own address only, a cap on browser sessions.

textual-serve's ``Server`` answers any page on any site: a script on a page the user has open could connect to
``ws://127.0.0.1:PORT/ws``, read the app's screen and type into it. ``GuardedServer`` subclasses it and wraps its
public handlers (``handle_index``, ``handle_websocket``, ``handle_download``) and hooks (``on_startup``,
``on_shutdown``, ``initialize_logging``); a refused request never reaches textual-serve's handler, so no app
process is started and no screen byte is sent.

- The token: random per server start, printed in the address (``http://127.0.0.1:8000/?token=...``). The page
  needs it, from the address or from the cookie the page sets when it is opened with the right one. The page's
  script builds the websocket's address itself (``WS_URL + "?width=..."``), so the token reaches the websocket as
  that cookie: HttpOnly (no script reads it), SameSite=Strict (a request started from another site does not carry
  it), named after the port (two servers on one machine keep theirs). A script may send ``?token=`` instead.
- The address: the Host header must be the served address (scheme, host and port of ``public_url``, the address
  the page's links are built from); the websocket's Origin must be that address too, and a websocket without an
  Origin is refused. A page of another site, or one that made its name point at 127.0.0.1, is turned away.
- The cap: at most ``max_sessions`` browser sessions at once (each one is an ``icp open`` process of 200 MB or
  more); one more gets 503 and a message, and starts nothing.
- The end: a session's app is told to quit when its websocket closes (textual-serve does this), and when the
  server stops, ``on_shutdown`` ends the sessions still open before the server exits.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
import sys
from typing import Any

from aiohttp import web
from textual_serve.server import Server
from yarl import URL

TOKEN_BYTES = 24
STOP_WAIT = 10.0  # seconds the sessions get to end when the server stops


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def address(url: URL) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an absolute http(s) URL with nothing but an address in it, else None."""
    if url.scheme not in ("http", "https") or not url.host or url.user or url.password or url.query_string \
            or url.fragment or url.path not in ("", "/") or url.port is None:
        return None
    return url.scheme, url.host.lower(), url.port


def parse_address(text: str | None, *, prefix: str = "") -> tuple[str, str, int] | None:
    if not text or len(text) > 300:
        return None
    try:
        return address(URL(prefix + text))
    except ValueError:
        return None


def shown(text: str | None) -> str:
    """A header value for a message: quoted, no control characters, not longer than a line."""
    return repr((text or "")[:120])


class GuardedServer(Server):
    """textual-serve's server with a token, an address check and a session cap (see the module's docstring)."""

    def __init__(self, command: str, *, host: str, port: int, title: str, public_url: str,
                 token: str, max_sessions: int) -> None:
        super().__init__(command, host=host, port=port, title=title, public_url=public_url)
        self.token = token
        self.max_sessions = max_sessions
        self.sessions: set[asyncio.Task[Any]] = set()

    @property
    def cookie_name(self) -> str:
        return f"icp_serve_{URL(self.public_url).port}"

    @property
    def url(self) -> str:
        """The address to open: the page, with the token."""
        return f"{self.public_url.rstrip('/')}/?token={self.token}"

    def say(self, text: str) -> None:
        print(f"icp: {text}", file=sys.stderr, flush=True)

    def refusal(self, request: web.Request, *, websocket: bool) -> web.Response | None:
        """Why this request is refused (a 403 response), or None when it may go on."""
        served = address(URL(self.public_url))
        where = f"{self.public_url.rstrip('/')}/?token=..."
        host = request.headers.get("Host")
        if served is None or parse_address(host, prefix=f"{served[0]}://") != served:
            self.say(f"refused a request for {shown(host)}: the address served is {self.public_url}")
            return forbidden(f"This server answers at {where} only (the address printed where icp serve runs).")
        if websocket:
            origin = request.headers.get("Origin")
            if parse_address(origin) != served:
                self.say(f"refused a browser session from {shown(origin) if origin else 'no page'}: "
                         f"only the page at {self.public_url} may connect")
                return forbidden(f"Only the page at {where} may connect; this connection came from "
                                 f"{shown(origin) if origin else 'no page (no Origin header)'}.")
        given = request.query.get("token") or request.cookies.get(self.cookie_name) or ""
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            self.say(f"refused a request for {request.path} {'with a wrong' if given else 'without the'} token")
            return forbidden(f"Open the address printed where icp serve runs ({where}): it carries the token "
                             "this server needs.")
        return None

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if (refused := self.refusal(request, websocket=False)) is not None:
            return refused
        response: web.StreamResponse = await super().handle_index(request)
        response.set_cookie(self.cookie_name, self.token, httponly=True, samesite="Strict", path="/",
                            secure=self.public_url.startswith("https:"))
        response.headers.update(PAGE_HEADERS)
        return response

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        if (refused := self.refusal(request, websocket=False)) is not None:
            return refused
        return await super().handle_download(request)

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        if (refused := self.refusal(request, websocket=True)) is not None:
            return refused
        if len(self.sessions) >= self.max_sessions:
            self.say(f"refused a browser session: {self.max_sessions} open already (--max-sessions {self.max_sessions})")
            return web.Response(status=503, text=f"This server runs {self.max_sessions} browser session"
                                f"{'s' if self.max_sessions > 1 else ''} at most and they are all open: close one, "
                                "or restart icp serve with a higher --max-sessions.\n")
        task = asyncio.current_task()
        assert task is not None
        self.sessions.add(task)  # counted until its app has ended
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions.discard(task)

    def initialize_logging(self) -> None:
        """Nothing: icp prints its own lines, not textual-serve's log."""

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: icp printed the address already (textual-serve prints a banner here)."""

    async def on_shutdown(self, app: web.Application) -> None:
        """The server stops: end every open session (its app is told to quit) and wait for them, a while."""
        open_sessions = [t for t in self.sessions if not t.done()]
        for task in open_sessions:
            task.cancel()  # textual-serve's handler closes the websocket and stops the app on cancel
        if open_sessions:
            await asyncio.wait(open_sessions, timeout=STOP_WAIT)


PAGE_HEADERS = {
    "Cache-Control": "no-store",  # the page's address carries the token
    "Referrer-Policy": "no-referrer",  # nor is it sent to the fonts site the page loads from
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


def forbidden(text: str) -> web.Response:
    return web.Response(status=403, text=f"{text}\n")
