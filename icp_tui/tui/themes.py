"""The projector theme: high contrast for a room with the lights on (pure black, white text, yellow accents)."""

from __future__ import annotations

from textual.theme import Theme

PROJECTOR = Theme(
    name="projector",
    primary="#FFD600",
    secondary="#4FC3F7",
    accent="#FFD600",
    warning="#FFB300",
    error="#FF5252",
    success="#69F0AE",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1C1C1C",
    boost="#262626",
    dark=True,
    variables={"footer-key-foreground": "#FFD600", "block-cursor-background": "#FFD600",
               "block-cursor-foreground": "#000000", "input-selection-background": "#FFD600 40%"},
)
