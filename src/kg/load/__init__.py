"""Load: Turtle files into a store, checked, with every stated figure normalised.
"""
