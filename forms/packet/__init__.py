"""The printable packet: a PDF in Chinese for the counter, built with reportlab from the
application, its processed materials and the region profile (never from widgets)."""
