"""A teacher's lessons as an iCalendar feed (RFC 5545), readable by any calendar program.

Times are written in UTC (`...Z`), so no time-zone block is needed and daylight saving is
right on both sides of the change. Cancelled lessons stay in the feed with STATUS:CANCELLED,
so a calendar that already shows them strikes them through instead of silently dropping them.
"""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

PRODUCT = "-//Leerorkest platform//Timetable//NL"


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start = [], 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        # Never split a UTF-8 character.
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(name: str, events: list[dict]) -> str:
    """`events`: dicts with uid, start (aware datetime), minutes, summary, location,
    description and cancelled."""
    now = stamp(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for event in events:
        end = event["start"] + timedelta(minutes=event["minutes"])
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event['uid']}",
            f"DTSTAMP:{now}",
            f"DTSTART:{stamp(event['start'])}",
            f"DTEND:{stamp(end)}",
            f"SUMMARY:{escape(event['summary'])}",
            f"LOCATION:{escape(event['location'])}",
            f"DESCRIPTION:{escape(event.get('description', ''))}",
            f"STATUS:{'CANCELLED' if event.get('cancelled') else 'CONFIRMED'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
