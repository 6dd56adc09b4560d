"""The weekly timetable: planning instances, the CP-SAT planner, its independent validator."""
