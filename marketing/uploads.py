"""Uploaded files (assets, permission agreements): checked before anything is stored, then stored
through Django's storage API (`default_storage`: the local disk, or an S3-compatible bucket).

A file is taken only when its name's extension is one we accept AND its content is that kind of
file: the first bytes (a PDF's `%PDF-`, a PNG's signature…), and for the zip-based Office formats
the zip's own structure (`[Content_Types].xml` and the part folder of that application). A file
larger than `ASSET_UPLOAD_MAX_MB` is refused before it is read. A refusal is an `InvalidInput`
naming the form field, so the page shows it on the field and nothing is written.
"""

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

from core.errors import InvalidInput


def _starts(*signatures: bytes) -> Callable[[bytes, UploadedFile], bool]:
    return lambda head, _: any(head.startswith(s) for s in signatures)


def _mp4(head: bytes, _: UploadedFile) -> bool:
    return head[4:8] == b"ftyp"  # an ISO media file's first box


def _office(folder: str) -> Callable[[bytes, UploadedFile], bool]:
    def check(head: bytes, upload: UploadedFile) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)

    return check


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    matches: Callable[[bytes, UploadedFile], bool]


PDF = FileType("PDF", "application/pdf", _starts(b"%PDF-"))
PNG = FileType("PNG image", "image/png", _starts(b"\x89PNG\r\n\x1a\n"))
JPEG = FileType("JPEG image", "image/jpeg", _starts(b"\xff\xd8\xff"))
MP4 = FileType("MP4 video", "video/mp4", _mp4)
OFFICE = "application/vnd.openxmlformats-officedocument"
PPTX = FileType("PowerPoint deck", f"{OFFICE}.presentationml.presentation", _office("ppt/"))
DOCX = FileType("Word document", f"{OFFICE}.wordprocessingml.document", _office("word/"))
XLSX = FileType("Excel workbook", f"{OFFICE}.spreadsheetml.sheet", _office("xl/"))

# Extension → the type its content must be.
ALLOWED: dict[str, FileType] = {
    ".pdf": PDF,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".mp4": MP4,
    ".m4v": MP4,
    ".pptx": PPTX,
    ".docx": DOCX,
    ".xlsx": XLSX,
}
ALLOWED_TEXT = "PDF, PNG, JPEG, MP4, PowerPoint (.pptx), Word (.docx) or Excel (.xlsx)"
HEAD_BYTES = 16
# The name kept for the download (`Asset.file_name`), and the bytes of the name a file is stored
# under: a filesystem takes 255 bytes a name, and the storage may add "_" and 7 characters.
NAME_MAX_CHARS = 200
STORED_NAME_MAX_BYTES = 180


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed: the name it came with, its real type and size."""

    upload: UploadedFile
    name: str
    content_type: str
    size: int


def max_bytes() -> int:
    return settings.ASSET_UPLOAD_MAX_MB * 1024 * 1024


def upload_check(upload: UploadedFile, *, field: str = "file") -> CheckedUpload:
    """Refuse a file of a type we do not take, too large, or whose content is not what its name
    says (InvalidInput naming `field`); nothing is stored either way."""
    name = PurePath(upload.name or "").name
    file_type = ALLOWED.get(PurePath(name).suffix.lower())
    if file_type is None:
        raise InvalidInput(f"“{name}” is not a file type we take: upload a {ALLOWED_TEXT} file.", field=field)
    if upload.size is None or upload.size > max_bytes():
        raise InvalidInput(
            f"“{name}” is larger than the {settings.ASSET_UPLOAD_MAX_MB} MB an upload may be.", field=field
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if not file_type.matches(head, upload):
        raise InvalidInput(
            f"“{name}” is named like a {file_type.label} but its content is not one; "
            "nothing was stored. Upload the file itself, not a renamed one.",
            field=field,
        )
    return CheckedUpload(upload, _shortened(name, NAME_MAX_CHARS), file_type.content_type, upload.size)


def _shortened(name: str, limit: int, *, size=len) -> str:
    """`name` cut to `limit` (as `size` measures it) in its stem, so its extension stays."""
    path = PurePath(name)
    stem, suffix = path.stem[:limit], path.suffix
    while stem and size(stem + suffix) > limit:
        stem = stem[:-1]
    return stem + suffix


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


def upload_store(checked: CheckedUpload, folder: str) -> str:
    """Write a checked upload through the storage API; returns the name it was stored under
    (its own name, cut to what a filesystem takes, extension kept)."""
    stored = _shortened(checked.name, STORED_NAME_MAX_BYTES, size=_utf8_size)
    return default_storage.save(f"{folder}/{stored}", checked.upload)


def stored_forget(name: str) -> None:
    """Delete a stored file whose row was not written (the transaction failed after the save)."""
    if name:
        default_storage.delete(name)
