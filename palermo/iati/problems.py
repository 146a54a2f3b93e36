"""What is wrong with an IATI file, said so that its author can find and fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    line: int | None
    path: str
    reason: str
    warning: bool = False  # reported, but does not refuse the file

    def __str__(self) -> str:
        where = ("warning: " if self.warning else "") + (f"line {self.line}" if self.line else "file")
        if self.path:
            where += f", {self.path}"
        return f"{where}: {self.reason}"


class IatiRefused(Exception):
    """The file is refused as a whole; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems[:20]))

    def __str__(self) -> str:
        shown = [str(problem) for problem in self.problems[:20]]
        more = len(self.problems) - len(shown)
        if more > 0:
            shown.append(f"... and {more} more")
        return "\n".join(shown)


def line_of(element: Any) -> int | None:
    """The line an lxml element started on, when the parser recorded it."""
    line = getattr(element, "sourceline", None)
    return line if isinstance(line, int) else None
