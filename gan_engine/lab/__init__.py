"""The Lab: Algorithm 1 played by hand on toy data, one step at a time (torch + numpy, no UI).

`data` makes the game's target (a toy preset, drawn 2-D points, a composed 1-D mixture),
`game` holds the networks and their moves (step D, step G, round, back, reset), and `views`
computes what the page draws after each step.
"""
