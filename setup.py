"""The top-level ``templates/``, ``sample_workbooks/`` and ``sample_previous/`` ship inside the package (found with
importlib.resources) while staying where the office and the README expect them in the source.

Packages are found as namespace packages, so the data folders (``yongji_xls/system/data`` and
``yongji_xls/web/{static,templates}``) are packages of their own whose files ``setup.cfg``'s
``[options.package_data]`` names: the form setuptools' "Data Files Support" guide asks for
("Subdirectory for Data Files"); plain ``find_packages`` leaves them out and setuptools warns that
it "would ignore" them.

Builds go to a temporary folder, not ``build/`` in the source tree: pip builds a local project in
place (pip 21.3+, "Local project installs"), and setuptools' ``build_py`` copies into ``build/lib``
without removing what is no longer in the source, so a module deleted from the source was packed
into the next wheel again.
"""

import atexit
import shutil
import tempfile

from setuptools import find_namespace_packages, setup

BUNDLED = {
    "yongji_xls._bundled.templates": "templates",
    "yongji_xls._bundled.sample_workbooks": "sample_workbooks",
    "yongji_xls._bundled.sample_previous": "sample_previous",
}

_BUILD = tempfile.mkdtemp(prefix="yongji-xls-build-")
atexit.register(shutil.rmtree, _BUILD, True)

setup(
    packages=[*find_namespace_packages(include=["yongji_xls", "yongji_xls.*"], exclude=["*.__pycache__"]), *BUNDLED],
    package_dir=BUNDLED,
    options={"build": {"build_base": _BUILD}, "egg_info": {"egg_base": _BUILD}},
)
