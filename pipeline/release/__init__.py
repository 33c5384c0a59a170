"""Releases: an output folder turned into an immutable, versioned Frictionless data package
with its changes against the previous release."""
