"""Reading returned workbooks: pre-flight safety checks of every format (``safety/``), the reader
that finds values by key (:mod:`.reader`, :mod:`.keyed_sheet`), text cleaning at the edge
(:mod:`.clean`) and the 核定 sheet of a review file (:mod:`.review`). What comes out is plain
records (:mod:`yongji_xls.records`); nothing here writes a workbook."""
