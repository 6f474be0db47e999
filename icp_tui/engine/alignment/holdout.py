"""A hold-out control group on the TAL: change the ICP as an experiment, not for everyone at once (seed 002).

About a fifth of the accounts on the list (``share``, 5-50%, default 20%) are set aside as a control:
they stay on the list, marked ``control``, and keep the motion they had; the rest are ``target``
and get the new one. A later deal file then compares the two groups (:mod:`holdout_compare`).

How an account is drawn, and why it stays put: numpy's Generator (its PCG64 bit generator, whose
stream numpy keeps the same across versions) seeded with the stored ``seed`` gives one 64-bit
number, written as the 16-character key of pandas' SipHash (``pandas.util.hash_array``). Each
account key ("acc:ACC-00042") hashes to a number in [0, 1) under that key; the account is in the
control group when its number is below ``share``. An account's group therefore depends only on
the seed and its own key: adding, removing or re-tiering other accounts moves nobody, and the same
seed gives the same groups on every machine. Every tier gets about the share, because the draw
does not look at the tier; exact quotas per tier were not used, since they would move accounts
across the line each time the list changes. The whole list is hashed in one vectorised call.

Stored in the workshop's ``decisions.toml``, beside the TAL rule::

    [holdout]
    share = 0.2          # 5% to 50% of the list, as a fraction
    seed = 482913        # drawn once when the hold-out was set; the same seed, the same groups
    since = 2026-12-03   # the day it was set: the comparison counts deals created from then
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
import tomlkit

DEFAULT_SHARE = 0.20
MIN_SHARE, MAX_SHARE = 0.05, 0.50
MAX_SEED = 2**63 - 1
TARGET, CONTROL = "target", "control"


@dataclass(frozen=True)
class Holdout:
    share: float = DEFAULT_SHARE
    seed: int = 0
    since: date | None = None  # when it was set: deals created from this day on are compared

    def text(self) -> str:
        since = f", since {self.since.isoformat()}" if self.since else ""
        return f"{self.share:.0%} of the TAL, seed {self.seed}{since}"


def new_seed() -> int:
    """A fresh seed from the operating system's entropy (six digits, easy to read out and write down)."""
    return int(np.random.default_rng().integers(100_000, 1_000_000))


def share_problem(share: object) -> str | None:
    """Why ``share`` cannot be a hold-out share (a fraction from 0.05 to 0.5), or None."""
    if isinstance(share, bool) or not isinstance(share, int | float) or share != share:
        return f"must be a share from {MIN_SHARE} to {MAX_SHARE} (e.g. 0.2 for 20%), not {share!r}"
    if not MIN_SHARE <= share <= MAX_SHARE:
        return f"must be from {MIN_SHARE} to {MAX_SHARE} ({MIN_SHARE:.0%} to {MAX_SHARE:.0%} of the list), not {share!r}"
    return None


def seed_problem(seed: object) -> str | None:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        return f"must be a whole number from 0 (e.g. 482913), not {seed!r}"
    return None


def parse_share(text: str) -> float:
    """A share as people type it: "20", "20%", "0.2" (a number above 1 is a percentage). ValueError says why not."""
    raw = text.strip().rstrip("%").strip()
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"'{text.strip()}' is not a share: type a percentage such as 20") from None
    value = value / 100 if value > 1 or text.strip().endswith("%") else value
    value = round(value, 4)
    if share_problem(value) is not None:
        raise ValueError(f"the share must be from {MIN_SHARE:.0%} to {MAX_SHARE:.0%} of the list, not {text.strip()}")
    return value


def parse_seed(text: str) -> int:
    raw = text.strip().replace(",", "").replace("_", "")
    if not (raw.isascii() and raw.isdecimal()) or int(raw) > MAX_SEED:
        raise ValueError(f"'{text.strip()}' is not a seed: type a whole number such as 482913")
    return int(raw)


def _hash_key(seed: int) -> str:
    return f"{int(np.random.default_rng(seed).bit_generator.random_raw()):016x}"


def draws(keys: Sequence[str] | np.ndarray, seed: int) -> np.ndarray:
    """Each key's draw in [0, 1) for this seed: the same key and seed always give the same number."""
    arr = np.asarray(keys, dtype=object)
    if not len(arr):
        return np.zeros(0)
    h = pd.util.hash_array(arr, hash_key=_hash_key(seed), categorize=False)
    return (h >> np.uint64(11)).astype(np.float64) * 2.0**-53


def control_mask(keys: Sequence[str] | np.ndarray, holdout: Holdout) -> np.ndarray:
    """True for the keys in the control group."""
    return draws(keys, holdout.seed) < holdout.share


def groups(keys: Sequence[str] | np.ndarray, holdout: Holdout | None) -> np.ndarray:
    """``target`` or ``control`` per key (all ``target`` without a hold-out)."""
    mask = control_mask(keys, holdout) if holdout is not None else np.zeros(len(keys), bool)
    return np.where(mask, CONTROL, TARGET).astype(object)


def parse_holdout(table: object, fail: Callable[[list[str | int], str], Exception]) -> Holdout:
    """The ``[holdout]`` table of a decisions file; ``fail(keys, message)`` makes the error naming file, line and key."""
    if not isinstance(table, dict):
        raise fail(["holdout"], "must be a table ([holdout]) with share and seed")
    for k in table:
        if k not in ("share", "seed", "since"):
            raise fail(["holdout", str(k)], "is not a key here (share, seed, since)")
    if "share" not in table or "seed" not in table:
        raise fail(["holdout"], "needs share (e.g. 0.2) and seed (e.g. 482913)")
    share, seed, since = table["share"], table["seed"], table.get("since")
    if (why := share_problem(share)) is not None:
        raise fail(["holdout", "share"], why)
    if (why := seed_problem(seed)) is not None:
        raise fail(["holdout", "seed"], why)
    if isinstance(since, datetime):
        since = since.date()
    if since is not None and not isinstance(since, date):
        raise fail(["holdout", "since"], f"must be a date (e.g. 2026-12-03, no quotes), not {since!r}")
    return Holdout(float(share), int(seed), since)


def holdout_values(h: Holdout) -> dict[str, object]:
    out: dict[str, object] = {"share": h.share, "seed": h.seed}
    if h.since is not None:
        out["since"] = tomlkit.date(h.since.isoformat())
    return out


__all__ = ["CONTROL", "DEFAULT_SHARE", "Holdout", "MAX_SHARE", "MIN_SHARE", "TARGET", "control_mask", "draws",
           "groups", "holdout_values", "new_seed", "parse_holdout", "parse_seed", "parse_share", "share_problem"]
