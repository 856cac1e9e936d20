"""Every word plantrack says in Vietnamese, in one module a translator edits: the labels of its
tables and documents, the command line's help, and `MESSAGES`, the translation of every sentence
the code writes in English (errors, warnings, plan-check and import problems, run logs).
"""
from __future__ import annotations

from typing import Any

# ── Labels: the words of plantrack's tables, documents, pages and commands, each table with
# the same keys as in en.py (tests/test_words.py checks it); {fields} are filled in by the code.

CATEGORY_LABELS = {
    "done_on_time": "Hoàn thành đúng hạn", "done_late": "Hoàn thành quá hạn",
    "in_progress": "Đang thực hiện trong hạn", "overdue": "Quá hạn", "not_due": "Chưa đến hạn",
}

REPORT_STATUS_LABELS = {"done": "Đã hoàn thành", "in_progress": "Đang thực hiện"}

ROLE_LABELS = {"lead": "Chủ trì", "coordinating": "Phối hợp"}

KIND_LABELS = {
    "leadership": "Lãnh đạo, chỉ đạo", "committee": "Củng cố Ban Chỉ đạo, mô hình",
    "admin-reform": "Cải cách hành chính", "coordination": "Phối hợp",
    "inspection": "Kiểm tra, giám sát, khen thưởng",
}

# The monthly digest: its tables, the workbook's summary sheet and the charts.

PEER_DEFAULTS = {  # the digest's groups of agencies when a plan names none (`peers:`)
    "province": "Các cơ quan, đơn vị cấp tỉnh",
    "district": "Các cơ quan, đơn vị cấp huyện",
    "other": "Các cơ quan, đơn vị khác",
}

TABLE_TITLES = {  # table key -> (sheet name, heading)
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
}

TABLE_LABELS = {  # column headers and row labels
    "kind": "Loại nhiệm vụ", "task": "Nhiệm vụ", "total": "Tổng số", "rate": "Tỷ lệ đúng hạn",
    "progress": "Tiến độ bình quân", "all": "Toàn kế hoạch", "rank": "Hạng",
    "agency": "Cơ quan, đơn vị", "item": "Nội dung", "period": "Kỳ", "due": "Hạn",
    "days_late": "Số ngày quá hạn", "item_progress": "Tiến độ", "reminders": "Đã nhắc",
    "working_days_late": "Số ngày làm việc quá hạn", "escalations": "Đã báo cấp trên",
    "completed_on": "Ngày hoàn thành", "status": "Tình trạng", "owed_by": "Cơ quan phải thực hiện",
    "done": "Đã xong", "kpi": "Chỉ tiêu", "unit": "Đơn vị tính", "baseline": "Mốc {day}",
    "latest": "Số mới nhất", "change": "Tăng/giảm", "change_pct": "Tăng/giảm (%)",
    "target": "Mục tiêu", "reporting": "Đã báo cáo", "msg_kind": "Loại tin", "messages": "Số tin",
    "sent": "Đã gửi", "failed": "Có lỗi", "failed_attempts": "Lượt lỗi",
    "still_failing": "Chưa gửi được", "day": "Ngày", "recipient": "Nơi nhận",
    "attempts": "Số lần lỗi", "last_error": "Lỗi gần nhất", "group": "Khối",
    "due_count": "Đã đến hạn", "reminder": "Nhắc việc", "escalation": "Báo cấp trên", "sum": "Cộng",
}

SUMMARY_LABELS = {  # the workbook's summary sheet
    "sheet": "Tóm tắt", "item": "Mục", "value": "Giá trị", "plan": "Kế hoạch", "month": "Tháng",
    "as_of": "Tính đến ngày", "completed": "Hoàn thành trong tháng",
    "newly_overdue": "Mới quá hạn trong tháng", "coming": "Hạn trong tháng tới",
    "sent": "Tin nhắc việc đã gửi trong tháng", "failing": "Tin nhắc việc chưa gửi được",
}

CHART_LABELS = {  # titles, axes and notes of the charts
    "kinds": "Tình trạng các hạn theo loại nhiệm vụ, đến {day}", "count": "Số hạn (đầu việc)",
    "agencies": "Tỷ lệ hoàn thành đúng hạn của các cơ quan, đến {day}",
    "rate": "Tỷ lệ đúng hạn (%)", "none": "Chưa có cơ quan nào đến hạn.",
    "trend": "Các chỉ tiêu so với mốc {day} (mốc = 100)", "index": "Chỉ số ({day} = 100)",
    "target": "Mục tiêu {value}", "missing": "Chưa đủ số liệu báo cáo", "baseline": "Mốc",
    "latest": "Số mới nhất: {value}", "no_data": "chưa đủ số liệu",
}

COMMAND_WORDS: dict[str, Any] = {  # what the commands say
    "upgraded": "bản ghi đã ở phiên bản mới nhất: {url}",
    "check_ok": "{file}: hợp lệ — {tasks} nhiệm vụ, {deadlines} hạn, {kpis} chỉ tiêu",
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
    "report": "báo cáo #{id}: {task} {agency} {period} → {status} {progress}% ({on})",
    "event": "hạn {rule} của {agency}: {due}", "digest_wrote": "đã ghi {n} tệp vào {dir}",
    "digest_none": "không kế hoạch nào có báo cáo tháng {month}",
    "digest_sent": "gửi bản tổng hợp: {sent} đã gửi, {failed} lỗi, "
                   "{already} đã gửi trước đó",
    "simulate_head": ["ngày", "nhắc việc", "báo cấp trên", "số việc"],
    "simulate_totals": "{reminders} tin nhắc việc, {escalations} tin báo cấp trên "
                       "trong {days} ngày",
    "simulate_record": "ghi vào bản sao {record} (của {live}; bản ghi thật không đổi)",
    "simulate_progress": "mô phỏng",
}

STATUS_WORDS = {  # the status table
    "title": "Tình hình thực hiện kế hoạch {plan} đến ngày {day}", "kind": "Loại nhiệm vụ",
    "agency": "Cơ quan", "total": "Tổng", "rate": "Tỷ lệ đúng hạn", "due": "Hạn",
    "task": "Nhiệm vụ", "role": "Vai trò", "period": "Kỳ", "status": "Tình trạng",
    "late": "Trễ (ngày)", "progress": "Tiến độ", "all": "Toàn kế hoạch",
    "none": "Không có hạn nào.",
    "no_plan": "Không có kế hoạch nào đang thực hiện ngày {day}: chọn bằng --plan KEY.",
}

RETURNS_WORDS: dict[str, Any] = {  # templates, imports and KPIs
    "wrote": "{file}: {owed} hạn trong kỳ, {overdue} hạn quá hạn kỳ trước, "
             "{kpis} dòng chỉ tiêu",
    "none": "không đơn vị nào có hạn hay chỉ tiêu trong {period}",
    "imported": "đã nhập {reports} báo cáo và {values} giá trị chỉ tiêu từ {files} tệp "
                "({unchanged} dòng đã có, bỏ qua)",
    "stale": "{where}: trùng một báo cáo đã nhập trước đây nhưng đã được báo cáo sau "
             "thay thế — không nhập lại",
    "refused": "không nhập gì: {n} lỗi trong {files} tệp",
    "kpi_title": "Số liệu chỉ tiêu {period} (đến ngày {day})",
    "kpi_head": ["mã", "chỉ tiêu", "toàn tỉnh", "đơn vị tính", "đã báo cáo", "mức cơ sở",
                 "mục tiêu"],
    "no_values": "chưa có giá trị chỉ tiêu nào",
}

