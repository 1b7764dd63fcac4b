"""Tests of the demo data and its loaders (``manage.py seed_demo``)."""
