"""Measuring copydesk on factual-consistency benchmarks: ``copydesk eval`` (docs/evaluation.md)."""
