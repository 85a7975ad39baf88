"""The web side: app wiring, the main pages, error pages, security headers."""
