"""The planner: target stacks per system (CP-SAT over certifications) and migration waves."""
