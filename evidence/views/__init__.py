"""Views of the evidence log and the decision trail, by stage: validate, call a service, render.

- ``log``: the organization's log and one partnership's log (filters, search, paging, badge)
- ``entries``: logging, correcting and reading an entry, and its uploaded file
- ``decisions``: deciding on a partnership, approving or rejecting, the approval rule
- ``exports``: the filtered log as CSV or PDF
"""
