"""The rules of a postal leg: routes and deadlines (TT 17/2017/TT-BTTTT art. 7).

No scheduling, no HTTP, no presentation here: pure rules and their configuration.
"""
