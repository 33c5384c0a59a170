"""A run's plumbing: list and read the input files, the per-document cache, batches on worker
processes, the staged tables between stages, the corpus stage's map over batches, and the
run's ownership of its output folder."""
