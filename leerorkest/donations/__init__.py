"""Donors and donated instruments: intake, assessment, the instruments they became and the
thank-you."""
