"""Risk index and grades per place (风险分级)."""
