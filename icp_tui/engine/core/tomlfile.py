"""Reading a TOML file with errors that name the file and line, for every kind of file we keep."""

from __future__ import annotations

from pathlib import Path

import tomlkit
from tomlkit.exceptions import ParseError

from icp_tui.engine.core.errors import IcpError


def parse_toml(text: str, path: str, error: type[IcpError]) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(text)
    except ParseError as e:
        msg = str(e).split(" at line ")[0]
        raise error(f"not valid TOML: {msg} (column {e.col})", file=path, line=e.line) from None


def read_text(path: str | Path, error: type[IcpError]) -> str:
    """The file's text (UTF-8, a byte-order mark dropped), or ``error`` saying why not."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error("file not found", file=str(p)) from None
    except IsADirectoryError:
        raise error("is a directory, not a file", file=str(p)) from None
    except UnicodeDecodeError as e:
        raise error(f"is not UTF-8 text (byte {e.start})", file=str(p)) from None
    except OSError as e:
        raise error(f"cannot read: {e.strerror}", file=str(p)) from None
