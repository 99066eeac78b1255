"""Word lists and normalisers: names, offices, places, numbers, dates."""
