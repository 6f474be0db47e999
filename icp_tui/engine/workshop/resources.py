"""Where the bundled sample workshop and questionnaires live (in a wheel or in the source tree)."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parents[2]


def bundled(name: str) -> Path:
    for candidate in (_PKG / "_bundled" / name, _PKG.parent / name):
        if candidate.exists():
            return candidate
    return _PKG.parent / name


def sample_workshop_dir() -> Path:
    return bundled("sample_data")


def assessments_dir() -> Path:
    return bundled("assessments")
