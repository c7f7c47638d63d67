import streamlit as st
st.title('Gallery')
