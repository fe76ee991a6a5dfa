"""Exporters that turn the merged report notebook into HTML and PDF."""
