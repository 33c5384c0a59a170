"""Identity resolution across documents: romanisation-aware name keys and the clustering of persons."""
