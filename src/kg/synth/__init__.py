"""A synthetic evidence graph with known truth: serves tests and benchmarks, not analysts' data.
"""
