"""What an uploaded document really is, from its bytes: plain Python, no Django.

A file is accepted when its extension, its content and (when the browser sent one) its declared
content type agree. Office files are ZIP archives: their inner manifest must say the same thing,
and macro-enabled documents are refused.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath

OOXML_MAIN = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OPENDOCUMENT = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
MAGIC = {
    ".pdf": (b"%PDF-", "application/pdf"),
    ".png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    ".jpg": (b"\xff\xd8\xff", "image/jpeg"),
    ".jpeg": (b"\xff\xd8\xff", "image/jpeg"),
}
CONTENT_TYPES = {ext: kind for ext, (_magic, kind) in MAGIC.items()} | OOXML_MAIN | OPENDOCUMENT
EXTENSIONS = tuple(sorted(CONTENT_TYPES))
# Browsers send these when they do not know better; they do not contradict the content.
NEUTRAL_DECLARATIONS = frozenset({"", "application/octet-stream", "binary/octet-stream"})
MANIFEST_LIMIT = 1_000_000  # bytes once inflated: a manifest is a few kilobytes, a bigger one is a bomb


class UploadProblem(StrEnum):
    EXTENSION = "extension"
    CONTENT = "content"
    DECLARED = "declared"
    MACROS = "macros"
    EMPTY = "empty"


@dataclass(frozen=True)
class Verdict:
    content_type: str | None
    problem: UploadProblem | None


def extension_of(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def inspect(name: str, data: bytes, declared: str = "") -> Verdict:
    """The content type of an accepted file, or the problem that refuses it."""
    extension = extension_of(name)
    expected = CONTENT_TYPES.get(extension)
    if expected is None:
        return Verdict(None, UploadProblem.EXTENSION)
    if not data:
        return Verdict(None, UploadProblem.EMPTY)
    declared = declared.split(";")[0].strip().lower()
    if declared not in NEUTRAL_DECLARATIONS and declared != expected:
        return Verdict(None, UploadProblem.DECLARED)
    if extension in MAGIC:
        ok = data.startswith(MAGIC[extension][0])
        return Verdict(expected, None) if ok else Verdict(None, UploadProblem.CONTENT)
    return _inspect_archive(extension, data, expected)


def _inspect_archive(extension: str, data: bytes, expected: str) -> Verdict:
    if not data.startswith(b"PK\x03\x04"):
        return Verdict(None, UploadProblem.CONTENT)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if any(archive.getinfo(n).file_size > MANIFEST_LIMIT for n in ("mimetype", "[Content_Types].xml")
                   if n in names):
                return Verdict(None, UploadProblem.CONTENT)
            if extension in OPENDOCUMENT:
                if "mimetype" not in names or archive.read("mimetype").strip().decode("ascii", "replace") != expected:
                    return Verdict(None, UploadProblem.CONTENT)
                has_macros = any(n.lower().startswith("basic/") for n in names)
                return Verdict(None, UploadProblem.MACROS) if has_macros else Verdict(expected, None)
            if "[Content_Types].xml" not in names:
                return Verdict(None, UploadProblem.CONTENT)
            manifest = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, OSError):
        return Verdict(None, UploadProblem.CONTENT)
    if "macroEnabled" in manifest or any(n.lower().endswith("vbaproject.bin") for n in names):
        return Verdict(None, UploadProblem.MACROS)
    if expected + ".main+xml" not in manifest and expected + "+xml" not in manifest:
        # pptx declares ...presentation.main+xml, docx ...document.main+xml, xlsx ...sheet.main+xml
        return Verdict(None, UploadProblem.CONTENT)
    return Verdict(expected, None)
