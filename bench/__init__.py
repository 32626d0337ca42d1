"""Benchmarks of the dashboard at the scale of a whole province (issue 7). `make bench` runs them."""
