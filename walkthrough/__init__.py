"""``make walkthrough``: the recorded demo that the guide embeds (see ``record.py``)."""
