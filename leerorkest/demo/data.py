"""Reference data for the demo: real places, invented people and schools.

District and neighbourhood names are Amsterdam's own; the number of primary schools in each is an
estimate for the demo, not an official count. Every school and person is invented.
"""

# District -> [(neighbourhood, low-income area, primary schools)]
AMSTERDAM = {
    "Noord": [
        ("Volewijck", True, 6),
        ("Banne Buiksloot", True, 5),
        ("Tuindorp Oostzaan", True, 3),
        ("Nieuwendam-Noord", True, 5),
        ("Waterlandpleinbuurt", True, 4),
        ("IJplein/Vogelbuurt", True, 4),
        ("Buiksloterham", False, 2),
    ],
    "Oost": [
        ("Indische Buurt West", True, 4),
        ("Indische Buurt Oost", True, 4),
        ("Transvaalbuurt", True, 3),
        ("Dapperbuurt", True, 3),
        ("Oostelijk Havengebied", False, 5),
        ("Watergraafsmeer", False, 7),
    ],
    "Nieuw-West": [
        ("Geuzenveld", True, 6),
        ("Slotermeer-Noordoost", True, 4),
        ("Slotermeer-Zuidwest", True, 4),
        ("Osdorp-Midden", True, 5),
        ("De Punt", True, 2),
        ("Overtoomse Veld", True, 4),
        ("Slotervaart", False, 6),
    ],
    "Zuidoost": [
        ("Bijlmer-Centrum", True, 6),
        ("Bijlmer-Oost", True, 7),
        ("Holendrecht/Reigersbos", True, 5),
        ("Gaasperdam", True, 5),
        ("Venserpolder", True, 2),
        ("Amsterdamse Poort", False, 1),
    ],
}

# Invented school names (any likeness to a real school is chance).
SCHOOL_NAMES = [
    "De Notenbalk", "De Vioolsleutel", "Het Kwartet", "De Toonladder", "De Maatstreep",
    "Het Klankbord", "De Fluitekruid", "De Trommelslager", "De Cellokist", "Het Harpenhuis",
    "De Zangvogel", "De Klarinet", "Het Blaasorkest", "De Hoornblazer", "De Paukenist",
    "De Dirigeerstok", "Het Voorspel", "De Canon", "De Tamboerijn", "Het Ritme",
    "De Klankkast", "De Strijkstok", "Het Octaaf", "De Triangel", "Het Muziekhuis",
]
SCHOOL_PREFIXES = ["OBS", "CBS", "RKBS", "IKC", "Basisschool"]
STREETS = [
    "Kraaienplein", "Bijlmerdreef", "Karspeldreef", "Meeuwenlaan", "Javastraat", "Molukkenstraat",
    "Lodewijk van Deysselstraat", "Slotermeerlaan", "Osdorpplein", "Gaasperdammerweg",
    "Kamperfoelieweg", "Zuiderzeeweg", "Pretoriusstraat", "Dapperstraat", "Ganzenhoef",
]

# Partner programmes in real towns; the programmes themselves are sketched for the demo.
PARTNER_TOWNS = [
    ("Dordrecht", "Zuid-Holland", "Leerorkest Drechtsteden"),
    ("Maarssen", "Utrecht", "Leerorkest Stichtse Vecht"),
    ("Groningen", "Groningen", "Leerorkest Groningen"),
    ("Heemskerk", "Noord-Holland", "Cultuurhuis Heemskerk"),
    ("Oranjestad", "Aruba", "Leerorkest Aruba"),
    ("Willemstad", "Curaçao", "Leerorkest Curaçao"),
    ("Kralendijk", "Bonaire", "Leerorkest Bonaire"),
    ("Rotterdam", "Zuid-Holland", None),
    ("Den Haag", "Zuid-Holland", None),
    ("Utrecht", "Utrecht", None),
    ("Eindhoven", "Noord-Brabant", None),
    ("Tilburg", "Noord-Brabant", None),
    ("Almere", "Flevoland", None),
    ("Breda", "Noord-Brabant", None),
    ("Nijmegen", "Gelderland", None),
    ("Arnhem", "Gelderland", None),
    ("Haarlem", "Noord-Holland", None),
    ("Zaandam", "Noord-Holland", None),
    ("Leiden", "Zuid-Holland", None),
    ("Zwolle", "Overijssel", None),
    ("Enschede", "Overijssel", None),
    ("Deventer", "Overijssel", None),
    ("Apeldoorn", "Gelderland", None),
    ("Amersfoort", "Utrecht", None),
    ("Leeuwarden", "Friesland", None),
    ("Maastricht", "Limburg", None),
    ("Heerlen", "Limburg", None),
    ("Venlo", "Limburg", None),
    ("'s-Hertogenbosch", "Noord-Brabant", None),
    ("Delft", "Zuid-Holland", None),
    ("Gouda", "Zuid-Holland", None),
    ("Alkmaar", "Noord-Holland", None),
    ("Hoorn", "Noord-Holland", None),
    ("Lelystad", "Flevoland", None),
    ("Emmen", "Drenthe", None),
    ("Helmond", "Noord-Brabant", None),
    ("Vlissingen", "Zeeland", None),
    ("Hilversum", "Noord-Holland", None),
    ("Schiedam", "Zuid-Holland", None),
    ("Zoetermeer", "Zuid-Holland", None),
    ("Den Helder", "Noord-Holland", None),
    ("Oss", "Noord-Brabant", None),
]

FIRST_NAMES = [
    "Anouk", "Bram", "Chaima", "Daan", "Esra", "Fleur", "Gerrit", "Hanna", "Imane", "Jasper",
    "Kofi", "Lotte", "Mohamed", "Noor", "Olga", "Priya", "Quinten", "Rosa", "Sanne", "Tim",
    "Ugo", "Vera", "Willem", "Yara", "Zeynep", "Akosua", "Bilal", "Charlotte", "Dewi", "Emre",
    "Femke", "Gloria", "Hamza", "Iris", "Joost", "Kwame", "Lieke", "Marco", "Nadia", "Oscar",
    "Pieter", "Rachida", "Sem", "Tess", "Umar", "Vincent", "Wendy", "Youssef", "Zoë", "Maartje",
]
SURNAMES = [
    "de Vries", "Jansen", "van den Berg", "Bakker", "El Amrani", "Visser", "Smit", "Mensah",
    "Meijer", "de Boer", "Mulder", "Yilmaz", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "Asante", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Kartosen", "Pinas",
    "Kaya", "van Dijk", "Verbeek", "Hoekstra", "Benali", "Koster", "Prins", "Huisman",
    "Wijnaldum", "Sahin", "Postma", "Kuipers", "Blom", "Doğan", "Veenstra",
]
