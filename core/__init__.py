"""What every app shares, written once.

- ``tokens``: secret tokens and one-time codes (make, hash, compare in constant time)
- ``client``: the client's IP address behind ``TRUSTED_PROXY_COUNT`` proxies
- ``pages``: a whole page or its htmx partial, redirects after writes
- ``forms``: a service's ``ValidationError`` shown on the form that caused it
- ``pdf``: every PDF rendered through one WeasyPrint URL fetcher
- ``clock``: the organization's own now and today
- ``diff``: word differences marked with del and ins
- ``queue``: enqueue a task by name after commit (services never import tasks)

``core`` imports no project app, so every app may import it.
"""
