"""General layout engines, each placing one kind of part at the origin of a Scene (y up): the
arranger (layout/figure.py) moves the parts into place."""
