"""What the materials show: each file's analysis (quality, faces, straightening, side,
fields read) as domain data, cached by content, and the findings it supports.

``forms.analysis.model`` and ``forms.analysis.cache`` are light (no OpenCV, no OCR) so a
check with every analysis cached stays fast; ``forms.analysis.compute`` loads the imaging
and OCR stacks on first use.
"""
