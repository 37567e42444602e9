"""yibao-desk's domain: pure Python, no Qt.

Everything the command line and the desktop app share lives here: the application model,
ID numbers, region profiles, rules, storage, imaging, OCR and the packet.
"""

__version__ = "0.1.0"
