"""Evidence files sent with a report: PDF, an image, or an office document — recognised by
their bytes, not only their name — kept once each under var/evidence/<sha256>.

The name's extension must agree with what the bytes are (a PNG called `.pdf` is refused), and
Office files with macros (a `vbaProject.bin` inside) are refused. Zip-based documents are
recognised from their table of contents only; nothing is unpacked. The folder is outside any
web root: a file is only ever sent back as a download, by the app, to whoever may see its
report.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

from tasks.errors import BadInput, named
from tasks.words.phrase import Figure, Phrase

ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML = {"word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   (".docx",)),
         "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
         "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
                  (".pptx",))}
ODF = {"application/vnd.oasis.opendocument.text": (".odt",),
       "application/vnd.oasis.opendocument.spreadsheet": (".ods",),
       "application/vnd.oasis.opendocument.presentation": (".odp",)}
OLD_OFFICE = {".doc": "application/msword", ".xls": "application/vnd.ms-excel",
              ".ppt": "application/vnd.ms-powerpoint"}
ACCEPT = (".pdf,.png,.jpg,.jpeg,.webp,.heic,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.ppt")
WHAT = Phrase("a PDF, an image (PNG, JPEG, WebP, HEIC) or an office document (Word, Excel, "
              "PowerPoint)")
EVIDENCE_FILE = Phrase("evidence file")


@dataclass(frozen=True)
class Evidence:
    sha256: str
    name: str  # the name it was sent with, without folders
    content_type: str
    size: int


def _kind(head: bytes, path: Path, ext: str) -> tuple[str, tuple[str, ...]] | None:
    """(content type, the extensions it may have) of a file, from its bytes; None when it is
    none of the kinds accepted."""
    if head.startswith(b"%PDF-"):
        return "application/pdf", (".pdf",)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", (".png",)
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", (".jpg", ".jpeg")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", (".webp",)
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1"):
        return "image/heic", (".heic", ".heif")
    if head.startswith(OLE) and ext in OLD_OFFICE:
        return OLD_OFFICE[ext], (ext,)
    if head.startswith(ZIP):
        return _zip_kind(path)
    return None


def _zip_kind(path: Path) -> tuple[str, tuple[str, ...]] | None:
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            if "mimetype" in names:
                mime = z.read("mimetype")[:100].decode("ascii", "replace").strip()
                return (mime, ODF[mime]) if mime in ODF else None
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise BadInput(named(EVIDENCE_FILE, Phrase(
            "an office document with macros is not accepted (save it as .docx, .xlsx or .pptx "
            "without macros, or as PDF)")))
    for folder, kind in OOXML.items():
        if any(n.startswith(folder) for n in names):
            return kind
    return None


def safe_name(name: str) -> str:
    """The file's own name, without any folder, at most 120 characters."""
    base = PurePath(name.replace("\\", "/")).name.strip() or "evidence"
    return base[-120:]


def check(path: Path, name: str, max_size: int) -> tuple[str, int]:
    """(content type, size) of an uploaded file; BadInput when it is empty, too large, not an
    accepted kind, or named as another kind."""
    size = path.stat().st_size
    if size == 0:
        raise BadInput(named(EVIDENCE_FILE, Phrase("the file is empty")))
    if size > max_size:
        raise BadInput(named(EVIDENCE_FILE, Phrase(
            "{size} MB is more than the {most} MB allowed",
            size=Figure(round(size / 1048576, 1)), most=Figure(round(max_size / 1048576)))))
    ext = PurePath(name).suffix.lower()
    with path.open("rb") as f:
        head = f.read(16)
    kind = _kind(head, path, ext)
    if kind is None:
        raise BadInput(named(EVIDENCE_FILE, Phrase("'{name}' is not {what}",
                                                   name=safe_name(name), what=WHAT)))
    content_type, extensions = kind
    if ext not in extensions:
        raise BadInput(named(EVIDENCE_FILE, Phrase(
            "'{name}' is a {kind} file by its content, not a {ext}", name=safe_name(name),
            kind=extensions[0], ext=ext or Phrase("file without extension"))))
    return content_type, size


def keep(upload: BinaryIO, name: str, folder: Path, max_size: int) -> Evidence:
    """Check an upload and keep it as `folder`/<sha256> (once per content); what was kept.
    At most `max_size` + 1 bytes are read, so a larger upload is refused, not stored."""
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            left = max_size + 1
            while left > 0 and (chunk := upload.read(min(1 << 16, left))):
                digest.update(chunk)
                out.write(chunk)
                left -= len(chunk)
        content_type, size = check(Path(tmp), name, max_size)
        target = folder / digest.hexdigest()
        if target.exists():
            os.unlink(tmp)
        else:
            os.chmod(tmp, 0o640)
            os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return Evidence(digest.hexdigest(), safe_name(name), content_type, size)


def path_of(folder: Path, sha256: str) -> Path:
    """Where a kept file is; ValueError for anything but a SHA-256 in hexadecimal."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a sha256")
    return folder / sha256

