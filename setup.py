"""The top-level ``templates/``, ``sample_workbooks/`` and ``sample_previous/`` ship inside the package (found with
importlib.resources) while staying where the office and the README expect them in the source."""

from setuptools import find_packages, setup

BUNDLED = {
    "yongji_xls._bundled.templates": "templates",
    "yongji_xls._bundled.sample_workbooks": "sample_workbooks",
    "yongji_xls._bundled.sample_previous": "sample_previous",
}

setup(
    packages=[*find_packages(include=["yongji_xls*"]), *BUNDLED],
    package_dir=BUNDLED,
)
