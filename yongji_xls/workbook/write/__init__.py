"""Writing workbooks: the shared styles (:mod:`.styles`), unit templates (:mod:`.template_writer`)
filled by key from a :class:`.fill.Fill` (feedback workbooks and ``--prefill``), the review file,
and the two Excel editors an office uses instead of YAML (:mod:`.system_workbook`,
:mod:`.office_config`), which also read their workbooks back into plain data for ``system``."""
