"""The words people read: status labels in Vietnamese and English, and parsing what they type."""
from __future__ import annotations

import unicodedata

CATEGORY_LABELS = {
    "vi": {
        "done_on_time": "Hoàn thành đúng hạn",
        "done_late": "Hoàn thành quá hạn",
        "in_progress": "Đang thực hiện trong hạn",
        "overdue": "Quá hạn",
        "not_due": "Chưa đến hạn",
    },
    "en": {
        "done_on_time": "Done on time",
        "done_late": "Done late",
        "in_progress": "In progress, within deadline",
        "overdue": "Overdue",
        "not_due": "Not yet due",
    },
}

REPORT_STATUS_LABELS = {
    "vi": {"done": "Đã hoàn thành", "in_progress": "Đang thực hiện"},
    "en": {"done": "Done", "in_progress": "In progress"},
}

ROLE_LABELS = {"vi": {"lead": "Chủ trì", "coordinating": "Phối hợp"},
               "en": {"lead": "Lead", "coordinating": "Coordinating"}}

KIND_LABELS = {
    "vi": {"leadership": "Lãnh đạo, chỉ đạo", "committee": "Củng cố Ban Chỉ đạo, mô hình",
           "admin-reform": "Cải cách hành chính", "coordination": "Phối hợp",
           "inspection": "Kiểm tra, giám sát, khen thưởng"},
    "en": {"leadership": "Leadership", "committee": "Committee reinforcement",
           "admin-reform": "Administrative reform", "coordination": "Coordination",
           "inspection": "Inspection"},
}


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), so 'Hoàn thành' and 'hoan thanh' compare equal."""
    text = unicodedata.normalize("NFD", text.strip().lower()).replace("đ", "d")
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Mn")
                    .replace("_", " ").replace("-", " ").split())


_STATUS_WORDS = {
    "done": "done", "hoan thanh": "done", "da hoan thanh": "done", "xong": "done",
    "in progress": "in_progress", "dang thuc hien": "in_progress", "dang lam": "in_progress",
    "chua hoan thanh": "in_progress",
}


def parse_status(text: str) -> str:
    """'done' or 'in_progress' from what a person typed; ValueError names the allowed words."""
    hit = _STATUS_WORDS.get(fold(text))
    if hit is None:
        raise ValueError(f"unknown status '{text}' (use: hoàn thành, đang thực hiện; "
                         "or done, in_progress)")
    return hit
