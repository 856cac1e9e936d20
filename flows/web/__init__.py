"""The web app (`plantrack web`): agencies answer their reminders on a page behind a signed
link, staff follow every plan on a board, calendars subscribe to a feed.

`app` builds the FastAPI application over the core (tasks.web) and config/templates/web/;
`security` wraps it: headers, the body limit, an access log without secrets; `demo` is what
`make demo` says about it. `plantrack web` (flows/cli/web.py) serves it with uvicorn. Like the
read-only commands, it never imports Prefect.
"""
