"""cce_appointments: CCE appointment decrees published in the Journal officiel (Légifrance text pages)."""
