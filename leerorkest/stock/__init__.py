"""Handling the depot's stock: QR labels, inventory import, stock-takes and transport runs."""
