"""Everything the Streamlit pages share and show, one folder per page.

- `navigation`: the page list `streamlit_app.py` builds its menu from, and the guard every
  page calls first
- `i18n` and `strings/`: the translation table (English and Simplified Chinese)
- `theory/`, `training/`, `gallery/`: each page's widgets, view models, cached figures and
  URL state; the pages in `pages/` arrange them
"""
