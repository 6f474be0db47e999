"""``icp serve``: the app served to browsers on loopback; the page loads and a browser session runs the app."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from icp_tui.cli.serve_cmd import app_command


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """`icp serve` on a copy of the sample, on a free loopback port; stopped with SIGTERM afterwards."""
    import shutil

    folder = tmp_path / "ws"
    shutil.copytree("sample_data", folder)
    port = free_port()
    env = {**os.environ, "ICP_TUI_STATE_DIR": str(tmp_path / "state")}
    proc = subprocess.Popen([sys.executable, "-m", "icp_tui", "serve", str(folder), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        if proc.poll() is not None:
            pytest.fail(f"icp serve stopped: {proc.stderr.read().decode()}")
        time.sleep(0.2)
    yield port, proc
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=20)


async def fetch(port: int) -> tuple[int, str, bytes]:
    """The page, then what a browser session's websocket receives until the app has drawn its home screen."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/") as r:
            status, page = r.status, await r.text()
        received = b""
        async with session.ws_connect(f"http://127.0.0.1:{port}/ws?width=100&height=30") as ws:
            deadline = time.monotonic() + 40
            while b"Sample ICP workshop" not in received and time.monotonic() < deadline:
                try:
                    msg = await ws.receive(timeout=5)
                except TimeoutError:
                    continue
                if msg.type == aiohttp.WSMsgType.BINARY:
                    received += msg.data
                elif msg.type == aiohttp.WSMsgType.TEXT:
                    received += msg.data.encode()
                elif msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    break
    return status, page, received


def test_serve_on_loopback_runs_the_app_in_a_browser_session(served):
    port, proc = served
    status, page, received = asyncio.run(fetch(port))
    assert status == 200
    assert "<div>icp — Sample ICP workshop</div>" in page
    assert f"ws://127.0.0.1:{port}/ws" in page
    assert b"Sample ICP workshop" in received  # the home screen, drawn by a real `icp open` behind the socket
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0
    out, err = proc.communicate()
    assert out == b""
    assert err.decode().splitlines() == [f"icp: serving 'Sample ICP workshop' at http://127.0.0.1:{port} (Ctrl+C stops)",
                                         "icp: stopped serving"]


def test_serve_refuses_a_folder_without_a_workshop(tmp_path, capsys):
    from icp_tui.cli.main import main

    assert main(["serve", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (f"icp: error: {tmp_path}: no workshop.toml here: make one with  "
                                       f"icp workshop new {tmp_path} --accounts FILE\n")


def test_serve_refuses_a_port_in_use(served, capsys):
    from icp_tui.cli.main import main

    port, _ = served
    assert main(["serve", "sample_data", "--port", str(port)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith(f"icp: error: cannot listen on 127.0.0.1:{port}: ")
    assert "address already in use" in err[-1]


def test_each_session_runs_this_python_on_the_workshop(tmp_path):
    assert app_command(tmp_path / "my ws") == f"{sys.executable} -m icp_tui open '{tmp_path / 'my ws'}'"
