"""yongji-xls: self-assessment of a county for the national online-market supervision and
service demonstration zone (全国网络市场监管与服务示范区) — templates, collection, scoring, reports."""

__version__ = "0.1.0"
