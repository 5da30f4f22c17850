"""Report: the reconciled table and the reconciliation, written for people and machines.
"""
