"""The instructor's side: reading nbgrader notebooks and driving nbgrader."""
