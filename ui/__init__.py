"""Small helpers shared by the Streamlit pages (translation, page set-up)."""
