"""The demo content as data, one module per app (the evidence log is ``evidence.json``).

Data files may pass the 400-line limit for modules: they are content, not code.
"""
