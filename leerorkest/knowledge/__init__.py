"""The public knowledge site (Orkest in de Klas): materials, search, contributions and review."""
