"""One form per action on the contracts app's pages: contracts.py (contracts and money),
decommissioning.py, feedback.py; fields.py holds the fields they share."""
