"""Graded repertoire: pieces and arrangements, their parts' milestones, files and performances."""
