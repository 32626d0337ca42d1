"""Kotim Smart City action-plan and KPI dashboard: all logic, importable without Streamlit."""

__version__ = "0.1.0"
