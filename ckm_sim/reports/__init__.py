"""Faces for results: terminal tables (``tables``) and single-run figures (``plots``)."""
