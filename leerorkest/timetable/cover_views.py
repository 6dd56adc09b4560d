"""Pages of the timetable's cover part."""

NAV_ITEMS: list = []
