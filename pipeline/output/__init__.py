"""The run's tables out: validated (valid rows and the quarantine), written as Parquet and CSV
with the manifest, swapped in atomically, and read back (``view``) for what reports on them."""
