"""Everything that imports Prefect: the flow and its tasks, its artifacts, its schedule.
``settings`` (imported first by the CLI) keeps Prefect offline and quiet."""
