"""Instrument requests from programmes, the season's allocation of depot stock and its
pick lists."""
