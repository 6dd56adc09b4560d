"""Pages of the timetable's delivery part."""

NAV_ITEMS: list = []
