"""The repertoire in the processing register (leerorkest.privacy.register): it stores no data
about children; the finder reads their milestones on the fly and audits the read."""


def declare() -> None:
    from leerorkest.privacy import register

    register.NOT_PERSONAL.setdefault("repertoire.Part", "name of a part of a piece (Viool 2)")
    register.NOT_PERSONAL.setdefault(
        "repertoire.PieceFile", "file name of a score, part or recording"
    )
