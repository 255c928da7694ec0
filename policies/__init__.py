"""What must be: declarative policy files and the dated legal table, as data."""
