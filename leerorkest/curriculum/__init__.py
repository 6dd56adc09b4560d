"""The learning line: learning goals per groep, milestones (ijkpunten) per instrument, progress."""
