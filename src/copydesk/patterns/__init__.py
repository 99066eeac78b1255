"""The machine-text pattern library (machine_text.toml) and its prefilter."""
