"""File formats the catalog reads and writes: how data is spelled, not what it may be."""
