"""The official directory of the labelled pôles de compétitivité (competitivite.gouv.fr)."""
