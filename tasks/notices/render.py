"""Notices as people read them: subject, plain text and HTML from config/templates.

A notice is rendered from `<kind>.<lang>.{subject,txt,html}.j2`; a stored message is rendered
again from its items (a retry sends what the first try would have sent). The recipient's link
to its web page is made here, as of the message's day, and never stored (tasks.web.links).
Each plan's part of a message names the plan and who sends it (the plan's sender, carried by
its items) so that the templates write "Thực hiện Kế hoạch …, <sender> đề nghị <agency> …".
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

from markupsafe import escape

from tasks.notices.channels import Outgoing
from tasks.notices.decide import DUE_SOON, DUE_TODAY, OVERDUE, Item, Notice
from tasks.record.models import Agency, Message
from tasks.templating import environment
from tasks.web.links import link_for_message
from tasks.words import ROLE_LABELS, check_lang, period_label, plan_reference


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


# How a sentence names a plan: the same few titles in every message of a run, folded once each.
_plan_reference = lru_cache(maxsize=256)(plan_reference)


def _name(agencies: dict[str, Agency], code: str, lang: str) -> str:
    a = agencies.get(code)
    return (a.name_vi if lang == "vi" else a.name_en) if a else code


@dataclass(frozen=True)
class PlanItems:
    """A notice's items of one plan, under the plan's title, by category, most urgent first;
    `ref` names the plan in a sentence ("Kế hoạch …"), `sender_name` is who sends its messages
    ("" when its items do not say), `by_self` whether that is the recipient itself, `late` the
    late agencies' names (an escalation)."""

    title: str
    items: list[Item]
    groups: list[tuple[str, list[Item]]]
    ref: str = ""
    sender: str = ""
    sender_name: str = ""
    by_self: bool = False
    late: tuple[str, ...] = ()

    def late_names(self, lang: str = "vi") -> str:
        """The late agencies as a sentence lists them: 'A, B và C'."""
        *first, last = self.late or ("",)
        return f"{', '.join(first)} {'và' if lang == 'vi' else 'and'} {last}" if first else last


def _by_plan(items: Sequence[Item], lang: str, agencies: dict[str, Agency] | None = None,
             recipient: str = "") -> list[PlanItems]:
    """One agency's message lists what it owes in every plan: plan by plan, in order of the
    plans' keys."""
    out = []
    for plan in sorted({i.plan for i in items}):
        mine = [i for i in items if i.plan == plan]
        groups = [(cat, [i for i in mine if i.category == cat])
                  for cat in (OVERDUE, DUE_TODAY, DUE_SOON)]
        title = next(getattr(i, f"plan_title_{lang}") for i in mine)
        sender = next((getattr(i, "plan_sender", "") for i in mine), "")
        late = tuple(_name(agencies or {}, c, lang) for c in sorted({i.agency for i in mine}))
        out.append(PlanItems(title, mine, [(c, g) for c, g in groups if g],
                             _plan_reference(title, lang), sender,
                             _name(agencies or {}, sender, lang) if sender else "",
                             bool(sender) and sender == recipient, late))
    return out


def _parts(notice: Notice, agencies: dict[str, Agency], lang: str) -> Callable[[str], str]:
    """The notice's parts, each rendered when asked for ("subject", "txt", "html") from
    `<kind>.<lang>.<part>.j2`, over one context."""
    check_lang(lang)
    env = environment()
    plans = _by_plan(notice.items, lang, agencies, notice.recipient)
    ctx = dict(
        lang=lang, notice=notice, day=notice.day, kind=notice.kind, items=notice.items,
        recipient=notice.recipient, recipient_name=_name(agencies, notice.recipient, lang),
        plans=plans, sender_name=next((p.sender_name for p in plans if p.sender_name), ""),
        to_self=all(p.by_self for p in plans),
        due=notice.count(DUE_SOON, DUE_TODAY), overdue=notice.count(OVERDUE),
        due_soon=notice.count(DUE_SOON), due_today=notice.count(DUE_TODAY),
        period=lambda p: period_label(p, lang),
        # the shared words' macros write names through one of these: HTML-escaped or as they are
        esc=escape, plain=lambda text: text,
        late_agencies=sorted({i.agency for i in notice.items}),
        name=lambda code: _name(agencies, code, lang), role=ROLE_LABELS[lang],
        # items a body reached `via` this one owes, named so the recipient knows for whom
        for_whom=lambda i: "" if i.agency == notice.recipient else _name(agencies, i.agency, lang),
        link=link_for_message(notice.recipient, notice.day))  # made at send time, never stored
    return lambda ext: env.get_template(f"{notice.kind}.{lang}.{ext}.j2").render(ctx)


def render(notice: Notice, agencies: dict[str, Agency], lang: str = "vi") -> Rendered:
    """Subject, plain text and HTML of a notice, from `<kind>.<lang>.{subject,txt,html}.j2`."""
    part = _parts(notice, agencies, lang)
    return Rendered(" ".join(part("subject").split()), part("txt"), part("html"))


def outgoing(notice: Notice, agencies: dict[str, Agency], lang: str = "vi") -> Outgoing:
    """The notice ready to send: subject and text rendered, the HTML when first read (only
    channels that take HTML — e-mail, Telegram — and the replay's files read it)."""
    part = _parts(notice, agencies, lang)
    return Outgoing(notice.recipient, notice.kind, notice.day, " ".join(part("subject").split()),
                    part("txt"), partial(part, "html"))


def notice_of(message: Message, recipient: str) -> Notice:
    """The notice a stored reminder or escalation was made from (to render it again)."""
    return Notice(recipient, message.kind, message.day,
                  tuple(Item.from_json(i) for i in message.items))
