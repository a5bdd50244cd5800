"""Placeholder page."""

import streamlit as st

st.write("…")
