"""What people type, turned into typed values: parsing numbers, dates and yes/no words, the typed
answers and list rows, the ``--values`` file and the office's ``--reference`` figures.
"""
