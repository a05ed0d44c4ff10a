"""Benchmarks, run by hand (see README, Performance); not part of the test suite."""
