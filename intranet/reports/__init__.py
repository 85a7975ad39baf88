"""Reports that show whether the meeting point is accepted and used."""
