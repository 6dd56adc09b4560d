"""Instrument choice: the assignment solver, its greedy baseline, lesson-group forming, actions.

`solver` and `grouping` are plain Python (no database), so the benchmark and tests can use them
on their own; `actions` and `groups` are the workflows the views and the API call.
"""
