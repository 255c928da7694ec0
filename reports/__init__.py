"""Renderers: each reads one AuditResult and returns text; nothing here opens a map."""
