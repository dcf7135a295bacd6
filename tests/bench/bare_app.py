"""The baseline for the benchmark: a bare Flask route returning a fixed 20 KB page."""

from flask import Flask

PAGE = ("<!doctype html><html><body>" + "<p>" + "x" * 96 + "</p>\n" * 200 + "</body></html>")[
    :20_480
]

app = Flask(__name__)


@app.get("/")
def page():
    return PAGE
