"""Signals the depot's actions send, so other parts (the workshops) can act on them without the
depot knowing about them. Receivers run inside the action's transaction: if one fails, the action
is undone.

- `sent_to_repair(instrument, by, note, source)`: the instrument's status is now in repair;
  `source` is "manual", "inspection", "damage_report" or "maintenance".
- `damage_reported(instrument, by, organisation, description)`: a borrowing programme reported
  damage to an instrument it has on loan (it stays on loan until it comes back).
"""

from django.dispatch import Signal

sent_to_repair = Signal()
damage_reported = Signal()
