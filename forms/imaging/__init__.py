"""Scans and photos: load anything a phone or scanner makes, check it, make it print-ready.

Pure Python over Pillow, OpenCV and pdfium; no Qt. Every image that leaves this package is
plain RGB with no EXIF, GPS or camera metadata (see ``encode``).
"""
