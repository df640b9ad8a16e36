"""The top-level ``templates/`` and ``sample_workbooks/`` ship inside the package (found with
importlib.resources) while staying where the office and the README expect them in the source."""

from setuptools import find_packages, setup

BUNDLED = {"yongji_xls._bundled.templates": "templates", "yongji_xls._bundled.sample_workbooks": "sample_workbooks"}

setup(
    packages=[*find_packages(include=["yongji_xls*"]), *BUNDLED],
    package_dir=BUNDLED,
)
