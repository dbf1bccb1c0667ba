"""Each pôle's own website: governance and team seats, read from pages of many layouts."""
