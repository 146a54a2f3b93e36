"""Exchange of the portfolio with IATI 2.03: export, import, validation (docs/iati.md)."""
