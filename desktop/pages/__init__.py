"""The pages on the right of the main window, one per task."""
