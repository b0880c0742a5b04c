"""The stack chooser's parts: roles, candidates, certification links, search, the CP-SAT model."""
