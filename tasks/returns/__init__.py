"""The returns agencies fill in and send back: what each owes in a month (`build`), written as
a workbook or CSV (`xlsx`, `layout`), read back cell by cell (`read`, `cells`) and taken into
the record all or nothing (`ingest`)."""
