"""Shared fixtures: a small district with two streets, users for every role, a few places."""

import pytest

from fireledger.core.choices import Level, Role
from fireledger.core.models import Department, Jurisdiction, Organisation, RoleAssignment, User
from fireledger.places import services
from fireledger.places.choices import Category

PASSWORD = "fireledger-test"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Tests create many users: a fast hasher keeps the suite quick (never used outside tests)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language (zh-hans): a request made by an earlier test in
    the same worker leaves its own (English, say) active in the thread."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploaded photos go to a temporary directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


def png_bytes(colour=(200, 30, 30)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def photo():
    """photo(name): a fresh small PNG upload, as a phone would send it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(name="现场照片.png"):
        return SimpleUploadedFile(name, png_bytes(), content_type="image/png")
    return make


def _migration_data():
    """The rows the data migrations load (departments, key-unit criteria, hazard taxonomy);
    each loader is idempotent."""
    import importlib

    from django.apps import apps

    for module in ("fireledger.core.migrations.0002_departments",
                   "fireledger.core.migrations.0004_seed_calendar",
                   "fireledger.places.migrations.0002_key_unit_criteria",
                   "fireledger.hazards.migrations.0002_categories",
                   "fireledger.hazards.migrations.0004_deadline_rules",
                   "fireledger.hazards.migrations.0005_more_categories",
                   "fireledger.inspections.migrations.0002_checklists",
                   "fireledger.hazards.migrations.0007_major_determination",
                   "fireledger.duties.migrations.0002_defaults"):
        importlib.import_module(module).add(apps, None)


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (browser tests, threads) ends with a flush that empties every table,
    including what the data migrations loaded: put that back, after the flush, for the tests
    that follow in this process."""
    result = yield
    marker = item.get_closest_marker("django_db")
    flushed = (marker is not None and marker.kwargs.get("transaction")) or (
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))
    if flushed and nextitem is not None:  # at the last test the test database is gone already
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _migration_data()
    return result


def _j(code, name, level, parent=None):
    return Jurisdiction.objects.create(code=code, name=name, level=level, parent=parent)


@pytest.fixture
def tree(db):
    """渝中区 with 解放碑街道 and 七星岗街道, two communities each, two grids per community."""
    d = _j("500103000000", "渝中区", Level.DISTRICT)
    nodes = {"district": d}
    for s_no, s_name in ((1, "解放碑街道"), (2, "七星岗街道")):
        street = _j(f"500103{s_no:03d}000", s_name, Level.STREET, d)
        nodes[f"street{s_no}"] = street
        for c_no in (1, 2):
            comm = _j(f"500103{s_no:03d}{c_no:03d}", f"{s_name[:2]}{c_no}社区", Level.COMMUNITY, street)
            nodes[f"community{s_no}{c_no}"] = comm
            for g_no in (1, 2):
                nodes[f"grid{s_no}{c_no}{g_no}"] = _j(
                    f"{comm.code}{g_no:03d}", f"第{g_no}网格", Level.GRID, comm)
    return nodes


@pytest.fixture
def unit(db):
    return Organisation.objects.create(name="重庆解放碑物业管理有限公司")


def make_user(username, role=None, jurisdiction=None, **extra):
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username)
    if role:
        RoleAssignment.objects.create(user=user, role=role, jurisdiction=jurisdiction, **extra)
    return user


@pytest.fixture
def users(tree, unit):
    """One user per role; street, grid and unit all sit in 解放碑街道."""
    shangwu = Department.objects.get(code="shangwu")
    return {
        "district_office": make_user("district", Role.DISTRICT_OFFICE, tree["district"]),
        "department_officer": make_user("shangwu", Role.DEPARTMENT_OFFICER, tree["district"],
                                        department=shangwu),
        "street_officer": make_user("street", Role.STREET_OFFICER, tree["street1"]),
        "grid_worker": make_user("grid", Role.GRID_WORKER, tree["grid111"]),
        "unit_manager": make_user("unit", Role.UNIT_MANAGER, tree["street1"], organisation=unit),
        "nobody": make_user("nobody"),
    }


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("admin", password=PASSWORD)


@pytest.fixture
def places(tree, unit, admin_user):
    """A mall in grid 1-1-1 managed by `unit`, a compound in community 1-2, a hotel in street 2."""
    shangwu = Department.objects.get(code="shangwu")
    zhujian = Department.objects.get(code="zhujian")
    return {
        "mall": services.create_place(
            admin_user, name="解放碑时代广场", category=Category.MALL, jurisdiction=tree["grid111"],
            department=shangwu, manager=unit, area_above=12000, height_m=98, floors_above=30,
            address="渝中区民权路1号"),
        "compound": services.create_place(
            admin_user, name="新华路12号院", category=Category.OLD_COMPOUND, building_use="residential",
            jurisdiction=tree["community12"], department=zhujian, year_built=1992, height_m=21,
            address="渝中区新华路12号"),
        "hotel": services.create_place(
            admin_user, name="七星岗宾馆", category=Category.HOTEL, jurisdiction=tree["grid211"],
            department=Department.objects.get(code="wenlv"), guest_rooms=60, address="渝中区中山一路8号"),
    }


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client
    return _login
