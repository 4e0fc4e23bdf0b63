"""A job's status (an import, an export) moved by one conditional UPDATE: the transition table
decides what may follow what, and the UPDATE only lands if nobody moved the job first — two
clicks, or a task delivered twice, cannot both start the work."""


class InvalidTransition(Exception):
    """A status change the table does not allow, or one another request or worker made first."""


class GuardedStatus:
    """Mixin for a model with a `status` field; TRANSITIONS maps a status to those that may
    follow it."""

    TRANSITIONS: dict[str, frozenset[str]] = {}

    @classmethod
    def allowed(cls, current: str, new: str) -> bool:
        return new in cls.TRANSITIONS.get(current, frozenset())

    def transition(self, new: str, **fields) -> None:
        """Move to `new` (and set fields) if the table allows it and nobody moved it first."""
        if not self.allowed(self.status, new):
            raise InvalidTransition(f"{self.status} → {new}")
        updated = type(self)._default_manager.filter(pk=self.pk, status=self.status).update(
            status=new, **fields)
        if not updated:
            raise InvalidTransition(f"{self.status} → {new}: status changed meanwhile")
        self.status = new
        for name, value in fields.items():
            setattr(self, name, value)
