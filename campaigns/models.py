"""Brands, campaigns and partnerships (filled in by the campaigns issue)."""
