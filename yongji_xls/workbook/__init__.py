"""The Excel edge. ``read/`` turns a returned file into plain records (pre-flight safety checks
first, then reading by key); ``write/`` makes every workbook the tool hands out (templates,
feedback and prefilled templates, the editable system and office-configuration workbooks) and
reads those two editors back into plain data for ``system``. The modules directly here are what
both sides share: the key <-> cell layout (:mod:`.layout`), A1 addresses and cell text
(:mod:`.cells`) and the texts of the 填报说明 sheet (:mod:`.instructions`)."""
