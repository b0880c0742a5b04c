"""The application layer: load a stage's input from the workspace, run it, save the result."""
