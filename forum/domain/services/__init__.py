"""Services: the unit of work. Public functions check policy, change models, commit once."""
