"""Stores and their stock: where a brand's screens stand and what each shop holds.

Stock is live data (DOMAIN section 12): written by store systems, served beside the frozen
snapshots, never approved.
"""
