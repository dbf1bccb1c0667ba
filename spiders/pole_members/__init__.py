"""Member directories on the pôles' own websites (source pole_members)."""