WEB_WORDS: dict[str, Any] = {  # the web app: agencies' pages, the board, errors
    "lang_name": "Tiếng Việt", "other_lang": "English", "as_of": "Tính đến ngày {day}",
    "plan": "Kế hoạch", "task": "Nhiệm vụ", "period": "kỳ", "due": "Hạn", "role": "Vai trò",
    "status": "Tình trạng", "progress": "Tiến độ", "agency": "Cơ quan",
    "page_title": "Báo cáo thực hiện nhiệm vụ", "open_title": "Việc cần báo cáo",
    "none_open": "Không còn việc nào chờ báo cáo. Cảm ơn quý cơ quan.",
    "done_title": "Đã báo cáo hoàn thành", "days_late": "{n} ngày", "opens": "bắt đầu từ {day}",
    "upcoming": "Chưa đến hạn", "done_on": "hoàn thành ngày {day}",
    "last_report": "Báo cáo gần nhất ngày {day}: {progress}%", "form_open": "Báo cáo việc này",
    "f_status": "Tình trạng", "f_done": "Đã hoàn thành", "f_in_progress": "Đang thực hiện",
    "f_progress": "Tiến độ (%)", "f_completed": "Ngày hoàn thành (nếu đã xong)",
    "f_note": "Ghi chú (số, ngày văn bản…)", "f_evidence_url": "Link minh chứng",
    "f_evidence_file": "Tệp minh chứng: PDF, ảnh, Word, Excel, PowerPoint; tối đa {mb} MB",
    "f_by": "Người báo cáo", "f_submit": "Gửi báo cáo",
    "saved": "Đã ghi nhận báo cáo #{id}: {task}, {period} — {status} {progress}%.",
    "duplicate": "Báo cáo này đã được ghi nhận (#{id}); không ghi thêm lần nữa.",
    "refused": "Chưa ghi được báo cáo: {message}", "files": "Tệp đã gửi",
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
    "roles": {"secretariat": "Văn phòng", "leader": "Lãnh đạo"}, "sign_out": "Đăng xuất",
    "no_plan": "Không có kế hoạch nào đang thực hiện.",
    "totals": "{total} hạn — tỷ lệ đúng hạn {rate}", "answers_title": "Báo cáo qua trang web",
    "answers_none": "Chưa có báo cáo nào qua trang web.", "via_link": "đường dẫn của cơ quan",
    "at": "Thời điểm", "by": "Người gửi", "client": "Địa chỉ máy", "evidence": "Minh chứng",
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
}

# ── Failures (issue 14): what the command line's one error boundary says when the record, a
# server or a place to write is not usable. Kept in one block; each line says what is wrong and
# what to do. {reason} is the system's or the database driver's own words.
ARTIFACT_WORDS = {  # what the runs show in the Prefect UI
    "status_title": "{task} — tình hình đến ngày {day}", "count": "Số hạn",
    "overdue": "Quá hạn", "today": "Nhắc việc hôm nay", "to": "Gửi đến", "kind": "Loại tin",
    "items": "Số việc", "track": "{task}: tình hình đến ngày {day}",
    "track_flow": "Theo dõi một nhiệm vụ loại '{kind}': tình hình và nhắc việc.",
    "day": "Nhắc việc ngày {day}", "month": "Báo cáo tháng {month}: {title}",
}

FAILURE_WORDS = {
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
}
# ── end of the failures block (issue 14)

PERIOD_WORDS = {  # a deadline's period (tasks/words/formats.py period_label)
    "month": "tháng {month}/{year}", "quarter": "quý {roman}/{year}",
    "H1": "6 tháng đầu năm {year}", "H2": "6 tháng cuối năm {year}",
}


# ── Sentences: English template (as written in the code) → Vietnamese, with the same {fields}.
# tests/test_words.py checks that every template in the code is here, and nothing else is.
# Templates built at run time (a variable, not a literal, is passed), so the test cannot see them
# in the code: listed here so it knows they are used.
SAID_ELSEWHERE: tuple[str, ...] = (
    # tasks.digest.docx.NoPdf (an error of its own module, which the catalog test does not scan)
    "LibreOffice (soffice) is not installed to convert the report to PDF: apt-get install "
    "libreoffice-writer",
    "LibreOffice could not convert {name} to PDF: {reason}",
    # tasks.record.lookups.NO_PLAN (a constant, shared with `plantrack plan list`)
    "no plan loaded yet: run `plantrack plan load FILE`",
)

