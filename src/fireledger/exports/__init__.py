"""Long .xlsx exports of the statutory tables, run as jobs with progress."""
