"""The bottom layer: vocabulary, errors, quantities, where shipped resources live, safe file writing.

Nothing here knows about stores or SPARQL; every other stage may import it.
"""
