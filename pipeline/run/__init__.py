"""A run's plumbing: what ``--input`` names (a folder, or an archive or JSON Lines file at a path or
fsspec URL), listing and reading its documents, the per-document cache, batches on worker
processes, the staged tables between stages, the corpus stage's map over batches, and the
run's ownership of its output folder."""
