"""Plotly figure builders, one module per page: plain data in, `plotly.graph_objects.Figure` out."""
