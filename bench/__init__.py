"""Accord's load and scale benchmark (SPEC §8). Entry point: ``python bench/run.py --help``."""
