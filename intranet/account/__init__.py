"""The account page of every staff member."""
