"""The indicator system as data: the YAML in ``data/``, the rule kinds it may name
(:mod:`.rule_kinds`, the ground floor scoring registers its functions against), the structural and
consistency checks, the frozen model, the one key grammar and what each unit is asked for.
Nothing here imports scoring or any Excel code: an edited workbook reaches this package as the
plain data :mod:`yongji_xls.workbook.write.system_workbook` reads from it."""
