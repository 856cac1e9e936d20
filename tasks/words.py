"""The one home of the words people read and of how numbers, days and months are written,
in Vietnamese and English (each language's words side by side, so a translator edits one file),
and of reading the words people type.

Two number styles, on purpose: the digest writes numbers the reader's way (fmt_num: 11.441 and
85,5 in Vietnamese, 11,441 and 85.5 in English), while error messages and the command line's
KPI figures keep one language-neutral form (fmt_figure: 11,441 and 85.5, up to two decimals).
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any, Literal, get_args

from tasks.errors import BadInput

Lang = Literal["vi", "en"]
LANGS: tuple[str, ...] = get_args(Lang)  # ("vi", "en")
# The kinds of task a plan may use, in the order every table lists them.
Kind = Literal["leadership", "committee", "admin-reform", "coordination", "inspection"]
KINDS: tuple[str, ...] = get_args(Kind)


def check_lang(lang: str, field: str = "lang") -> None:
    """BadInput unless plantrack speaks `lang`, naming the field it came from."""
    if lang not in LANGS:
        raise BadInput(f"{field}: '{lang}' is not {' or '.join(LANGS)}")


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


# The monthly digest: its tables, the workbook's summary sheet and the charts.

PEER_DEFAULTS = {  # the digest's groups of agencies when a plan names none (`peers:`)
    "province": {"name_vi": "Các cơ quan, đơn vị cấp tỉnh", "name_en": "Provincial bodies"},
    "district": {"name_vi": "Các cơ quan, đơn vị cấp huyện", "name_en": "District bodies"},
    "other": {"name_vi": "Các cơ quan, đơn vị khác", "name_en": "Other bodies"},
}

TABLE_TITLES = {  # table key -> (sheet name, heading)
    "vi": {
        "by_kind": ("Theo loại nhiệm vụ", "Tình hình thực hiện theo loại nhiệm vụ"),
        "by_task": ("Theo nhiệm vụ", "Tình hình thực hiện theo nhiệm vụ"),
        "agencies": ("Xếp hạng cơ quan", "Bảng xếp hạng cơ quan, đơn vị"),
        "overdue": ("Quá hạn", "Việc quá hạn chưa hoàn thành"),
        "completed": ("Hoàn thành trong tháng", "Hoàn thành trong tháng"),
        "newly_overdue": ("Mới quá hạn", "Mới quá hạn trong tháng"),
        "coming": ("Hạn tháng tới", "Hạn trong tháng tới"),
        "kpis": ("Chỉ tiêu", "Các chỉ tiêu của phong trào"),
        "delivery": ("Gửi nhắc việc", "Tình hình gửi nhắc việc trong tháng"),
        "failing": ("Tin chưa gửi được", "Tin nhắc việc chưa gửi được"),
    },
    "en": {
        "by_kind": ("By task kind", "Status by task kind"),
        "by_task": ("By task", "Status by task"),
        "agencies": ("Agencies", "Agencies' league table"),
        "overdue": ("Overdue", "Overdue items not yet done"),
        "completed": ("Completed", "Completed during the month"),
        "newly_overdue": ("Newly overdue", "Newly overdue during the month"),
        "coming": ("Next month", "Deadlines next month"),
        "kpis": ("KPIs", "The movement's indicators"),
        "delivery": ("Reminder delivery", "Reminder delivery during the month"),
        "failing": ("Undelivered", "Reminders not yet delivered"),
    },
}

TABLE_LABELS = {  # column headers and row labels
    "vi": {
        "kind": "Loại nhiệm vụ", "task": "Nhiệm vụ", "total": "Tổng số", "rate": "Tỷ lệ đúng hạn",
        "progress": "Tiến độ bình quân", "all": "Toàn kế hoạch", "rank": "Hạng",
        "agency": "Cơ quan, đơn vị", "item": "Nội dung", "period": "Kỳ", "due": "Hạn",
        "days_late": "Số ngày quá hạn", "item_progress": "Tiến độ", "reminders": "Đã nhắc",
        "working_days_late": "Số ngày làm việc quá hạn",
        "escalations": "Đã báo cấp trên", "completed_on": "Ngày hoàn thành",
        "status": "Tình trạng", "owed_by": "Cơ quan phải thực hiện", "done": "Đã xong",
        "kpi": "Chỉ tiêu", "unit": "Đơn vị tính", "baseline": "Mốc {day}",
        "latest": "Số mới nhất", "change": "Tăng/giảm", "change_pct": "Tăng/giảm (%)",
        "target": "Mục tiêu", "reporting": "Đã báo cáo", "msg_kind": "Loại tin",
        "messages": "Số tin", "sent": "Đã gửi", "failed": "Có lỗi", "failed_attempts": "Lượt lỗi",
        "still_failing": "Chưa gửi được", "day": "Ngày", "recipient": "Nơi nhận",
        "attempts": "Số lần lỗi", "last_error": "Lỗi gần nhất", "group": "Khối",
        "due_count": "Đã đến hạn",
        "reminder": "Nhắc việc", "escalation": "Báo cấp trên", "sum": "Cộng",
    },
    "en": {
        "kind": "Task kind", "task": "Task", "total": "Total", "rate": "On-time rate",
        "progress": "Average progress", "all": "Whole plan", "rank": "Rank",
        "agency": "Agency", "item": "Item", "period": "Period", "due": "Due",
        "days_late": "Days late", "item_progress": "Progress", "reminders": "Reminders",
        "working_days_late": "Working days late",
        "escalations": "Escalations", "completed_on": "Completed on", "status": "Status",
        "owed_by": "Owed by", "done": "Done", "kpi": "Indicator", "unit": "Unit",
        "baseline": "Baseline {day}", "latest": "Latest", "change": "Change",
        "change_pct": "Change (%)", "target": "Target", "reporting": "Reported",
        "msg_kind": "Kind", "messages": "Messages", "sent": "Sent", "failed": "With errors",
        "failed_attempts": "Failed attempts", "still_failing": "Not delivered", "day": "Day",
        "recipient": "Recipient", "attempts": "Failed attempts", "last_error": "Last error",
        "group": "Group", "due_count": "Come due",
        "reminder": "Reminder", "escalation": "Escalation", "sum": "Total",
    },
}

SUMMARY_LABELS = {  # the workbook's summary sheet
    "vi": {"sheet": "Tóm tắt", "item": "Mục", "value": "Giá trị", "plan": "Kế hoạch",
           "month": "Tháng", "as_of": "Tính đến ngày", "completed": "Hoàn thành trong tháng",
           "newly_overdue": "Mới quá hạn trong tháng", "coming": "Hạn trong tháng tới",
           "sent": "Tin nhắc việc đã gửi trong tháng", "failing": "Tin nhắc việc chưa gửi được"},
    "en": {"sheet": "Summary", "item": "Item", "value": "Value", "plan": "Plan",
           "month": "Month", "as_of": "As of", "completed": "Completed during the month",
           "newly_overdue": "Newly overdue during the month", "coming": "Deadlines next month",
           "sent": "Reminders sent this month", "failing": "Reminders undelivered"},
}

CHART_LABELS = {  # titles, axes and notes of the charts
    "vi": {"kinds": "Tình trạng các hạn theo loại nhiệm vụ, đến {day}",
           "count": "Số hạn (đầu việc)",
           "agencies": "Tỷ lệ hoàn thành đúng hạn của các cơ quan, đến {day}",
           "rate": "Tỷ lệ đúng hạn (%)", "none": "Chưa có cơ quan nào đến hạn.",
           "trend": "Các chỉ tiêu so với mốc {day} (mốc = 100)", "index": "Chỉ số ({day} = 100)",
           "target": "Mục tiêu {value}", "missing": "Chưa đủ số liệu báo cáo",
           "baseline": "Mốc", "latest": "Số mới nhất: {value}", "no_data": "chưa đủ số liệu"},
    "en": {"kinds": "Deadlines by task kind and status, as of {day}",
           "count": "Deadlines",
           "agencies": "Agencies' on-time rate, as of {day}",
           "rate": "On-time rate (%)", "none": "No agency has anything due yet.",
           "trend": "Indicators against their baseline of {day} (baseline = 100)",
           "index": "Index ({day} = 100)", "target": "Target {value}",
           "missing": "Not enough reports yet", "baseline": "Baseline",
           "latest": "Latest: {value}", "no_data": "not enough reports"},
}

COMMAND_WORDS: dict[str, dict[str, Any]] = {  # what the commands say
    "vi": {"check_ok": "{file}: hợp lệ — {tasks} nhiệm vụ, {deadlines} hạn, {kpis} chỉ tiêu",
           "load_head": ["", "thêm", "sửa", "xóa"], "nothing": "không có thay đổi",
           "what": {"agencies": "cơ quan", "plan": "kế hoạch", "tasks": "nhiệm vụ",
                    "deadlines": "hạn", "kpis": "chỉ tiêu"},
           "agencies_head": ["mã", "tên", "cấp trên"],
           "plans_head": ["mã", "trạng thái", "thời gian", "tên kế hoạch"],
           "states": {"draft": "chưa ban hành", "active": "đang thực hiện",
                      "ended": "hết thời gian thực hiện, vẫn nhắc việc còn nợ",
                      "closed": "đã đóng"},
           "closed": "đã đóng kế hoạch {plan} từ ngày {on}: không nhắc việc nữa",
           "reopened": "đã mở lại kế hoạch {plan} từ ngày {on}",
           "tasks_head": ["mã", "loại", "chủ trì", "tên nhiệm vụ"],
           "report": "báo cáo #{id}: {task} {agency} kỳ {period} → {status} {progress}% ({on})",
           "event": "hạn {rule} của {agency}: {due}",
           "digest_wrote": "đã ghi {n} tệp vào {dir}",
           "digest_none": "không kế hoạch nào có báo cáo tháng {month}",
           "digest_sent": "gửi bản tổng hợp: {sent} đã gửi, {failed} lỗi, "
                          "{already} đã gửi trước đó",
           "simulate_head": ["ngày", "nhắc việc", "báo cấp trên", "số việc"],
           "simulate_totals": "{reminders} tin nhắc việc, {escalations} tin báo cấp trên "
                              "trong {days} ngày",
           "simulate_record": "ghi vào bản sao {record} (của {live}; bản ghi thật không đổi)",
           "simulate_progress": "mô phỏng"},
    "en": {"check_ok": "{file}: OK — {tasks} tasks, {deadlines} deadlines, {kpis} KPIs",
           "load_head": ["", "added", "changed", "removed"], "nothing": "nothing changed",
           "what": {"agencies": "agencies", "plan": "plan", "tasks": "tasks",
                    "deadlines": "deadlines", "kpis": "KPIs"},
           "agencies_head": ["code", "name", "parent"],
           "plans_head": ["key", "state", "period", "title"],
           "states": {"draft": "draft", "active": "active",
                      "ended": "period over, owed work still reminded", "closed": "closed"},
           "closed": "closed plan {plan} from {on}: no more reminders",
           "reopened": "reopened plan {plan} from {on}",
           "tasks_head": ["key", "kind", "lead", "title"],
           "report": "report #{id}: {task} {agency} period {period} → {status} {progress}% ({on})",
           "event": "deadline {rule} for {agency}: due {due}",
           "digest_wrote": "wrote {n} files to {dir}",
           "digest_none": "no plan owes a digest for {month}",
           "digest_sent": "digest sent: {sent} sent, {failed} failed, {already} sent before",
           "simulate_head": ["day", "reminders", "escalations", "items"],
           "simulate_totals": "{reminders} reminders, {escalations} escalations over {days} days",
           "simulate_record": "recorded in the copy {record} (of {live}; the live record is "
                              "unchanged)",
           "simulate_progress": "simulating"},
}

STATUS_WORDS = {  # the status table
    "vi": {"title": "Tình hình thực hiện kế hoạch {plan} đến ngày {day}",
           "kind": "Loại nhiệm vụ", "agency": "Cơ quan", "total": "Tổng", "rate": "Tỷ lệ đúng hạn",
           "due": "Hạn", "task": "Nhiệm vụ", "role": "Vai trò", "period": "Kỳ",
           "status": "Tình trạng", "late": "Trễ (ngày)", "progress": "Tiến độ",
           "all": "Toàn kế hoạch", "none": "Không có hạn nào.",
           "no_plan": "Không có kế hoạch nào đang thực hiện ngày {day}: chọn bằng --plan KEY."},
    "en": {"title": "Status of plan {plan} as of {day}",
           "kind": "Task kind", "agency": "Agency", "total": "Total", "rate": "On-time rate",
           "due": "Due", "task": "Task", "role": "Role", "period": "Period",
           "status": "Status", "late": "Days late", "progress": "Progress",
           "all": "Whole plan", "none": "No deadlines.",
           "no_plan": "No plan is active on {day}: name one with --plan KEY."},
}

RETURNS_WORDS: dict[str, dict[str, Any]] = {  # templates, imports and KPIs
    "vi": {"wrote": "{file}: {owed} hạn trong kỳ, {overdue} hạn quá hạn kỳ trước, "
                    "{kpis} dòng chỉ tiêu",
           "none": "không đơn vị nào có hạn hay chỉ tiêu trong kỳ {period}",
           "imported": "đã nhập {reports} báo cáo và {values} giá trị chỉ tiêu từ {files} tệp "
                       "({unchanged} dòng đã có, bỏ qua)",
           "stale": "{where}: trùng một báo cáo đã nhập trước đây nhưng đã được báo cáo sau "
                    "thay thế — không nhập lại",
           "refused": "không nhập gì: {n} lỗi trong {files} tệp",
           "kpi_title": "Chỉ tiêu kỳ {period} (đến ngày {day})",
           "kpi_head": ["mã", "chỉ tiêu", "toàn tỉnh", "đơn vị tính", "đã báo cáo", "mức cơ sở",
                        "mục tiêu"],
           "no_values": "chưa có giá trị chỉ tiêu nào"},
    "en": {"wrote": "{file}: {owed} deadlines this month, {overdue} overdue from earlier, "
                    "{kpis} KPI rows",
           "none": "no agency owes a deadline or a KPI figure in {period}",
           "imported": "imported {reports} reports and {values} KPI values from {files} files "
                       "({unchanged} rows already in the record, skipped)",
           "stale": "{where}: repeats a report imported earlier that a later one has "
                    "superseded — not imported again",
           "refused": "nothing imported: {n} problem(s) in {files} file(s)",
           "kpi_title": "KPIs for {period} (as of {day})",
           "kpi_head": ["key", "KPI", "province", "unit", "reported", "baseline", "target"],
           "no_values": "no KPI values yet"},
}

WEB_WORDS: dict[str, dict[str, Any]] = {  # the web app: agencies' pages, the board, errors
    "vi": {
        "lang_name": "Tiếng Việt", "other_lang": "English", "as_of": "Tính đến ngày {day}",
        "plan": "Kế hoạch", "task": "Nhiệm vụ", "period": "kỳ", "due": "Hạn",
        "role": "Vai trò", "status": "Tình trạng", "progress": "Tiến độ", "agency": "Cơ quan",
        "page_title": "Báo cáo thực hiện nhiệm vụ",
        "open_title": "Việc cần báo cáo",
        "none_open": "Không còn việc nào chờ báo cáo. Cảm ơn quý cơ quan.",
        "done_title": "Đã báo cáo hoàn thành",
        "days_late": "{n} ngày", "opens": "bắt đầu từ {day}",
        "upcoming": "Chưa đến hạn",
        "done_on": "hoàn thành ngày {day}",
        "last_report": "Báo cáo gần nhất ngày {day}: {progress}%",
        "form_open": "Báo cáo việc này",
        "f_status": "Tình trạng", "f_done": "Đã hoàn thành", "f_in_progress": "Đang thực hiện",
        "f_progress": "Tiến độ (%)", "f_completed": "Ngày hoàn thành (nếu đã xong)",
        "f_note": "Ghi chú (số, ngày văn bản…)", "f_evidence_url": "Link minh chứng",
        "f_evidence_file": "Tệp minh chứng: PDF, ảnh, Word, Excel, PowerPoint; tối đa {mb} MB",
        "f_by": "Người báo cáo", "f_submit": "Gửi báo cáo",
        "saved": "Đã ghi nhận báo cáo #{id}: {task}, kỳ {period} — {status} {progress}%.",
        "duplicate": "Báo cáo này đã được ghi nhận (#{id}); không ghi thêm lần nữa.",
        "refused": "Chưa ghi được báo cáo: {message}",
        "files": "Tệp đã gửi",
        "feed": "Thêm các hạn vào lịch (Outlook, Google Calendar, điện thoại)",
        "feed_name": "Hạn báo cáo — {agency}",
        "link_note": "Đây là đường dẫn riêng của quý cơ quan, dùng được đến ngày {day}; mỗi thư "
                     "nhắc việc mới kèm một đường dẫn mới. Xin không chuyển cho người ngoài.",
        "correct": "Cần sửa báo cáo đã gửi? Xin liên hệ văn phòng theo dõi kế hoạch.",
        "errors": {
            "tampered": ("Đường dẫn không hợp lệ",
                         "Đường dẫn này không đúng hoặc đã bị sửa đổi."),
            "expired": ("Đường dẫn đã hết hạn",
                        "Đường dẫn này đã quá thời hạn sử dụng ({days} ngày kể từ khi gửi)."),
            "revoked": ("Đường dẫn đã bị thu hồi",
                        "Văn phòng đã thu hồi các đường dẫn cũ của quý cơ quan."),
            "form": ("Biểu mẫu không còn hợp lệ",
                     "Biểu mẫu đã mở quá lâu hoặc bị sửa đổi, nên báo cáo chưa được ghi. "
                     "Xin tải lại trang rồi gửi lại."),
            "forbidden": ("Không được phép",
                          "Đường dẫn này chỉ dùng để báo cáo việc của chính cơ quan được gửi "
                          "thư; không ghi gì."),
            "too_large": ("Tệp quá lớn",
                          "Tệp minh chứng tối đa {mb} MB; báo cáo chưa được ghi. Xin nén hoặc "
                          "chuyển tệp sang PDF rồi gửi lại."),
            "not_found": ("Không tìm thấy trang", "Địa chỉ này không có trên hệ thống."),
            "throttled": ("Tạm khóa đăng nhập",
                          "Đăng nhập sai quá nhiều lần. Xin thử lại sau {minutes} phút."),
            "role": ("Không được phép",
                     "Chỉ văn phòng theo dõi kế hoạch mới được báo cáo thay cơ quan."),
            "not_configured": ("Chưa cấu hình", "Máy chủ chưa được cấu hình khóa ký đường dẫn."),
        },
        "error_next": "Xin mở đường dẫn trong thư nhắc việc mới nhất, hoặc liên hệ văn phòng "
                      "theo dõi kế hoạch để được cấp đường dẫn mới.",
        "home_title": "Theo dõi thực hiện kế hoạch",
        "home_text": "Các cơ quan, đơn vị mở trang báo cáo của mình bằng đường dẫn riêng trong "
                     "thư nhắc việc.",
        "home_staff": "Văn phòng và lãnh đạo: đăng nhập để xem bảng theo dõi.",
        "signin_title": "Đăng nhập", "f_user": "Tên đăng nhập", "f_password": "Mật khẩu",
        "signin_button": "Đăng nhập", "wrong_password": "Sai tên đăng nhập hoặc mật khẩu.",
        "board_title": "Bảng theo dõi thực hiện kế hoạch",
        "roles": {"secretariat": "Văn phòng", "leader": "Lãnh đạo"},
        "sign_out": "Đăng xuất", "no_plan": "Không có kế hoạch nào đang thực hiện.",
        "totals": "{total} hạn — tỷ lệ đúng hạn {rate}",
        "answers_title": "Báo cáo qua trang web",
        "answers_none": "Chưa có báo cáo nào qua trang web.",
        "via_link": "đường dẫn của cơ quan", "at": "Thời điểm", "by": "Người gửi",
        "client": "Địa chỉ máy", "evidence": "Minh chứng",
        "digests_title": "Báo cáo tháng", "digests_none": "Chưa có báo cáo tháng nào.",
        "open_agency": {"secretariat": "Xem, báo cáo thay", "leader": "Xem"},
        "staff_agency_title": "Việc của {agency}", "back": "← Bảng theo dõi",
        "cli": {
            "serving": "plantrack web: {url} — bảng theo dõi: {url}/board — Ctrl-C để dừng",
            "no_public": "chưa đặt PLANTRACK_PUBLIC_URL: thư nhắc việc chưa kèm đường dẫn báo "
                         "cáo trực tuyến",
            "revoked": "đã thu hồi mọi đường dẫn của {agency} cấp đến {at}",
            "user_added": "đã tạo tài khoản {name} ({role})",
            "link": "{url}\n(dùng được đến {until})",
            "password": "Mật khẩu", "again": "Nhập lại mật khẩu",
            "mismatch": "hai lần nhập mật khẩu không khớp",
        },
    },
    "en": {
        "lang_name": "English", "other_lang": "Tiếng Việt", "as_of": "As of {day}",
        "plan": "Plan", "task": "Task", "period": "period", "due": "Due",
        "role": "Role", "status": "Status", "progress": "Progress", "agency": "Agency",
        "page_title": "Report on your deadlines",
        "open_title": "Deadlines to report on",
        "none_open": "Nothing is waiting for a report. Thank you.",
        "done_title": "Reported done",
        "days_late": "{n} days", "opens": "opens {day}",
        "upcoming": "Not yet open",
        "done_on": "done {day}",
        "last_report": "Last report {day}: {progress}%",
        "form_open": "Report on this",
        "f_status": "Status", "f_done": "Done", "f_in_progress": "In progress",
        "f_progress": "Progress (%)", "f_completed": "Completed on (if done)",
        "f_note": "Note (document number, date…)", "f_evidence_url": "Evidence link",
        "f_evidence_file": "Evidence file: PDF, image, Word, Excel, PowerPoint; up to {mb} MB",
        "f_by": "Reported by", "f_submit": "Send the report",
        "saved": "Report #{id} recorded: {task}, period {period} — {status} {progress}%.",
        "duplicate": "This report was already recorded (#{id}); nothing was added.",
        "refused": "The report was not recorded: {message}",
        "files": "Files sent",
        "feed": "Add these deadlines to your calendar (Outlook, Google Calendar, phone)",
        "feed_name": "Deadlines — {agency}",
        "link_note": "This link is your agency's own and works until {day}; each new reminder "
                     "brings a fresh one. Please do not pass it on.",
        "correct": "To correct a report already sent, contact the secretariat.",
        "errors": {
            "tampered": ("Invalid link", "This link is wrong or has been altered."),
            "expired": ("Link expired",
                        "This link is past its time ({days} days after it was sent)."),
            "revoked": ("Link revoked", "The secretariat has taken back your earlier links."),
            "form": ("Form no longer valid",
                     "The form was open too long or was altered, so nothing was recorded. "
                     "Reload the page and send it again."),
            "forbidden": ("Not allowed",
                          "This link only reports on its own agency's deadlines; nothing was "
                          "recorded."),
            "too_large": ("File too large",
                          "Evidence files are limited to {mb} MB; nothing was recorded. "
                          "Compress the file or save it as PDF and send it again."),
            "not_found": ("Page not found", "There is no such address here."),
            "throttled": ("Sign-in locked",
                          "Too many failed sign-ins. Try again in {minutes} minutes."),
            "role": ("Not allowed", "Only the secretariat reports for an agency."),
            "not_configured": ("Not configured", "The server has no link-signing key."),
        },
        "error_next": "Open the link in your latest reminder, or ask the secretariat for a "
                      "new one.",
        "home_title": "Work-plan tracking",
        "home_text": "Agencies open their own page with the link in their reminder.",
        "home_staff": "Secretariat and leaders: sign in to see the board.",
        "signin_title": "Sign in", "f_user": "User name", "f_password": "Password",
        "signin_button": "Sign in", "wrong_password": "Wrong user name or password.",
        "board_title": "Plan tracking board",
        "roles": {"secretariat": "Secretariat", "leader": "Leader"},
        "sign_out": "Sign out", "no_plan": "No plan is live.",
        "totals": "{total} deadlines — on-time rate {rate}",
        "answers_title": "Reports sent through the web",
        "answers_none": "No report has come through the web yet.",
        "via_link": "the agency's link", "at": "When", "by": "Sent by",
        "client": "Address", "evidence": "Evidence",
        "digests_title": "Monthly digests", "digests_none": "No monthly digest yet.",
        "open_agency": {"secretariat": "View, report for it", "leader": "View"},
        "staff_agency_title": "{agency}'s deadlines", "back": "← Board",
        "cli": {
            "serving": "plantrack web: {url} — the board: {url}/board — Ctrl-C to stop",
            "no_public": "PLANTRACK_PUBLIC_URL is not set: reminders carry no link",
            "revoked": "took back every link of {agency} issued until {at}",
            "user_added": "account {name} ({role}) created",
            "link": "{url}\n(works until {until})",
            "password": "Password", "again": "Password again",
            "mismatch": "the two passwords differ",
        },
    },
}

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def month_label(month: str, lang: str) -> str:
    """A "YYYY-MM" month as 'tháng 9/2024' or 'September 2024'."""
    y, m = int(month[:4]), int(month[5:])
    return f"tháng {m}/{y}" if lang == "vi" else f"{MONTHS_EN[m - 1]} {y}"


ROMAN = ("I", "II", "III", "IV")


def period_label(period: str, lang: str) -> str:
    """A deadline's period as a reader writes it: '2024-09' → 'tháng 9/2024', '2024-Q3' →
    'quý III/2024', '2024-H2' → '6 tháng cuối năm 2024' (English: 'September 2024', 'Q3 2024',
    'second half of 2024'); anything else as it is."""
    y, _, rest = period.partition("-")
    if not (y.isdigit() and len(y) == 4):
        return period
    if rest.isdigit() and 1 <= int(rest) <= 12 and len(rest) == 2:
        return month_label(period, lang)
    if len(rest) == 2 and rest[0] == "Q" and rest[1] in "1234":
        q = int(rest[1])
        return f"quý {ROMAN[q - 1]}/{y}" if lang == "vi" else f"Q{q} {y}"
    if rest in ("H1", "H2"):
        if lang == "vi":
            return f"6 tháng {'đầu' if rest == 'H1' else 'cuối'} năm {y}"
        return f"{'first' if rest == 'H1' else 'second'} half of {y}"
    return period


def plan_reference(title: str, lang: str) -> str:
    """How a sentence names a plan by its title: 'Kế hoạch nhiệm vụ trọng tâm …' (a title that
    already starts with 'Kế hoạch' as it is), 'the plan “…”'."""
    if not title.strip():
        return "Kế hoạch" if lang == "vi" else "the plan"
    if lang != "vi":
        return title if title.lower().startswith("plan") else f"the plan “{title}”"
    if fold(title).startswith("ke hoach"):
        return title
    first = title[:1].lower() if title[1:2].islower() else title[:1]
    return f"Kế hoạch {first}{title[1:]}"


def date_in_words(day: dt.date, place: str = "") -> str:
    """A document's place and date as Vietnamese offices write them (Nghị định 30/2020/NĐ-CP,
    Hướng dẫn 36-HD/VPTW): 'Hòa Bình, ngày 02 tháng 01 năm 2025' — a day below 10 and the
    months 1 and 2 with a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place + ', ' if place else ''}ngày {day.day:02d} tháng {month} năm {day.year}"


