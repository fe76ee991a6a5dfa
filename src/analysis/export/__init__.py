"""Exporters that turn the merged report notebook into HTML and PDF."""

#: the report's output formats, in the order they are listed (kept here, light to import, so the
#: command line can check ``--format`` without loading the exporters)
FORMATS = ("html", "pdf")
