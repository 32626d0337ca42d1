"""The Streamlit layer: page set-up, shared sidebar filters, cached queries and widgets.

Besides pages/ and app.py, this is the only code that imports streamlit.
"""
