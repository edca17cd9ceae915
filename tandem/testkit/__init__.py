"""Test-only helpers: the shared base case and a probe entry model.

Installed only when the test runner is running (see ``TESTING`` in
settings); never part of a real site.
"""
