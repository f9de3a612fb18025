"""Input and output: strict readers, geodata, overlays, export, atomic writes and the cache."""
