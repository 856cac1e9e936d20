"""Office files (xlsx, docx) are zip archives stamped with the time they were written: restamp
them with a fixed day so that a digest made again from the same record is byte-identical."""
from __future__ import annotations

import datetime as dt
import io
import zipfile


def fixed_zip(data: bytes, when: dt.date) -> bytes:
    """The archive with every entry stamped `when`, in a fixed order: equal content, equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6]),
                         src.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
