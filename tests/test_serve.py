"""``icp serve``: the app served to browsers on loopback, behind a token, its own address and a session cap.

The transport tests serve a tiny stand-in app (a script that speaks textual-serve's protocol and leaves its pid in
a folder) from a GuardedServer in this process; one end-to-end test runs the real ``icp serve`` and ``icp open``.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import aiohttp_jinja2
import jinja2
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from icp_tui.cli.serve_cmd import app_command
from icp_tui.cli.serve_guard import GuardedServer

TOKEN = "the-token-of-this-test-0123456789abcdef"
STAND_IN = r'''
import os, sys, pathlib
pathlib.Path(sys.argv[1], str(os.getpid())).write_text("")
out, inp = sys.stdout.buffer, sys.stdin.buffer
out.write(b"__GANGLION__\n")
payload = b"SCREEN BYTES of the stand-in app"
out.write(b"D" + len(payload).to_bytes(4, "big") + payload)
out.flush()
while len(head := inp.read(5)) == 5:  # until the server says quit or closes our input
    body = inp.read(int.from_bytes(head[1:], "big"))
    if head[:1] == b"M" and b'"quit"' in body:
        break
out.write(b"M" + (16).to_bytes(4, "big") + b'{"type": "exit"}')
out.flush()
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alive(pid: int) -> bool:
    """The process runs (exists and is not a zombie waiting to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def until(condition, what: str, timeout: float = 20) -> None:
    """Wait for a state, bounded: the test fails naming it when it does not come."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not reached in {timeout} s: {what}")
        await asyncio.sleep(0.02)


def routes_of(server: GuardedServer) -> web.Application:
    """The server's handlers on textual-serve's routes (Server.serve builds the same app in a private method)."""
    app = web.Application()
    aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(server.templates_path))
    app.add_routes([web.get("/", server.handle_index, name="index"),
                    web.get("/ws", server.handle_websocket, name="websocket"),
                    web.get("/download/{key}", server.handle_download, name="download"),
                    web.static("/static", server.statics_path, name="static")])
    app.on_shutdown.append(server.on_shutdown)
    return app


class Served:
    def __init__(self, server: GuardedServer, test_server: TestServer, started: Path) -> None:
        self.server, self.test_server, self.started = server, test_server, started
        self.base = server.public_url
        self.cookies = {server.cookie_name: TOKEN}

    def pids(self) -> list[int]:
        return sorted(int(p.name) for p in self.started.iterdir())

    async def ws(self, session: aiohttp.ClientSession, **kw) -> aiohttp.ClientWebSocketResponse:
        return await session.ws_connect(f"{self.base}/ws?width=80&height=24", **kw)


@pytest.fixture
async def served(tmp_path):
    """A GuardedServer with the stand-in app on a free loopback port, at most 1 session; stopped afterwards."""
    script, started = tmp_path / "stand_in.py", tmp_path / "started"
    script.write_text(STAND_IN)
    started.mkdir()
    port = free_port()
    server = GuardedServer("exec " + shlex.join([sys.executable, str(script), str(started)]), host="127.0.0.1",
                           port=port, title="stand-in", public_url=f"http://127.0.0.1:{port}", token=TOKEN,
                           max_sessions=1)
    test_server = TestServer(routes_of(server), host="127.0.0.1", port=port)
    await test_server.start_server()
    served = Served(server, test_server, started)
    try:
        yield served
    finally:
        await test_server.close()
        # every app started has ended and was reaped (else its pipes outlive this test's event loop)
        await until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in served.pids()), "the stand-ins reaped")


async def refused_ws(served: Served, status: int, cookies=None, **kw) -> str:
    """The websocket handshake is refused with this status: its message."""
    async with aiohttp.ClientSession(cookies=cookies) as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await served.ws(session, **kw)
        assert refused.value.status == status
        async with session.get(f"{served.base}/ws", headers={
                "Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", **kw.get("headers", {}),
                **({"Origin": kw["origin"]} if "origin" in kw else {})}) as r:
            assert r.status == status
            return await r.text()


async def first_bytes(ws: aiohttp.ClientWebSocketResponse) -> bytes:
    msg = await ws.receive(timeout=20)
    assert msg.type == aiohttp.WSMsgType.BINARY, msg
    return msg.data


async def test_a_page_from_another_site_is_refused_and_starts_nothing(served, capsys):
    port = served.server.port
    text = await refused_ws(served, 403, cookies=served.cookies, origin="http://evil.example")
    assert text == (f"Only the page at http://127.0.0.1:{port}/?token=... may connect; this connection came from "
                    "'http://evil.example'.\n")
    for origin in (f"https://127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}", f"http://localhost:{port}", "null"):
        await refused_ws(served, 403, cookies=served.cookies, origin=origin)
    assert served.pids() == [] and served.server.sessions == set()
    assert capsys.readouterr().err.splitlines()[0] == (
        f"icp: refused a browser session from 'http://evil.example': only the page at {served.base} may connect")


async def test_a_websocket_without_origin_is_refused(served):
    text = await refused_ws(served, 403, cookies=served.cookies)
    assert text.endswith("this connection came from no page (no Origin header).\n")
    assert served.pids() == []


async def test_the_token_is_needed_on_the_page_and_the_websocket(served):
    expected = (f"Open the address printed where icp serve runs ({served.base}/?token=...): it carries the token "
                "this server needs.\n")
    async with aiohttp.ClientSession() as session:
        for url in (f"{served.base}/", f"{served.base}/?token=wrong", f"{served.base}/download/some-key"):
            async with session.get(url) as r:
                assert (r.status, await r.text()) == (403, expected)
                assert "Set-Cookie" not in r.headers
    assert await refused_ws(served, 403, origin=served.base) == expected
    assert await refused_ws(served, 403, origin=served.base, cookies={served.server.cookie_name: "wrong"}) == expected
    assert served.pids() == []


async def test_another_host_name_is_refused(served):
    """A site whose name was made to point at 127.0.0.1 (DNS rebinding) sends its own name as Host."""
    port = served.server.port
    expected = f"This server answers at {served.base}/?token=... only (the address printed where icp serve runs).\n"
    async with aiohttp.ClientSession() as session, \
            session.get(f"{served.base}/?token={TOKEN}", headers={"Host": f"evil.example:{port}"}) as r:
        assert (r.status, await r.text()) == (403, expected)
    assert await refused_ws(served, 403, cookies=served.cookies, origin=f"http://evil.example:{port}",
                            headers={"Host": f"evil.example:{port}"}) == expected
    assert await refused_ws(served, 403, cookies=served.cookies, origin=served.base,
                            headers={"Host": f"127.0.0.1:{port + 1}"}) == expected
    assert served.pids() == []


async def test_the_page_with_the_token_sets_the_cookie_the_websocket_needs(served):
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:  # like a browser: IP hosts too
        async with session.get(f"{served.base}/?token={TOKEN}") as r:
            assert r.status == 200
            page = await r.text()
            cookie = r.headers["Set-Cookie"]
            assert (r.headers["Cache-Control"], r.headers["Referrer-Policy"]) == ("no-store", "no-referrer")
        assert f'data-session-websocket-url="ws://127.0.0.1:{served.server.port}/ws"' in page
        assert cookie == f"{served.server.cookie_name}={TOKEN}; HttpOnly; Path=/; SameSite=Strict"
        async with session.get(f"{served.base}/") as r:  # the cookie alone opens the page again
            assert r.status == 200
        ws = await served.ws(session, origin=served.base)  # the browser sends the cookie: the session starts
        assert await first_bytes(ws) == b"SCREEN BYTES of the stand-in app"
        [pid] = served.pids()
        assert alive(pid) and len(served.server.sessions) == 1
        await ws.close()  # the tab closes: its app ends
        await until(lambda: not served.server.sessions and not alive(pid), "the session's app ended")


async def test_the_session_cap_refuses_one_more_and_starts_nothing(served, capsys):
    async with aiohttp.ClientSession(cookies=served.cookies) as session:
        ws = await served.ws(session, origin=served.base)
        assert await first_bytes(ws) == b"SCREEN BYTES of the stand-in app"
        assert await refused_ws(served, 503, cookies=served.cookies, origin=served.base) == (
            "This server runs 1 browser session at most and they are all open: close one, or restart icp serve "
            "with a higher --max-sessions.\n")
        assert len(served.pids()) == 1
        await ws.close()
        await until(lambda: not served.server.sessions, "the first session ended")
        ws = await served.ws(session, origin=served.base)  # its place is free again
        assert await first_bytes(ws) == b"SCREEN BYTES of the stand-in app"
        await ws.close()
    assert "icp: refused a browser session: 1 open already (--max-sessions 1)" in capsys.readouterr().err


async def test_stopping_the_server_ends_its_sessions(served):
    async with aiohttp.ClientSession(cookies=served.cookies) as session:
        ws = await served.ws(session, origin=served.base)
        assert await first_bytes(ws) == b"SCREEN BYTES of the stand-in app"
        [pid] = served.pids()
        closing = asyncio.create_task(ws.receive())  # the browser reads on, and answers the server's close
        await served.test_server.close()  # the server's shutdown: on_shutdown ends the open sessions
        assert (await closing).type == aiohttp.WSMsgType.CLOSE
        await until(lambda: not alive(pid), "the session's app ended with the server")
        assert served.server.sessions == set()


# the real `icp serve` and `icp open`

def icp_opens(folder: Path) -> list[int]:
    """The session apps running on this workshop folder."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            continue
        if proc.name.isdigit() and b"icp_tui.cli.serve_session" in cmdline and str(folder).encode() in cmdline:
            pids.append(int(proc.name))
    return pids


@pytest.fixture
def real_serve(tmp_path):
    """`icp serve` on a copy of the sample, on a free loopback port; stopped with SIGTERM afterwards."""
    import shutil

    folder = tmp_path / "ws"
    shutil.copytree("sample_data", folder)
    port = free_port()
    env = {**os.environ, "ICP_TUI_STATE_DIR": str(tmp_path / "state")}
    proc = subprocess.Popen([sys.executable, "-m", "icp_tui", "serve", str(folder), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    first = proc.stderr.readline().decode()  # printed before it listens
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        if proc.poll() is not None:
            pytest.fail(f"icp serve stopped: {first}{proc.stderr.read().decode()}")
        time.sleep(0.1)
    yield folder, port, proc, first
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


async def home_screen(ws: aiohttp.ClientWebSocketResponse) -> bytes:
    received = b""
    deadline = time.monotonic() + 60
    while b"Sample ICP workshop" not in received and time.monotonic() < deadline:
        try:
            msg = await ws.receive(timeout=5)
        except TimeoutError:
            continue
        if msg.type == aiohttp.WSMsgType.BINARY:
            received += msg.data
        elif msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR, aiohttp.WSMsgType.CLOSE):
            break
    return received


async def test_serve_runs_the_app_for_the_page_with_the_token_and_ends_it_on_stop(real_serve):
    folder, port, proc, first = real_serve
    base = f"http://127.0.0.1:{port}"
    printed = re.fullmatch(rf"icp: serving 'Sample ICP workshop' at {base}/\?token=([A-Za-z0-9_-]{{32}}) \(Ctrl\+C stops\)\n",
                           first)
    assert printed, first
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(f"{base}/") as r:
            assert r.status == 403
        async with session.get(f"{base}/?token={printed[1]}") as r:
            assert r.status == 200
            assert "<div>icp — Sample ICP workshop</div>" in await r.text()
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:  # a page of another site, with the cookie
            await session.ws_connect(f"{base}/ws", origin="http://evil.example")
        assert refused.value.status == 403 and icp_opens(folder) == []
        ws = await session.ws_connect(f"{base}/ws?width=100&height=30", origin=base)
        assert b"Sample ICP workshop" in await home_screen(ws)  # drawn by a real `icp open` behind the socket
        assert len(icp_opens(folder)) == 1
        closing = asyncio.create_task(home_screen(ws))  # the browser reads on, and answers the server's close
        proc.send_signal(signal.SIGTERM)  # the server stops with the tab still open
        assert await asyncio.to_thread(proc.wait, 30) == 0
        await closing
        await until(lambda: icp_opens(folder) == [], "no `icp open` left after the server stopped")
    out, err = proc.communicate()
    assert out == b""
    assert err.decode().splitlines() == ["icp: refused a request for / without the token",
                                         f"icp: refused a browser session from 'http://evil.example': only the page at "
                                         f"{base} may connect", "icp: stopped serving"]


def test_serve_refuses_a_folder_without_a_workshop(tmp_path, capsys):
    from icp_tui.cli.main import main

    assert main(["serve", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (f"icp: error: {tmp_path}: no workshop.toml here: make one with  "
                                       f"icp workshop new {tmp_path} --accounts FILE\n")


def test_serve_refuses_no_sessions(capsys):
    from icp_tui.cli.main import main

    assert main(["serve", "sample_data", "--max-sessions", "0"]) == 1
    assert capsys.readouterr().err == "icp: error: --max-sessions 0: at least 1 browser session\n"


def test_serve_refuses_a_port_in_use(capsys):
    from icp_tui.cli.main import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "sample_data", "--port", str(port)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith(f"icp: error: cannot listen on 127.0.0.1:{port}: ")
    assert "address already in use" in err[-1]


def test_each_session_runs_this_python_on_the_workshop(tmp_path):
    assert app_command(tmp_path / "my ws", 4242) == (
        f"exec {sys.executable} -m icp_tui.cli.serve_session 4242 '{tmp_path / 'my ws'}'")


def test_a_session_ends_when_its_server_is_killed(tmp_path):
    """A server killed outright (SIGKILL) tells its sessions nothing: each one ends itself with its parent."""
    script = tmp_path / "server.py"
    script.write_text("import subprocess, sys\n"
                      "child = subprocess.Popen([sys.executable, '-c', 'from icp_tui.cli.serve_session import end_with; "
                      "import os, sys, time; end_with(os.getppid()); print(os.getpid(), flush=True); time.sleep(60)'], "
                      "stdout=subprocess.PIPE)\n"
                      "print(child.stdout.readline().decode().strip() or 'the session did not start', flush=True)\n"
                      "sys.stdin.read()\n")
    server = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    pid = int(server.stdout.readline())
    assert alive(pid)
    server.kill()
    server.wait(timeout=10)
    asyncio.run(until(lambda: not alive(pid), "the session ended with its server", timeout=10))
