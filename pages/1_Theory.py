import streamlit as st
st.title('Theory')
