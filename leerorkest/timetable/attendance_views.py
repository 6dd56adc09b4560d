"""Pages of the timetable's attendance part."""

NAV_ITEMS: list = []
