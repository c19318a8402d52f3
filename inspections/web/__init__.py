"""Pages of verification after issuance: the inspector's phone pages, the supervisor's draws, the public list."""
