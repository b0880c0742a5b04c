"""The catalog: loading, validation, lookup and search."""
