"""File formats the catalog reads and writes: tables (CSV, XLSX), the product row format and
translators' XLIFF files.

Formats only: how data is spelled and what a cell means is parsed here; what is allowed is
decided by the services.
"""