MESSAGES: dict[str, str] = {
    "{day} is a day off ({why}): no reminders": "ngày {day} là ngày nghỉ ({why}): không nhắc việc",
    "{day}: digests of {month} due and not yet sent: {plans}":
        "ngày {day}: báo cáo {month} đến hạn gửi mà chưa gửi: {plans}",
    "{n} messages for {tasks} tasks: {counts}": "{n} tin cho {tasks} nhiệm vụ: {counts}",
    "no plan loaded yet: run `plantrack plan load FILE`":
        "chưa nạp kế hoạch nào: chạy `plantrack plan load TỆP`",
    "no deadline of task '{task}' for agency '{agency}' in period '{period}'":
        "nhiệm vụ '{task}' không có hạn nào của cơ quan '{agency}' trong kỳ '{period}'",
    "no plan '{key}' in the record (there are: {keys})":
        "bản ghi không có kế hoạch '{key}' (các kế hoạch hiện có: {keys})",
    "no plan is active on {day} ({keys}): name one with --plan KEY":
        "không có kế hoạch nào đang thực hiện ngày {day} ({keys}): chọn một kế hoạch bằng "
        "--plan MÃ",
    "refusing to remove tasks that have reports: {tasks}":
        "không xóa các nhiệm vụ đã có báo cáo: {tasks}",
    "refusing to remove {n} deadlines that have reports":
        "không xóa {n} hạn đã có báo cáo",
    "task '{task}' has {n} deadlines for '{agency}' in '{period}': name one with --rule ({rules})":
        "nhiệm vụ '{task}' có {n} hạn của '{agency}' trong kỳ '{period}': chọn một hạn bằng "
        "--rule ({rules})",
    "unknown task '{task}'": "không có nhiệm vụ '{task}'",
    "{n} plans are active ({keys}): name one with --plan KEY":
        "có {n} kế hoạch đang thực hiện ({keys}): chọn một kế hoạch bằng --plan MÃ",
    "no usable channel: {missing}": "không có kênh gửi dùng được: {missing}",
    "not sent: the record failed ({reason}) before it was queued; `plantrack remind --as-of "
    "{day}` sends it once the record is back":
        "chưa gửi: bản ghi gặp lỗi ({reason}) trước khi tin được xếp hàng; khi bản ghi hoạt "
        "động lại, `plantrack remind --as-of {day}` sẽ gửi tin",
    "not sent: the record failed ({reason}); it stays queued and a run from {time} sends it":
        "chưa gửi: bản ghi gặp lỗi ({reason}); tin vẫn trong hàng chờ và lần chạy từ {time} sẽ "
        "gửi",
    "not sent: the record failed ({reason}); a run from {time} tries it":
        "chưa gửi: bản ghi gặp lỗi ({reason}); lần chạy từ {time} sẽ gửi lại",
    "sent through {ok} of {n} channel(s)": "đã gửi qua {ok}/{n} kênh",
    "not delivered ({errors})": "chưa gửi được ({errors})",
    "a run from {time} sends it again — the receiver may get a second copy, with the same key":
        "lần chạy từ {time} sẽ gửi lại — nơi nhận có thể nhận thêm một bản, cùng mã tin",
    "a run from {time} tries again": "lần chạy từ {time} sẽ gửi lại",
    "{did}, but the outcome could not be recorded: the record failed ({reason}); {again}":
        "{did}, nhưng không ghi được kết quả: bản ghi gặp lỗi ({reason}); {again}",
    "{status} by another run; taken over from {time} if that run has not settled it":
        "{status} bởi một lần chạy khác; nếu lần chạy đó chưa xong, từ {time} lần chạy này sẽ "
        "nhận lại",
    "nothing sent: the record failed ({reason})": "chưa gửi tin nào: bản ghi gặp lỗi ({reason})",
    "… and {n} more (see the run's logs)": "… và {n} tin nữa (xem nhật ký của lần chạy)",
    "the record failed: {reason}": "bản ghi gặp lỗi: {reason}",
    "messages undelivered: {n}": "số tin chưa gửi được: {n}",
    "undelivered: {line}": "chưa gửi được: {line}",
    "unknown status '{text}' (use: hoàn thành, đang thực hiện; or done, in_progress)":
        "không rõ tình trạng '{text}' (ghi: hoàn thành, đang thực hiện)",
    # ── the catalog's own example, and the words many messages share
    "{field}: '{lang}' is not {choices}": "{field}: '{lang}' không phải là {choices}",
    "{field}: {problem}": "{field}: {problem}",
    "{first} or {last}": "{first} hoặc {last}",
    "{first} and {last}": "{first} và {last}",
    "unknown agency '{code}'{unseen}": "không có cơ quan '{code}' trong danh mục{unseen}",
    " (it contains {chars}, which cannot be seen: type it again)":
        " (có chứa {chars}, là ký tự không nhìn thấy được: hãy gõ lại)",
    "{n} problem(s); nothing imported": "{n} lỗi; chưa nhập gì",
    "none": "không có",
    "nobody": "không cơ quan nào",
    "the file is empty": "tệp trống",
    "this is a folder, not a file": "đây là một thư mục, không phải tệp",
    # ── days, months and periods (tasks/calendar.py)
    "'{text}' is not a date (use dd/mm/yyyy or yyyy-mm-dd)":
        "'{text}' không phải là ngày (ghi theo dạng dd/mm/yyyy hoặc yyyy-mm-dd)",
    "{day} is not a day plantrack works with (from {first} to {last})":
        "{day} nằm ngoài khoảng ngày plantrack làm việc (từ {first} đến {last})",
    "'{text}' is not a month (YYYY-MM, e.g. 2024-09)":
        "'{text}' không phải là tháng (ghi theo dạng YYYY-MM, ví dụ 2024-09)",
    "{text} is not a month plantrack works with (from {first} to {last})":
        "{text} nằm ngoài khoảng tháng plantrack làm việc (từ {first} đến {last})",
    "'{label}' is not a period (a month 2024-09, a quarter 2024-Q3, a half-year 2024-H2, a year "
    "2024 or a day 2024-09-30)":
        "'{label}' không phải là kỳ báo cáo (tháng: 2024-09, quý: 2024-Q3, 6 tháng: 2024-H2, "
        "năm: 2024 hoặc ngày: 2024-09-30)",
    # ── plan files read as YAML (tasks/plan/source.py)
    "there is no such file": "không có tệp này",
    "cannot read it: {reason}": "không đọc được tệp: {reason}",
    "not a regular file (a device, a pipe or a socket): give a YAML file":
        "không phải tệp thông thường (là thiết bị, đường ống hoặc socket): hãy chỉ ra một tệp "
        "YAML",
    "{size} MB": "{size} MB",
    "too large: {size} (a plan file or agency directory is at most {most}; a national plan's is "
    "under 1 MB)":
        "tệp quá lớn: {size} (tệp kế hoạch hoặc danh mục cơ quan tối đa {most}; kế hoạch cấp "
        "quốc gia cũng chưa đến 1 MB)",
    "too large: more than {most}": "tệp quá lớn: hơn {most}",
    "control character {char} at column {column}: remove it":
        "có ký tự điều khiển {char} ở cột {column}: hãy xoá ký tự này",
    "{n} more control characters: is this a text file?":
        "còn {n} ký tự điều khiển khác: đây có phải tệp văn bản không?",
    "save it as UTF-8 (in Notepad: Save As, Encoding UTF-8)":
        "hãy lưu lại theo bảng mã UTF-8 (trong Notepad: Save As, mục Encoding chọn UTF-8)",
    "the file is {name} text (it starts with a {name} byte-order mark): {save}":
        "tệp được lưu theo bảng mã {name} (bắt đầu bằng dấu BOM của {name}): {save}",
    "the file looks like UTF-16 text (every other byte is zero): {save}":
        "tệp có vẻ được lưu theo bảng mã UTF-16 (cứ cách một byte lại có một byte 0): {save}",
    "not a text file (it contains zero bytes): give the YAML file":
        "không phải tệp văn bản (có chứa byte 0): hãy chỉ ra tệp YAML",
    ", probably Windows-1258 (Vietnamese Windows)":
        ", có lẽ là bảng mã Windows-1258 (Windows tiếng Việt)",
    "the file is not UTF-8 text (byte 0x{byte} on this line{guess}): {save}":
        "tệp không theo bảng mã UTF-8 (byte 0x{byte} ở dòng này{guess}): {save}",
    "malformed YAML: {problem}": "YAML viết sai cú pháp: {problem}",
    "nested more than {most} levels deep: a plan nests its mappings and lists about 10 levels "
    "deep":
        "lồng nhau quá {most} cấp: một kế hoạch chỉ lồng các nhóm trường và danh sách khoảng "
        "10 cấp",
    "aliases (*name and <<: *name) repeat more than {most} values: an alias should repeat a "
    "short list or a few settings, not multiply them":
        "các bí danh (*tên và <<: *tên) lặp lại hơn {most} giá trị: bí danh chỉ nên lặp lại một "
        "danh sách ngắn hoặc vài thiết lập, không nhân chúng lên",
    "an alias refers to itself": "bí danh tự tham chiếu đến chính nó",
    "<< merges only mappings": "<< chỉ gộp được các nhóm trường (tên: giá trị)",
    "control character {char} in '{text}': remove it":
        "có ký tự điều khiển {char} trong '{text}': hãy xoá ký tự này",
    "a key must be a plain word, not a list or mapping":
        "tên trường phải là một từ, không phải danh sách hay nhóm trường",
    "duplicate key '{key}'": "trường '{key}' bị ghi trùng",
    # ── plan files checked (tasks/plan/validate.py, tasks/plan/schema.py)
    "bad recurrence: {problem}": "lịch lặp lại không hợp lệ: {problem}",
    "channels are given as {env: NAME} or {secret: NAME}: put the URL in the environment "
    "variable, not in this file":
        "kênh nhận tin được ghi dạng {env: NAME} hoặc {secret: NAME}: hãy đặt địa chỉ URL trong "
        "biến môi trường, không ghi vào tệp này",
    "an agency code: capital letters, digits and dashes, e.g. SNV or BDV-MAICHAU":
        "mã cơ quan: chữ in hoa, chữ số và dấu gạch ngang, ví dụ SNV hoặc BDV-MAICHAU",
    "an environment variable name: capital letters, digits and _, e.g. PLANTRACK_SNV_EMAIL":
        "tên biến môi trường: chữ in hoa, chữ số và dấu _, ví dụ PLANTRACK_SNV_EMAIL",
    "a Prefect Secret block name: lower-case letters, digits and dashes, e.g. snv-email":
        "tên khối Secret của Prefect: chữ thường, chữ số và dấu gạch ngang, ví dụ snv-email",
    "a key: lower-case letters, digits and dashes, starting with a letter or digit, e.g. "
    "admin-reform":
        "mã: chữ thường, chữ số và dấu gạch ngang, bắt đầu bằng chữ hoặc số, ví dụ admin-reform",
    "a mapping": "một nhóm trường",
    "a list": "một danh sách",
    "nothing": "giá trị trống",
    "the allowed values": "các giá trị cho phép",
    "required field is missing": "thiếu trường bắt buộc",
    "unknown field{unseen}": "trường không hợp lệ{unseen}",
    "expected a mapping (name: value lines), not {what}":
        "cần một nhóm trường (các dòng tên: giá trị), không phải {what}",
    "expected a list ([A, B], or lines starting with '- '), not {what}":
        "cần một danh sách ([A, B], hoặc các dòng bắt đầu bằng '- '), không phải {what}",
    "expected text, not {what}": "cần một đoạn chữ, không phải {what}",
    "expected a whole number, not {what}": "cần một số nguyên, không phải {what}",
    "expected a number, not {what}": "cần một số, không phải {what}",
    "expected true or false, not {what}": "cần true hoặc false, không phải {what}",
    "{what} is not a date (YYYY-MM-DD, e.g. 2024-09-30)":
        "{what} không phải là ngày (ghi theo dạng YYYY-MM-DD, ví dụ 2024-09-30)",
    "{what} is not one of {choices}": "{what} không thuộc các giá trị {choices}",
    "{bound} or more": "từ {bound} trở lên",
    "{bound} or less": "từ {bound} trở xuống",
    "more than {bound}": "lớn hơn {bound}",
    "less than {bound}": "nhỏ hơn {bound}",
    "must be {how}, not {what}": "phải {how}, không phải {what}",
    "{what} is not {form}{unseen}": "{what} không đúng dạng {form}{unseen}",
    "{what} is not written as this field needs{unseen}":
        "{what} không đúng cách ghi của trường này{unseen}",
    "the plan": "kế hoạch",
    "this is a plan file, not an agency directory: `directory:` in {plan} should name the agency "
    "directory (a file that starts with agencies:)":
        "đây là tệp kế hoạch, không phải danh mục cơ quan: `directory:` trong {plan} phải chỉ "
        "đến tệp danh mục cơ quan (tệp bắt đầu bằng agencies:)",
    "not an agency directory: it should start with agencies: and list each agency (code, "
    "name_vi, name_en …), not be {what}":
        "không phải danh mục cơ quan: danh mục phải bắt đầu bằng agencies: và liệt kê từng cơ "
        "quan (code, name_vi, name_en …), không phải là {what}",
    "duplicate agency code '{code}'": "mã cơ quan '{code}' bị trùng",
    "'{code}' cannot be its own parent: name the agency that hears its escalations, or none":
        "'{code}' không thể là cơ quan cấp trên của chính mình: hãy ghi cơ quan được báo cáo "
        "khi đơn vị chậm hạn, hoặc để trống",
    "the parents form a cycle: {ring}: an escalation would go round it for ever; break the cycle":
        "các cơ quan cấp trên tạo thành vòng lặp: {ring}: việc đôn đốc sẽ xoay vòng mãi; hãy "
        "sửa để bỏ vòng lặp",
    "'{code}' cannot be reached via itself": "'{code}' không thể nhận tin qua chính mình",
    "'{via}' is itself reached via '{further}': name the agency that receives the messages":
        "'{via}' lại nhận tin qua '{further}': hãy ghi cơ quan trực tiếp nhận tin",
    "'{via}' is never notified (notify: false): name an agency that is":
        "'{via}' không nhận thông báo (notify: false): hãy ghi một cơ quan có nhận thông báo",
    "duplicate task key '{key}'": "mã nhiệm vụ '{key}' bị trùng",
    "a task needs at least one lead agency": "nhiệm vụ cần có ít nhất một cơ quan chủ trì",
    "unknown task '{key}'": "không có nhiệm vụ '{key}'",
    "duplicate deadline key '{key}'": "mã hạn '{key}' bị trùng",
    "owed by coordinating agencies, but the task has none":
        "hạn giao cho cơ quan phối hợp, nhưng nhiệm vụ không có cơ quan phối hợp nào",
    "date {day} is outside the plan's period ({start}–{end})":
        "ngày {day} nằm ngoài thời gian thực hiện kế hoạch ({start}–{end})",
    "bad recurrence: no occurrence within the plan's period":
        "lịch lặp lại không hợp lệ: không có lần nào trong thời gian thực hiện kế hoạch",
    "opens on {opens}, after its date {day}": "ngày bắt đầu {opens} sau ngày đến hạn {day}",
    "bad recurrence: start is after end":
        "lịch lặp lại không hợp lệ: tháng bắt đầu sau tháng kết thúc",
    "unknown event kind '{kind}' (declare it under events)":
        "không có loại sự kiện '{kind}' (hãy khai báo trong mục events)",
    "twice as {role}": "hai lần với vai trò {role}",
    "as both lead and coordinating": "vừa là cơ quan chủ trì vừa là cơ quan phối hợp",
    "agency '{code}' is listed {how}: an agency is listed at most once per task":
        "cơ quan '{code}' được ghi {how}: mỗi cơ quan chỉ được ghi một lần trong một nhiệm vụ",
    "cycle in task nesting: {key} is its own ancestor":
        "nhiệm vụ lồng nhau thành vòng lặp: {key} là nhiệm vụ cấp trên của chính nó",
    "duplicate KPI key '{key}'": "mã chỉ tiêu '{key}' bị trùng",
    "duplicate breakdown key '{key}'": "mã phần '{key}' bị trùng",
    "duplicate event kind key '{key}'": "mã loại sự kiện '{key}' bị trùng",
    "{value} is below 0: a KPI counts something or is an index, never negative (a cut is a "
    "target's change_pct, e.g. -30)":
        "{value} nhỏ hơn 0: chỉ tiêu là số đếm hoặc chỉ số, không bao giờ âm (mức giảm ghi ở "
        "change_pct của mục tiêu, ví dụ -30)",
    "the breakdown's baselines add up to {sum}, not the baseline {baseline}":
        "tổng giá trị gốc của các phần là {sum}, không bằng giá trị gốc {baseline}",
    "unknown KPI '{key}'": "không có chỉ tiêu '{key}'",
    "baseline {value} is more than '{key}' ({bound})":
        "giá trị gốc {value} lớn hơn của '{key}' ({bound})",
    "this is an agency directory, not a plan: give the plan file (the one that names this "
    "directory with directory:)":
        "đây là danh mục cơ quan, không phải kế hoạch: hãy chỉ ra tệp kế hoạch (tệp ghi tên "
        "danh mục này ở directory:)",
    "not a plan: a plan file is a mapping of fields (key:, title_vi:, period:, tasks: …), not "
    "{what}":
        "không phải kế hoạch: tệp kế hoạch là một nhóm trường (key:, title_vi:, period:, "
        "tasks: …), không phải {what}",
    "date {day} is outside the plan's period":
        "ngày {day} nằm ngoài thời gian thực hiện kế hoạch",
    "the period is longer than {years} years: split the plan into plans of a few years each":
        "thời gian thực hiện dài hơn {years} năm: hãy tách thành các kế hoạch, mỗi kế hoạch vài "
        "năm",
    "the plan makes {made} deadlines, more than {most}: split it into several plans":
        "kế hoạch tạo ra {made} hạn, nhiều hơn mức tối đa {most}: hãy tách thành nhiều kế hoạch",
    "it is never reminded": "hạn này sẽ không được nhắc",
    "they are never reminded": "các hạn này sẽ không được nhắc",
    "warning: due {due}, before the plan was issued ({issued}): {never}":
        "lưu ý: đến hạn ngày {due}, trước ngày ban hành kế hoạch ({issued}): {never}",
    "give exactly one of env (a variable name) or secret (a block name)":
        "ghi đúng một trong hai: env (tên biến môi trường) hoặc secret (tên khối Secret)",
    "must be {most} or more: a parent is told about a late deadline at most once a working week":
        "phải từ {most} trở lên: cơ quan cấp trên được báo về một hạn chậm nhiều nhất mỗi tuần "
        "làm việc một lần",
    "before: working days must be 1 or more": "before: số ngày làm việc phải từ 1 trở lên",
    "overdue_thin: give the steps in order, each `after` larger than the one before":
        "overdue_thin: ghi các bước theo thứ tự, mỗi `after` lớn hơn bước trước",
    "bad recurrence: give exactly one of date, monthly, quarterly, triggered_by{got}":
        "lịch lặp lại không hợp lệ: ghi đúng một trong date, monthly, quarterly, "
        "triggered_by{got}",
    " (got {given})": " (đang ghi {given})",
    "end is before start": "ngày kết thúc trước ngày bắt đầu",
    # ── reports, events and plans in the record (tasks/record/)
    "status": "tình trạng",
    "progress": "tiến độ",
    "date": "ngày",
    "completed on": "ngày hoàn thành",
    "evidence": "minh chứng",
    "unknown status '{status}'": "không có tình trạng '{status}'",
    "{progress} is not between 0 and 100": "{progress} không nằm trong khoảng 0 đến 100",
    "a done report has progress 100, not {progress}":
        "báo cáo đã hoàn thành phải có tiến độ 100, không phải {progress}",
    "{day} is in the future": "{day} là ngày trong tương lai",
    "only a done report has a completion date": "chỉ báo cáo đã hoàn thành mới có ngày hoàn thành",
    "{completed} is after the report's date {day}": "{completed} sau ngày báo cáo {day}",
    "'{url}' is not an http(s) link": "'{url}' không phải đường dẫn http(s)",
    "{day} is outside the plan's period": "{day} nằm ngoài thời gian thực hiện kế hoạch",
    "unknown event kind '{kind}' (known: {known})":
        "không có loại sự kiện '{kind}' (các loại hiện có: {known})",
    "event '{kind}' of '{agency}' on {day} is already recorded":
        "sự kiện '{kind}' của '{agency}' ngày {day} đã được ghi nhận",
    "event '{kind}' triggers no deadline for agency '{agency}'":
        "sự kiện '{kind}' không phát sinh hạn nào cho cơ quan '{agency}'",
    "plan '{plan}' is already closed on {day}": "kế hoạch '{plan}' đã đóng vào ngày {day}",
    "plan '{plan}' is not closed on {day}": "kế hoạch '{plan}' chưa đóng vào ngày {day}",
    "run `plantrack db upgrade`, then `plantrack plan load FILE`":
        "chạy `plantrack db upgrade`, rồi `plantrack plan load TỆP`",
    "the table '{name}'": "bảng '{name}'",
    "its tables": "các bảng dữ liệu",
    "the record {url} does not have {tables} yet: {what_to_run}":
        "bản ghi {url} chưa có {tables}: {what_to_run}",
    "there is no record at {url}: {what_to_run} (or set PLANTRACK_DATABASE_URL to the record)":
        "chưa có bản ghi tại {url}: {what_to_run} (hoặc đặt PLANTRACK_DATABASE_URL chỉ đến bản "
        "ghi)",
    # ── KPI values (tasks/kpi.py)
    "agency": "cơ quan",
    "part": "phần",
    "period": "kỳ",
    "month": "tháng",
    "value": "giá trị",
    "'{agency}' does not report KPI '{kpi}' (reported by: {by})":
        "'{agency}' không báo cáo chỉ tiêu '{kpi}' (cơ quan báo cáo: {by})",
    "KPI '{kpi}' has no part '{part}' (parts: {parts})":
        "chỉ tiêu '{kpi}' không có phần '{part}' (các phần: {parts})",
    "none; leave it blank for the total": "không có; để trống khi báo cáo số tổng",
    "{value} breaks rule non-negative (a count or index is never below 0)":
        "{value} vi phạm quy tắc không âm (số đếm hoặc chỉ số không bao giờ nhỏ hơn 0)",
    "breaks rule parts_sum_to_total of '{key}': the parts ({parts}) add up to {added}, the total "
    "is {total}":
        "vi phạm quy tắc parts_sum_to_total của '{key}': tổng các phần ({parts}) là {added}, "
        "số tổng là {total}",
    "breaks rule at_most of '{key}': {total} is more than '{bound}' ({most}) for the same agency "
    "and period":
        "vi phạm quy tắc at_most của '{key}': {total} lớn hơn '{bound}' ({most}) của cùng cơ "
        "quan, cùng kỳ",
    # ── returns (tasks/returns/)
    "'{text}' is not a number": "'{text}' không phải là số",
    "'{text}' is not a whole percentage": "'{text}' không phải là tỷ lệ phần trăm nguyên",
    "required: this column says what the row is about (copy it from the template)":
        "bắt buộc: cột này cho biết dòng báo cáo về việc gì (chép lại từ biểu mẫu)",
    "'{key}'{unseen}": "'{key}'{unseen}",
    "control character {char} in this cell: remove it":
        "có ký tự điều khiển {char} trong ô này: hãy xoá ký tự này",
    "unknown task '{task}' in plan {plan}": "không có nhiệm vụ '{task}' trong kế hoạch {plan}",
    "agency '{agency}' owes nothing on task '{task}' (wrong agency?)":
        "cơ quan '{agency}' không có hạn nào của nhiệm vụ '{task}' (ghi nhầm cơ quan?)",
    "no deadline '{rule}' of task '{task}' for '{agency}' in period '{period}'":
        "không có hạn '{rule}' của nhiệm vụ '{task}' cho '{agency}' trong kỳ '{period}'",
    "required: Hoàn thành or Đang thực hiện": "bắt buộc: Hoàn thành hoặc Đang thực hiện",
    "unknown KPI '{kpi}' (known: {known})": "không có chỉ tiêu '{kpi}' (các chỉ tiêu: {known})",
    "report": "báo cáo",
    "kpi": "số liệu chỉ tiêu",
    "the same {what} is also given at {source} with other values: keep one":
        "{what} này cũng có ở {source} với số liệu khác: chỉ giữ lại một",
    "nothing filled in: every status and value is blank":
        "chưa điền gì: mọi ô tình trạng và giá trị đều trống",
    "another import wrote some of these rows at the same moment; nothing was imported: run the "
    "command again":
        "một lần nhập khác đã ghi một số dòng này cùng lúc; chưa nhập gì: hãy chạy lại lệnh",
    "more than {most} rows (blank rows count too): a return is a few dozen rows; delete the rows "
    "below the table, or split the file":
        "hơn {most} dòng (tính cả dòng trống): một báo cáo chỉ có vài chục dòng; hãy xoá các dòng "
        "bên dưới bảng, hoặc tách tệp",
    "no header row of a return in its first {rows} rows (Mã đơn vị, Mã nhiệm vụ, Mã hạn, Kỳ, "
    "Tình trạng … or Mã đơn vị, Mã chỉ tiêu, Mã phần, Kỳ, Giá trị kỳ này): copy the sheet again "
    "from the template, or delete the sheet":
        "không có dòng tiêu đề của biểu báo cáo trong {rows} dòng đầu (Mã đơn vị, Mã nhiệm vụ, "
        "Mã hạn, Kỳ, Tình trạng … hoặc Mã đơn vị, Mã chỉ tiêu, Mã phần, Kỳ, Giá trị kỳ này): "
        "hãy chép lại trang tính từ biểu mẫu, hoặc xoá trang tính này",
    " (they say what each row is about: copy them back from the template, where they are hidden "
    "at the left)":
        " (các cột này cho biết mỗi dòng báo cáo về việc gì: hãy chép lại từ biểu mẫu, nơi "
        "chúng được ẩn ở bên trái)",
    "missing columns {headers}{keys}": "thiếu các cột {headers}{keys}",
    "missing column {headers}{keys}": "thiếu cột {headers}{keys}",
    "cell {ref} holds a formula (={formula}) with no saved value: open the file in Excel and "
    "save it again, or type the value instead of the formula":
        "ô {ref} chứa công thức (={formula}) chưa có giá trị được lưu: hãy mở tệp bằng Excel rồi "
        "lưu lại, hoặc gõ giá trị thay cho công thức",
    "cells {ref} are merged: unmerge them and give every row its own values":
        "các ô {ref} bị gộp: hãy bỏ gộp ô và điền số liệu riêng cho từng dòng",
    "too large: {size} MB once unpacked (at most {most} MB)":
        "tệp quá lớn: {size} MB khi giải nén (tối đa {most} MB)",
    "not a readable .xlsx workbook ({kind}: {reason})":
        "không đọc được tệp .xlsx ({kind}: {reason})",
    "binary data, not CSV text": "dữ liệu nhị phân, không phải tệp CSV",
    "malformed CSV: {reason}": "tệp CSV sai định dạng: {reason}",
    "an old-style .xls workbook: save it as .xlsx":
        "tệp Excel .xls kiểu cũ: hãy lưu lại dạng .xlsx",
    "a PNG image": "một ảnh PNG",
    "a PDF document": "một tài liệu PDF",
    "a JPEG image": "một ảnh JPEG",
    "unknown file type '{suffix}' (send .xlsx or .csv)":
        "không nhận loại tệp '{suffix}' (hãy gửi tệp .xlsx hoặc .csv)",
    "not a regular file (a device, a pipe or a socket): give the return file itself":
        "không phải tệp thông thường (là thiết bị, đường ống hoặc socket): hãy chỉ ra chính tệp "
        "báo cáo",
    "too large: {size} MB (at most {most} MB)": "tệp quá lớn: {size} MB (tối đa {most} MB)",
    "too large: more than {most} MB": "tệp quá lớn: hơn {most} MB",
    "cannot read: {reason}": "không đọc được: {reason}",
    "not an .xlsx workbook: it is {kind}": "không phải tệp .xlsx: đây là {kind}",
    "not an .xlsx workbook (it is not a zip archive; text or another format renamed .xlsx?)":
        "không phải tệp .xlsx (không phải tệp nén zip; có phải tệp văn bản hoặc định dạng khác "
        "bị đổi đuôi thành .xlsx?)",
    "no sheet has the columns of a return (Mã đơn vị, Mã nhiệm vụ, Mã hạn, Kỳ, Tình trạng … or "
    "Mã đơn vị, Mã chỉ tiêu, Mã phần, Kỳ, Giá trị kỳ này)":
        "không trang tính nào có các cột của biểu báo cáo (Mã đơn vị, Mã nhiệm vụ, Mã hạn, Kỳ, "
        "Tình trạng … hoặc Mã đơn vị, Mã chỉ tiêu, Mã phần, Kỳ, Giá trị kỳ này)",
    # ── the web app (tasks/web/, flows/cli/web.py)
    "name": "tên",
    "role": "vai trò",
    "password": "mật khẩu",
    "'{name}' is not 2–40 lower-case letters, digits, '.', '_' or '-'":
        "'{name}' phải gồm 2–40 ký tự là chữ thường, chữ số, '.', '_' hoặc '-'",
    "'{role}' is not {choices}": "'{role}' không phải là {choices}",
    "at least {n} characters": "ít nhất {n} ký tự",
    "an account '{name}' already exists": "tài khoản '{name}' đã có",
    "'{text}' is not a whole number": "'{text}' không phải là số nguyên",
    "plan '{plan}' takes no reports on {day}":
        "kế hoạch '{plan}' không nhận báo cáo vào ngày {day}",
    "no evidence file #{id}": "không có tệp minh chứng số {id}",
    "evidence file": "tệp minh chứng",
    "a PDF, an image (PNG, JPEG, WebP, HEIC) or an office document (Word, Excel, PowerPoint)":
        "tệp PDF, ảnh (PNG, JPEG, WebP, HEIC) hoặc văn bản (Word, Excel, PowerPoint)",
    "an office document with macros is not accepted (save it as .docx, .xlsx or .pptx without "
    "macros, or as PDF)":
        "không nhận văn bản có macro (hãy lưu lại dạng .docx, .xlsx hoặc .pptx không có macro, "
        "hoặc dạng PDF)",
    "{size} MB is more than the {most} MB allowed": "{size} MB vượt quá mức cho phép {most} MB",
    "'{name}' is not {what}": "'{name}' không phải là {what}",
    "'{name}' is a {kind} file by its content, not a {ext}":
        "theo nội dung, '{name}' là tệp {kind}, không phải tệp {ext}",
    "file without extension": "không có đuôi",
    "set PLANTRACK_WEB_SECRET to a random string of 32 characters or more, e.g. the output of: "
    "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'":
        "hãy đặt PLANTRACK_WEB_SECRET là một chuỗi ngẫu nhiên từ 32 ký tự trở lên, ví dụ kết quả "
        "của lệnh: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'",
    "set PLANTRACK_PUBLIC_URL to the app's public address, e.g. https://plantrack.example.gov.vn":
        "hãy đặt PLANTRACK_PUBLIC_URL là địa chỉ công khai của ứng dụng, ví dụ "
        "https://plantrack.example.gov.vn",
    # ── the monthly report, the replay, settings, reminders
    "{file}:{line}: unknown section “{title}” — the sections are: Hạn chế, nguyên nhân; Nhiệm "
    "vụ trọng tâm tháng tới; Đề xuất, kiến nghị":
        "{file}:{line}: không rõ mục “{title}” — các mục là: Hạn chế, nguyên nhân; Nhiệm vụ "
        "trọng tâm tháng tới; Đề xuất, kiến nghị",
    "{file}:{line}: text must come under a section (## Hạn chế, nguyên nhân; ## Nhiệm vụ trọng "
    "tâm tháng tới; ## Đề xuất, kiến nghị)":
        "{file}:{line}: nội dung phải nằm dưới một mục (## Hạn chế, nguyên nhân; ## Nhiệm vụ "
        "trọng tâm tháng tới; ## Đề xuất, kiến nghị)",
    "LibreOffice (soffice) is not installed to convert the report to PDF: apt-get install "
    "libreoffice-writer":
        "chưa cài LibreOffice (soffice) để chuyển báo cáo sang PDF: apt-get install "
        "libreoffice-writer",
    "LibreOffice could not convert {name} to PDF: {reason}":
        "LibreOffice không chuyển được {name} sang PDF: {reason}",
    "the period ends ({end}) before it starts ({start})":
        "thời gian kết thúc ({end}) trước thời gian bắt đầu ({start})",
    "the period {start}–{end} is {days} days long; simulate replays at most {most} days at a "
    "time":
        "khoảng thời gian {start}–{end} dài {days} ngày; simulate chỉ chạy lại tối đa {most} "
        "ngày mỗi lần",
    "simulate works on a copy of the record and copies only a SQLite file, not {url}: point "
    "PLANTRACK_DATABASE_URL at a SQLite record for this command":
        "simulate làm việc trên bản sao của bản ghi và chỉ sao được tệp SQLite, không sao được "
        "{url}: hãy đặt PLANTRACK_DATABASE_URL chỉ đến một bản ghi SQLite khi chạy lệnh này",
    "{record} is the live record, the one `remind` sends from: simulate writes only into a copy "
    "of it; name another file":
        "{record} là bản ghi đang dùng, nơi `remind` gửi nhắc việc: simulate chỉ ghi vào bản sao; "
        "hãy chọn tệp khác",
    "{name}={value}: give a positive number (default {default})":
        "{name}={value}: hãy ghi một số dương (mặc định {default})",
    "{day}: no reminders": "{day}: không có nhắc việc",
}

