"""Readers of the pupil administration's exports. Each turns a file into a RosterData, or refuses it."""
