"""Readers and writers of file formats: tables (CSV, XLSX) and the product row format.

Formats only: what a cell means is parsed here, what is allowed is decided by the services.
"""
