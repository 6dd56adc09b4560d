"""Children's sizes per instrument (reference data, installed by migration 0003)."""

SIZES = {
    "violin": ["1/16", "1/10", "1/8", "1/4", "1/2", "3/4", "7/8", "4/4"],
    "viola": ['11"', '12"', '13"', '14"', '15"', '15.5"', '16"'],
    "cello": ["1/8", "1/4", "1/2", "3/4", "7/8", "4/4"],
    "double-bass": ["1/8", "1/4", "1/2", "3/4"],
    "guitar": ["1/2", "3/4", "7/8", "4/4"],
}

# What goes out with each instrument and is checked on return.
KITS = {
    "violin": ["Koffer", "Strijkstok", "Schoudersteun", "Hars"],
    "viola": ["Koffer", "Strijkstok", "Schoudersteun", "Hars"],
    "cello": ["Hoes", "Strijkstok", "Pinhouder", "Hars"],
    "double-bass": ["Hoes", "Strijkstok", "Hars"],
    "flute": ["Koffer", "Poetsstok"],
    "oboe": ["Koffer", "Rieten"],
    "clarinet": ["Koffer", "Mondstuk", "Rietbinder", "Rieten"],
    "bassoon": ["Koffer", "Bocal", "Rieten"],
    "trumpet": ["Koffer", "Mondstuk"],
    "horn": ["Koffer", "Mondstuk"],
    "trombone": ["Koffer", "Mondstuk"],
    "baritone": ["Koffer", "Mondstuk"],
    "tuba": ["Hoes", "Mondstuk"],
    "percussion": ["Stokken", "Tas"],
    "harp": ["Hoes", "Stemsleutel"],
    "guitar": ["Hoes"],
    "keyboard": ["Adapter", "Standaard"],
}


def install_kits(kit_model, instrument_model) -> None:
    """Create the kit items that are missing (historical models too)."""
    for code, items in KITS.items():
        kind = instrument_model.objects.filter(code=code).first()
        if kind is None:
            continue
        for order, name in enumerate(items):
            kit_model.objects.get_or_create(
                instrument_type=kind, name=name, defaults={"sort_order": order}
            )


def install(size_model, instrument_model) -> None:
    """Create the sizes that are missing (works with a migration's historical models too)."""
    for code, labels in SIZES.items():
        kind = instrument_model.objects.filter(code=code).first()
        if kind is None:
            continue
        for order, label in enumerate(labels):
            size_model.objects.get_or_create(
                instrument_type=kind, label=label, defaults={"sort_order": order}
            )
