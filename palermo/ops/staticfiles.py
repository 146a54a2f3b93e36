"""Static files in production: hashed names, gzip and Brotli copies written once by ``palermo collectstatic``.

WhiteNoise serves them from the application with far-future cache headers; ``palermo serve`` refuses to start
when the collected files are missing or do not cover every static file of the installed apps (a template
asking for a file the manifest does not know would fail).
"""

from __future__ import annotations

import gzip
import io
import json
import re
from pathlib import Path
from typing import Any

import brotli
from django.conf import settings
from django.contrib.staticfiles import finders
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class _Compressor(Compressor):
    def __init__(self, *args: Any, level: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.level = level

    def compress_brotli(self, data: bytes) -> bytes:  # type: ignore[override]
        return brotli.compress(data, quality=self.level)

    def compress_gzip(self, data: bytes) -> bytes:  # type: ignore[override]
        output = io.BytesIO()
        level = min(max(self.level, 1), 9)
        with gzip.GzipFile(filename="", mode="wb", fileobj=output, compresslevel=level, mtime=0) as file:
            file.write(data)
        return output.getvalue()


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage with the effort of ``PALERMO_STATIC_COMPRESSION_LEVEL`` (Brotli quality 0-11; gzip
    level the same, capped at 9): 11, the smallest files, spends minutes on the large bundles (Plotly, Swagger
    UI) at each ``collectstatic``; 5 takes seconds, for Brotli files about 10% larger. Source maps, read only by
    a browser's developer tools, are not compressed."""

    def url_converter(self, name: str, hashed_files: dict[str, str], template: str | None = None) -> Any:
        """Django's, except that a source map a vendor bundle names but does not ship (vis-network's, from pyvis)
        is left as written instead of failing ``collectstatic``: only developer tools ever ask for it."""
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj: re.Match[str]) -> str:
            try:
                return str(convert(matchobj))
            except ValueError:
                if matchobj["url"].split("?")[0].endswith(".map"):
                    return matchobj["matched"]
                raise

        return converter

    def create_compressor(self, **kwargs: Any) -> Compressor:
        extensions = kwargs.pop("extensions", None) or Compressor.SKIP_COMPRESS_EXTENSIONS
        return _Compressor(level=settings.STATIC_COMPRESSION_LEVEL, extensions=(*extensions, "map"), **kwargs)


def missing_static_files() -> list[str]:
    """Static files of the installed apps that the collected manifest does not name (all of them when nothing was
    collected); empty when ``collectstatic`` is up to date."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    try:
        known = set(json.loads(manifest.read_text(encoding="utf-8"))["paths"])
    except (OSError, ValueError, KeyError):
        known = set()
    wanted = set()
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            prefix = getattr(storage, "prefix", None)  # as collectstatic names it
            wanted.add((f"{prefix}/{path}" if prefix else path).replace("\\", "/"))
    return sorted(wanted - known)
