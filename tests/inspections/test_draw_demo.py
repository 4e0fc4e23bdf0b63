"""The demo draw: made on the demo district (a small one) with the fixed seed, reproducible;
delete_draws clears the way for the demo's reset."""

import pytest

from fireledger.inspections import demo_draws
from fireledger.inspections import services_draws as sd
from fireledger.inspections.models import Inspection, RandomDraw


@pytest.mark.django_db
def test_demo_draw(tmp_path):
    from django.core.management import call_command

    call_command("demo", places=300, seed=7, no_progress=True, stdout=open(tmp_path / "o", "w"))
    assert RandomDraw.objects.count() == 1  # `fireledger demo` makes the demo draw itself
    demo_draws.delete_draws()
    before = Inspection.objects.count()
    counts = demo_draws.generate_demo_draw()
    draw = RandomDraw.objects.get()
    assert counts == {"draw": draw.pk, "places": draw.drawn_count, "pool": draw.pool_size}
    assert draw.drawn_count > 0 and draw.seed == demo_draws.DEMO_SEED
    assert Inspection.objects.count() == before + draw.drawn_count
    assert sd.reproduce(draw) == []
    demo_draws.delete_draws()
    assert not RandomDraw.objects.exists()
