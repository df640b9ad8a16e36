"""Scoring the merged values exactly (Fractions): the rule kinds, the engine, the scorecard, the
way figures and reasons are displayed, the 达标路径 and scores.json.
"""