def fmt_num(v: float | None, lang: str, decimals: int = 1, signed: bool = False) -> str:
    """A number the reader's way: 11.441 / 85,5 in Vietnamese; 11,441 / 85.5 in English; '—'
    for nothing."""
    if v is None:
        return "—"
    text = f"{v:{'+' if signed else ''},.{0 if float(v).is_integer() else decimals}f}"
    if signed and v == 0:
        text = text.lstrip("+")
    return text.translate(str.maketrans(",.", ".,")) if lang == "vi" else text


def fmt_pct(v: float | None, lang: str, signed: bool = False) -> str:
    """A percentage (85.5, not 0.855) the reader's way, one decimal: '85,5%' / '85.5%'."""
    return "—" if v is None else fmt_num(round(v, 1), lang, 1, signed) + "%"


def fmt_whole_pct(rate: float | None) -> str:
    """A fraction as a whole percentage, '86%', whatever the language: the command line's
    status tables and the runs' artifacts."""
    return "—" if rate is None else f"{rate * 100:.0f}%"


def fmt_date(d: dt.date | str | None) -> str:
    """A day (or an ISO day) as dd/mm/yyyy, in every language; '' for nothing."""
    if d is None:
        return ""
    return f"{dt.date.fromisoformat(d) if isinstance(d, str) else d:%d/%m/%Y}"


