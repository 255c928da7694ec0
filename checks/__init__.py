"""The engine that applies policies to a map on an audit date and yields findings.

One module per rule kind; ``checks.registry`` lists them explicitly.
"""
