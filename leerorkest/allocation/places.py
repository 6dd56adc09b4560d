"""Where borrowers and stock are, for "nearest stock location first".

A stock location with its own latitude and longitude uses them; otherwise the city of the
organisation that owns it. Borrowers (and schools) are placed by their organisation's city.
An unknown city falls back to the depot's city, and failing that to the middle of the
Netherlands (Utrecht), so a missing place never stops an allocation; it only makes distance
count for nothing.
"""

# Town halls, rounded to two decimals (about a kilometre): precise enough to rank stock locations.
CITIES: dict[str, tuple[float, float]] = {
    "Alkmaar": (52.63, 4.75),
    "Almere": (52.37, 5.22),
    "Amersfoort": (52.16, 5.39),
    "Amsterdam": (52.37, 4.90),
    "Apeldoorn": (52.21, 5.97),
    "Arnhem": (51.98, 5.91),
    "Breda": (51.59, 4.78),
    "Delft": (52.01, 4.36),
    "Den Haag": (52.08, 4.30),
    "Den Helder": (52.96, 4.76),
    "Deventer": (52.25, 6.16),
    "Dordrecht": (51.81, 4.67),
    "Eindhoven": (51.44, 5.48),
    "Emmen": (52.79, 6.90),
    "Enschede": (52.22, 6.89),
    "Gouda": (52.01, 4.71),
    "Groningen": (53.22, 6.57),
    "Haarlem": (52.38, 4.64),
    "Heemskerk": (52.51, 4.67),
    "Heerlen": (50.89, 5.98),
    "Helmond": (51.48, 5.66),
    "Hilversum": (52.22, 5.18),
    "Hoorn": (52.64, 5.06),
    "Leeuwarden": (53.20, 5.80),
    "Leiden": (52.16, 4.49),
    "Lelystad": (52.52, 5.47),
    "Maarssen": (52.14, 5.04),
    "Maastricht": (50.85, 5.69),
    "Nijmegen": (51.84, 5.86),
    "Oss": (51.77, 5.52),
    "Rotterdam": (51.92, 4.48),
    "Schiedam": (51.92, 4.40),
    "Tilburg": (51.56, 5.09),
    "Utrecht": (52.09, 5.12),
    "Venlo": (51.37, 6.17),
    "Vlissingen": (51.44, 3.57),
    "Zaandam": (52.44, 4.83),
    "Zoetermeer": (52.06, 4.49),
    "Zwolle": (52.51, 6.09),
    "'s-Hertogenbosch": (51.69, 5.30),
    # The Caribbean part of the Kingdom.
    "Oranjestad": (12.52, -70.03),
    "Willemstad": (12.11, -68.93),
    "Kralendijk": (12.15, -68.27),
    "Philipsburg": (18.03, -63.05),
    "The Bottom": (17.63, -63.25),
    "Oranjestad (Sint Eustatius)": (17.48, -62.98),
}

MIDDLE = CITIES["Utrecht"]


def city_coordinates(city: str, fallback: tuple[float, float] | None = None) -> tuple[float, float]:
    """Coordinates of a city by name (case and spaces forgiven), or the fallback."""
    key = (city or "").strip().casefold()
    for name, point in CITIES.items():
        if name.casefold() == key:
            return point
    return fallback or MIDDLE
