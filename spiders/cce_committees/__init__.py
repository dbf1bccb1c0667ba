"""cnccef.org: CCE committees in France and country sections abroad."""
