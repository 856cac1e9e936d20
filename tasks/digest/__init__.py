"""The monthly digest for leadership: compiled from the record as of a month's end, written as
Markdown, HTML, JSON, a workbook and charts, and sent once to each recipient; `month` is the
use case the flow, `plantrack digest` and the demo share."""
