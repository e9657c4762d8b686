"""The rules of a postal leg, in one place (issue 13 §1)."""
