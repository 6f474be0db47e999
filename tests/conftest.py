from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path_factory, monkeypatch):
    """The app remembers the last workshop in a state file: keep tests away from the real one."""
    monkeypatch.setenv("ICP_TUI_STATE_DIR", str(tmp_path_factory.mktemp("state")))
    monkeypatch.setenv("ICP_TUI_DATA_DIR", str(tmp_path_factory.mktemp("data")))  # where the sample is copied
    monkeypatch.chdir(ROOT)  # paths on screen are shown relative to here


@pytest.fixture
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture
def workshop(tmp_path) -> Path:
    """A copy of the sample workshop: the app and the sessions write into it as they go."""
    folder = tmp_path / "ws"
    shutil.copytree(SAMPLE, folder)
    return folder
