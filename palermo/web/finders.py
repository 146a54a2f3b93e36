"""Serve JavaScript shipped inside Python packages (Plotly) as static files: no CDN."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

_PYVIS = Path(importlib.util.find_spec("pyvis").origin or "").parent  # type: ignore[union-attr]

PACKAGE_FILES = {
    "vendor/plotly.min.js": Path(plotly.__file__).parent / "package_data" / "plotly.min.js",
    # the link chart of palermo/networks: vis-network as pyvis ships it (not imported: only its files)
    "vendor/vis-network.min.js": _PYVIS / "lib" / "vis-9.1.2" / "vis-network.min.js",
    "vendor/vis-network.css": _PYVIS / "lib" / "vis-9.1.2" / "vis-network.css",
}


class PackageDataFinder(BaseFinder):
    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        match = PACKAGE_FILES.get(path)
        if match is None:
            return [] if find_all else ""
        return [str(match)] if find_all else str(match)

    def list(self, ignore_patterns: Any) -> Any:
        for path, file in PACKAGE_FILES.items():
            storage = FileSystemStorage(location=str(file.parent))
            storage.prefix = str(Path(path).parent)  # type: ignore[attr-defined]
            yield file.name, storage
