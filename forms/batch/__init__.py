"""Batch checking for a service point: every application under a folder, a packet for each
one that is ready, and a summary (CSV and printable PDF) a staff member works down.

``discover`` finds the files without trusting the folder, ``job`` checks one file in a
worker, ``outputs`` decides names in the output folder without overwriting anyone's
files, ``rows``/``summary_csv``/``summary_pdf`` write the summary, ``runner`` ties them.
"""
