"""The networks' links in the menu (objective 1)."""

from __future__ import annotations


def register() -> None:
    pass
