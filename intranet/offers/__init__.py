"""Offers: dates and series, staff pages, the public programme and its ICS feed."""
