"""The web app's rules, plain Python like the rest of the core (flows/web only serves them).

`signing`: signed tokens — an agency's link, a staff session, a form's token — each checked
against an explicit `now`. `links`: links issued for an agency (in every reminder), read back
against the record, taken back. `accounts`: staff accounts (scrypt-hashed passwords) and the
sign-in throttle. `evidence`: evidence files, checked by their bytes and kept by content hash.
`answers`: an agency's open deadlines across live plans, and a report sent through the web
(appended as `plantrack report` appends one). `board`: the secretariat's and leaders' view.
`feed`: an agency's deadlines as an iCalendar feed.
"""
