"""Service areas: the base a service-area plugin builds its usual hooks from."""
