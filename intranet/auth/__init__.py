"""Staff login: passwords, sessions, throttling, the second factor."""
