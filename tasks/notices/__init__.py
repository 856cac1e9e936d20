"""Reminders and escalations, from deciding who is owed what on a day to each message sent once.

`decide` → `render` → `outbox` (claim before send, settle after) → `dispatch` through the
`senders` and `channels` (a plain JSON webhook posted by `webhook`); `day` is the use case the
flows, `remind` and the replay share.
"""
