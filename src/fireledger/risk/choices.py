from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    """The four risk grades (重大/较大/一般/低 风险), named by their colours as the
    红橙黄蓝 scheme does; ordered from the highest risk down."""

    RED = "red", _("major risk (red)")
    ORANGE = "orange", _("high risk (orange)")
    YELLOW = "yellow", _("moderate risk (yellow)")
    BLUE = "blue", _("low risk (blue)")
