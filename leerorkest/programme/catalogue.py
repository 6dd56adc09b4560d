"""The orchestra instruments Leerorkesten teach (domain brief §2.5): reference data, installed by
migration 0003 and by tests that run after a flush."""

INSTRUMENTS = [
    # code, Dutch, English, family, largest lesson group, harp room, percussion room
    ("violin", "Viool", "Violin", "strings", 6, False, False),
    ("viola", "Altviool", "Viola", "strings", 6, False, False),
    ("cello", "Cello", "Cello", "strings", 5, False, False),
    ("double-bass", "Contrabas", "Double bass", "strings", 4, False, False),
    ("flute", "Dwarsfluit", "Flute", "woodwind", 5, False, False),
    ("oboe", "Hobo", "Oboe", "woodwind", 4, False, False),
    ("clarinet", "Klarinet", "Clarinet", "woodwind", 5, False, False),
    ("bassoon", "Fagot", "Bassoon", "woodwind", 4, False, False),
    ("trumpet", "Trompet", "Trumpet", "brass", 5, False, False),
    ("horn", "Hoorn", "French horn", "brass", 4, False, False),
    ("trombone", "Trombone", "Trombone", "brass", 5, False, False),
    ("baritone", "Bariton", "Baritone", "brass", 5, False, False),
    ("tuba", "Tuba", "Tuba", "brass", 3, False, False),
    ("percussion", "Slagwerk", "Percussion", "percussion", 6, False, True),
    ("harp", "Harp", "Harp", "plucked", 3, True, False),
    ("guitar", "Gitaar", "Guitar", "plucked", 6, False, False),
    ("keyboard", "Keyboard", "Keyboard", "keys", 4, False, False),
]


def install(instrument_model) -> None:
    """Create or update the catalogue rows (works with a migration's historical model too)."""
    for order, (code, nl, en, family, size, harp, percussion) in enumerate(INSTRUMENTS):
        instrument_model.objects.update_or_create(
            code=code,
            defaults={
                "name_nl": nl,
                "name_en": en,
                "family": family,
                "lesson_group_size": size,
                "needs_harp_room": harp,
                "needs_percussion_room": percussion,
                "sort_order": order * 10,
            },
        )
