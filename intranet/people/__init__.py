"""The register of pseudonymous people shared by the plugins."""
