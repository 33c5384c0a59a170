"""What a person reads of a run: the summary line and ``report.html``."""
