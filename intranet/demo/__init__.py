"""Demo data for ``make run`` and for trying things out."""
