"""Entry pages. Dashboards come later; what needs the user today is the first thing they see."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


@login_required
def home(request):
    return redirect("hazards:inbox")
