"""Reading the card: text from ID documents and household register pages, offline.

RapidOCR with onnxruntime, using only the models inside its wheel (any other model would
try to download). Loaded lazily: where it cannot load, ``OcrUnavailable`` says so and the
rest of the app works as before.
"""
