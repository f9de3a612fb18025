"""Geodesy on pyproj (WGS84), countries crossed and segment measures."""
