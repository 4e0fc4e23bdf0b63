"""Risk-based inspection frequency, the due-inspection queue and the fire work station's duty calendar."""