# ── The command line's help: command path (and "path --option") → its help.
HELP: dict[str, str] = {
    '': 'plantrack: theo dõi thực hiện kế hoạch công tác — hạn, nhắc việc, báo cáo và báo cáo '
        'tháng.',
    '--lang': 'vi (mặc định) hoặc en; hoặc đặt PLANTRACK_LANG',
    '--help': 'Xem hướng dẫn này rồi thoát.',
    'digest': 'Tổng hợp tình hình thực hiện trong tháng của từng kế hoạch từ bản ghi và ghi ra: '
              'Markdown, thư HTML, bảng tính, JSON và biểu đồ (out/digests/KẾ_HOẠCH/YYYY-MM/); '
              'với --docx, ghi thêm báo cáo dạng văn bản Word (số văn bản lấy từ '
              'var/report-numbers.yaml); với --send, gửi qua thư điện tử.',
    'digest --month': 'tháng, YYYY-MM (mặc định: tháng trước)',
    'digest --out': 'thư mục ghi báo cáo; mỗi báo cáo vào KẾ_HOẠCH/YYYY-MM/',
    'digest --send': 'gửi cho nơi nhận báo cáo của kế hoạch (mỗi nơi nhận một lần mỗi tháng)',
    'digest --lang': 'vi hoặc en (mặc định: ngôn ngữ báo cáo của kế hoạch)',
    'digest --docx': 'ghi thêm báo cáo dạng văn bản Word theo thể thức quy định (digest.docx)',
    'digest --pdf': 'và chuyển sang PDF bằng LibreOffice (kèm theo --docx)',
    'digest --plan': 'mã kế hoạch; nhắc lại để chọn nhiều (mặc định: mọi kế hoạch đang thực hiện)',
    'digest --json': 'in kết quả dạng JSON',
    'agencies': 'Danh mục cơ quan, đơn vị trong bản ghi.',
    'agencies --json': 'in dạng JSON',
    'tasks': 'Nhiệm vụ của từng kế hoạch, loại nhiệm vụ và cơ quan chủ trì, phối hợp (mọi kế '
             'hoạch đang thực hiện, hoặc các kế hoạch được chọn).',
    'tasks --plan': 'mã kế hoạch; nhắc lại để chọn nhiều (mặc định: mọi kế hoạch đang thực hiện)',
    'tasks --json': 'in dạng JSON',
    'remind': 'Chạy `daily-run` một lần: theo dõi mọi nhiệm vụ và gửi tin nhắc việc trong ngày; '
              'thoát với mã 1, mỗi tin chưa gửi được một dòng trên stderr, khi còn tin chưa gửi.',
    'remind --as-of': 'ngày (mặc định: hôm nay)',
    'remind --dry-run': 'chỉ in các tin; không gửi, không ghi nhận',
    'remind --json': 'in kết quả dạng JSON',
    'remind --plan': 'mã kế hoạch; nhắc lại để chọn nhiều (mặc định: mọi kế hoạch đang thực hiện)',
    'simulate': 'Chạy lại từng ngày của một khoảng thời gian (tối đa 366 ngày, kể cả ngày chưa '
                'đến) như lần chạy hằng ngày, trên bản sao của bản ghi: bản ghi thật không thay '
                'đổi.',
    'simulate --from': 'ngày đầu',
    'simulate --to': 'ngày cuối',
    'simulate --sink': 'ghi các tin vào đây',
    'simulate --record': 'tệp SQLite riêng của lần mô phỏng, mỗi lần chạy được thay bằng bản '
                         'sao của bản ghi thật (mặc định: var/simulate.db)',
    'simulate --plan': 'mã kế hoạch; nhắc lại để chọn nhiều (mặc định: mọi kế hoạch đang thực '
                       'hiện)',
    'simulate --json': 'in từng ngày dạng JSON',
    'serve': 'Chạy mọi deployment (nhiệm vụ, daily-run, monthly-digest, retry-failed, '
             'sync-plan) trong một tiến trình.',
    'serve --plan': 'mã kế hoạch; nhắc lại để chọn nhiều (mặc định: mọi kế hoạch đang thực hiện)',
    'serve --limit': 'số lần chạy flow cùng lúc',
    'report': 'Ghi nhận báo cáo của một cơ quan về một hạn (ghi thêm, không ghi đè).',
    'report TASK': 'mã nhiệm vụ',
    'report --agency': 'mã cơ quan',
    'report --period': 'ví dụ 2024-09, 2024-Q3, 2024-H2',
    'report --status': 'hoàn thành | đang thực hiện',
    'report --progress': 'tiến độ (%), từ 0 đến 100',
    'report --note': 'nội dung đã thực hiện',
    'report --evidence': 'văn bản hoặc đường dẫn minh chứng',
    'report --on': 'ngày báo cáo (mặc định: hôm nay)',
    'report --completed': 'ngày hoàn thành (mặc định: như --on)',
    'report --rule': 'mã hạn, khi nhiệm vụ có nhiều hạn',
    'report --by': 'người báo cáo',
    'report --plan': 'mã kế hoạch (cần khi có nhiều kế hoạch đang thực hiện)',
    'template': 'Ghi mẫu báo cáo một cơ quan điền cho một tháng (mỗi cơ quan một tệp với '
                '--agency all).',
    'template --agency': 'mã cơ quan, hoặc all',
    'template --period': 'tháng, YYYY-MM',
    'template --out': 'TỆP.xlsx cho một cơ quan, một thư mục cho tất cả (mặc định: '
                      'out/returns/KỲ/)',
    'template --csv': 'ghi tệp CSV thay cho bảng tính',
    'template --as-of': 'ngày tính việc quá hạn (mặc định: hôm nay)',
    'template --plan': 'mã kế hoạch (cần khi có nhiều kế hoạch đang thực hiện)',
    'import': 'Nhập các báo cáo đã điền: nhập mọi dòng của mọi tệp, hoặc không nhập gì và nêu '
              'mọi lỗi (mã thoát 2), mỗi lỗi dạng TỆP:TRANG:DÒNG: cột: nội dung.',
    'import FILES': 'các tệp báo cáo: .xlsx hoặc .csv',
    'import --on': 'ngày nhận báo cáo (mặc định: hôm nay)',
    'import --plan': 'mã kế hoạch (cần khi có nhiều kế hoạch đang thực hiện)',
    'import --json': 'in kết quả dạng JSON',
    'kpi': 'Số liệu chỉ tiêu của một tháng, cộng từ các cơ quan báo cáo lên toàn tỉnh.',
    'kpi --period': 'tháng, YYYY-MM (mặc định: tháng gần nhất có số liệu)',
    'kpi --as-of': 'ngày (mặc định: hôm nay)',
    'kpi --detail': 'kèm số liệu của từng cơ quan',
    'kpi --plan': 'mã kế hoạch (cần khi có nhiều kế hoạch đang thực hiện)',
    'kpi --json': 'in dạng JSON',
    'status': 'Tình hình từng hạn đến một ngày, tổng hợp theo loại nhiệm vụ và theo cơ quan, '
              'cho mọi kế hoạch đang thực hiện ngày đó (hoặc các kế hoạch được chọn).',
    'status --as-of': 'ngày (mặc định: hôm nay)',
    'status --agency': 'chỉ các hạn của cơ quan này (mã cơ quan)',
    'status --task': 'chỉ các hạn của nhiệm vụ này (mã nhiệm vụ)',
    'status --plan': 'mã kế hoạch; nhắc lại để chọn nhiều (mặc định: mọi kế hoạch đang thực hiện)',
    'status --detail': 'liệt kê từng hạn',
    'status --json': 'in dạng JSON',
    'db': 'Cơ sở dữ liệu của bản ghi.',
    'db upgrade': 'Tạo hoặc nâng cấp các bảng của bản ghi lên phiên bản mới nhất.',
    'plan': 'Tệp kế hoạch: kiểm tra, nạp, liệt kê, đóng và mở lại.',
    'plan check': 'Kiểm tra tệp kế hoạch; in mỗi lỗi dạng TỆP:DÒNG: trường: nội dung (mã thoát '
                  '2), và mỗi cảnh báo cùng dạng đó (mã thoát 0).',
    'plan check FILES': 'các tệp kế hoạch (YAML)',
    'plan load': 'Kiểm tra một tệp kế hoạch, ghi vào bản ghi trong một giao dịch và in những gì '
                 'thay đổi.',
    'plan load FILE': 'tệp kế hoạch (YAML)',
    'plan load --json': 'in những gì thay đổi dạng JSON',
    'plan list': 'Mọi kế hoạch trong bản ghi, thời gian thực hiện và trạng thái vào một ngày '
                 '(chưa ban hành, đang thực hiện, hết thời gian, đã đóng): kế hoạch đang thực '
                 'hiện và hết thời gian vẫn được nhắc việc.',
    'plan list --as-of': 'ngày (mặc định: hôm nay)',
    'plan list --json': 'in dạng JSON',
    'plan close': 'Đóng một kế hoạch: từ ngày đó không nhắc việc nữa, vẫn xem được.',
    'plan close KEY': 'mã kế hoạch',
    'plan close --on': 'từ ngày này (mặc định: hôm nay)',
    'plan close --note': 'lý do, để lưu vào bản ghi',
    'plan reopen': 'Mở lại một kế hoạch đã đóng: nhắc việc lại từ ngày đó.',
    'plan reopen KEY': 'mã kế hoạch',
    'plan reopen --on': 'từ ngày này (mặc định: hôm nay)',
    'plan reopen --note': 'lý do, để lưu vào bản ghi',
    'event': 'Sự việc phát sinh hạn mới.',
    'event record': 'Ghi nhận một sự việc (ví dụ personnel-change, thay đổi nhân sự) và tạo các '
                    'hạn phát sinh từ đó.',
    'event record KIND': 'mã sự việc, như trong kế hoạch',
    'event record --agency': 'mã cơ quan',
    'event record --on': 'ngày xảy ra',
    'event record --note': 'nội dung sự việc',
    'event record --plan': 'mã kế hoạch (cần khi có nhiều kế hoạch đang thực hiện)',
    'web': 'Ứng dụng web: trang của từng cơ quan qua đường dẫn có chữ ký, bảng theo dõi.',
    'web --host': 'địa chỉ lắng nghe',
    'web --port': 'cổng lắng nghe',
    'web --as-of': 'ngày ứng dụng coi là hôm nay (khi chạy lại một kế hoạch, như bản chạy thử); '
                   'mặc định: hôm nay',
    'web link': 'In một đường dẫn mới tới trang của một cơ quan (hoặc tới lịch của cơ quan đó).',
    'web link AGENCY': 'mã cơ quan',
    'web link --feed': 'đường dẫn tới lịch',
    'web revoke': 'Thu hồi mọi đường dẫn đã cấp cho một cơ quan (có ghi nhận; đường dẫn cấp sau '
                  'vẫn dùng được).',
    'web revoke AGENCY': 'mã cơ quan',
    'web revoke --note': 'lý do, để lưu vào bản ghi',
    'web user': 'Tài khoản cán bộ dùng bảng theo dõi.',
    'web user add': 'Thêm tài khoản cán bộ; mật khẩu được hỏi khi chạy (hoặc đọc từ đầu vào '
                    'chuẩn).',
    'web user add NAME': 'tên đăng nhập',
    'web user add --role': 'secretariat (văn phòng) | leader (lãnh đạo)',
}
# Typer's own words on a help page.
SCREEN: dict[str, str] = {
    'usage': 'Cách dùng:',
    'options': 'Tùy chọn',
    'commands': 'Lệnh',
    'arguments': 'Tham số',
    'options_metavar': '[TÙY_CHỌN]',
    'subcommand_metavar': 'LỆNH [THAM_SỐ]...',
    'required': '[bắt buộc]',
    'value': '<giá trị>',
    # the command line's arguments, as the usage line names them
    'FILES': 'TỆP', 'FILE': 'TỆP', 'TASK': 'NHIỆM_VỤ', 'KEY': 'MÃ_KẾ_HOẠCH', 'KIND': 'SỰ_VIỆC',
    'AGENCY': 'CƠ_QUAN', 'NAME': 'TÊN',
}

