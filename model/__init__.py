"""The data map: what personal data flows exist, as validated data with a source map.

Nothing here knows about policies or findings; checks and reports build on it.
"""
