"""Files the school hands to others: the central database's export, letters and sheets."""
