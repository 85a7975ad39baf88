"""Check-ins and waiting numbers, and the staff live queue."""
