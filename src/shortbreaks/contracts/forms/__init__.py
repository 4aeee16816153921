"""One form per action on the contracts app's pages: contracts.py (contracts and money),
decommissioning.py, feedback.py; the fields they share are in core/form_fields.py."""
