"""The packet's sections, in order; each returns reportlab flowables."""