def fmt_figure(v: float) -> str:
    """A KPI figure in messages and the `kpi` command, whatever the language: 4034.0 → '4,034';
    72.5 → '72.5' (up to two decimals)."""
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0")


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


# ── Failures (issue 14): what the command line's one error boundary says when the record, a
# server or a place to write is not usable. Kept in one block; each line says what is wrong and
# what to do. {reason} is the system's or the database driver's own words.
FAILURE_WORDS = {
    "vi": {
        "bad_url": "PLANTRACK_DATABASE_URL không phải địa chỉ cơ sở dữ liệu: ghi "
                   "sqlite:///ĐƯỜNG/DẪN/TỆP.db hoặc postgresql+psycopg://NGƯỜI_DÙNG@MÁY_CHỦ/CSDL",
        "unsupported": "bản ghi {url} là cơ sở dữ liệu {backend}: plantrack lưu bản ghi trong "
                       "SQLite (sqlite:///TỆP.db) hoặc PostgreSQL "
                       "(postgresql+psycopg://NGƯỜI_DÙNG@MÁY_CHỦ/CSDL)",
        "driver": "bản ghi {url} dùng trình điều khiển '{driver}': hãy ghi "
                  "postgresql+psycopg://… (psycopg là trình điều khiển PostgreSQL của plantrack)",
        "cannot_open": "không mở được bản ghi {url} ({reason}): kiểm tra thư mục chứa có tồn tại "
                       "và đọc, ghi được không, hoặc đặt PLANTRACK_DATABASE_URL đúng bản ghi",
        "folder": "bản ghi {url} là một thư mục, không phải tệp: hãy ghi tên một tệp trong đó, "
                  "ví dụ sqlite:///{path}/plantrack.db",
        "not_file": "bản ghi {url} không phải tệp thông thường: hãy ghi một tệp SQLite",
        "not_sqlite": "{path} không phải bản ghi của plantrack (không phải cơ sở dữ liệu SQLite): "
                      "đặt PLANTRACK_DATABASE_URL đúng bản ghi, hoặc chuyển tệp này đi rồi chạy "
                      "`plantrack db upgrade`",
        "damaged": "bản ghi {url} bị hỏng ({reason}): khôi phục từ bản sao lưu, hoặc chuyển nó đi "
                   "rồi chạy `plantrack db upgrade`, sau đó `plantrack plan load TỆP`",
        "read_only": "không ghi được vào bản ghi {url} ({reason}): kiểm tra quyền của tệp và thư "
                     "mục chứa",
        "full": "ổ đĩa chứa bản ghi {url} đã đầy ({reason}): giải phóng dung lượng rồi chạy lại "
                "lệnh",
        "busy": "bản ghi {url} đang bận ({reason}): chạy lại lệnh sau giây lát",
        "io": "không đọc, ghi được bản ghi {url} ({reason}): kiểm tra ổ đĩa",
        "unreachable": "không kết nối được máy chủ cơ sở dữ liệu của {url} ({reason}): khởi động "
                       "máy chủ, hoặc kiểm tra máy chủ và cổng trong PLANTRACK_DATABASE_URL",
        "refused": "máy chủ cơ sở dữ liệu của {url} từ chối kết nối ({reason}): kiểm tra tên người "
                   "dùng, mật khẩu và tên cơ sở dữ liệu trong PLANTRACK_DATABASE_URL",
        "no_right": "người dùng của {url} không có quyền làm việc này ({reason}): cấp quyền, hoặc "
                    "kết nối bằng người dùng sở hữu bản ghi",
        "newer": "bản ghi {url} do một phiên bản plantrack mới hơn tạo (bước chuyển đổi "
                 "{revision}): dùng phiên bản đó, hoặc một bản ghi khác",
        "record_place": "không tạo được bản ghi {url} tại {path} ({reason}): chọn một thư mục ghi "
                        "được trong PLANTRACK_DATABASE_URL",
        "not_a_file": "{path} là một thư mục: hãy ghi tên tệp",
        "cannot_write": "không ghi được vào {path} ({reason}): chọn nơi ghi được",
        "not_a_folder": "{path} là một tệp, không phải thư mục: chọn nơi khác",
        "control_arg": "tham số '{arg}' chứa {char}, một ký tự điều khiển: gõ lại mà không có "
                       "ký tự đó",
        "usage": "{message} (xem `{command} --help`)",
        "os_error": "{path}: {reason}: kiểm tra đường dẫn và quyền đọc, ghi",
        "future_on": "--on: ngày {day} chưa đến: báo cáo được nhập vào hôm nay hoặc một ngày "
                     "đã qua",
    },
    "en": {
        "bad_url": "PLANTRACK_DATABASE_URL is not a database URL: give sqlite:///PATH/TO/FILE.db "
                   "or postgresql+psycopg://USER@HOST/DATABASE",
        "unsupported": "the record {url} is a {backend} database: plantrack keeps its record in "
                       "SQLite (sqlite:///FILE.db) or PostgreSQL "
                       "(postgresql+psycopg://USER@HOST/DATABASE)",
        "driver": "the record {url} names the driver '{driver}': write postgresql+psycopg://… "
                  "(psycopg is plantrack's PostgreSQL driver)",
        "cannot_open": "cannot open the record {url} ({reason}): check that its folder exists "
                       "and can be read and written, or set PLANTRACK_DATABASE_URL to the record",
        "folder": "the record {url} is a folder, not a file: name a file in it, e.g. "
                  "sqlite:///{path}/plantrack.db",
        "not_file": "the record {url} is not a regular file: name a SQLite file",
        "not_sqlite": "{path} is not a plantrack record (not a SQLite database): set "
                      "PLANTRACK_DATABASE_URL to the record, or move this file away and run "
                      "`plantrack db upgrade`",
        "damaged": "the record {url} is damaged ({reason}): restore it from a backup, or move it "
                   "away and run `plantrack db upgrade`, then `plantrack plan load FILE`",
        "read_only": "the record {url} cannot be written ({reason}): check the permissions of "
                     "the file and its folder",
        "full": "the disk of the record {url} is full ({reason}): free some space and run the "
                "command again",
        "busy": "the record {url} is busy ({reason}): run the command again in a moment",
        "io": "the record {url} could not be read or written ({reason}): check the disk",
        "unreachable": "cannot reach the database server of {url} ({reason}): start the server, "
                       "or check the host and port in PLANTRACK_DATABASE_URL",
        "refused": "the database server of {url} refused the connection ({reason}): check the "
                   "user, password and database name in PLANTRACK_DATABASE_URL",
        "no_right": "the user of {url} may not do this ({reason}): grant it the rights, or "
                    "connect as the record's owner",
        "newer": "the record {url} was made by a newer plantrack (migration {revision}): use "
                 "that version of plantrack, or another record",
        "record_place": "cannot create the record {url} at {path} ({reason}): choose a folder "
                        "that can be written in PLANTRACK_DATABASE_URL",
        "not_a_file": "{path} is a folder: give a file name",
        "cannot_write": "cannot write in {path} ({reason}): choose a place that can be written",
        "not_a_folder": "{path} is a file, not a folder: choose another place",
        "control_arg": "the argument '{arg}' contains {char}, a control character: type it "
                       "again without it",
        "usage": "{message} (see `{command} --help`)",
        "os_error": "{path}: {reason}: check the path, and that it can be read and written",
        "future_on": "--on: {day} is in the future: returns are taken in today or on a day "
                     "that has passed",
    },
}
# ── end of the failures block (issue 14)