# Click's and pydantic's words in a mistyped command line (regular expression → ours), in turn.
USAGE: tuple[tuple[str, str], ...] = (
    (r"Input should be a valid integer[^.(]*", "cần một số nguyên"),
    (r"Input should be a valid number[^.(]*", "cần một số"),
    (r"Input should be a valid boolean[^.(]*", "cần true hoặc false"),
    (r"Input should be[^.(]*", "cần"),
    (r"^Missing option '(.*)'\.", r"thiếu tùy chọn '\1'."),
    (r"^Missing argument '(.*)'\.", r"thiếu tham số '\1'."),
    (r"^Missing parameter: (.*)", r"thiếu tham số \1"),
    (r"^No such option: (\S+)", r"không có tùy chọn \1"),
    (r"^No such command '(.*?)'\.", r"không có lệnh '\1'."),
    (r"Did you mean (.*)\?", r"Có phải là \1?"),
    (r"\(Possible options: (.*)\)", r"(các tùy chọn gần giống: \1)"),
    (r"^Got unexpected extra argument\(s\) \((.*)\)", r"thừa tham số (\1)"),
    (r"^Invalid value for (.*?): ", r"giá trị không hợp lệ cho \1: "),
    (r"^Invalid value: ", "giá trị không hợp lệ: "),
    (r"^Option '(.*)' requires an argument\.", r"tùy chọn '\1' cần một giá trị."),
    (r"^Option '(.*)' requires (\d+) arguments\.", r"tùy chọn '\1' cần \2 giá trị."),
    (r"^Option '(.*)' does not take a value\.", r"tùy chọn '\1' không nhận giá trị."),
    (r"Value '(.*)' is not a valid (\w+)\.", r"'\1' không phải là giá trị hợp lệ (\2)."),
    (r"'(.*)' is not one of (.*)\.", r"'\1' không thuộc các giá trị \2."),
)
