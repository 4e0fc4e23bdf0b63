"""Place categories (every one DOMAIN.md names), building uses and key-unit metrics."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    HIGH_RISE = "high_rise", _("high-rise building")
    MALL = "mall", _("mall or market")
    COMMERCIAL_COMPLEX = "commercial_complex", _("large commercial complex")
    OLD_COMPOUND = "old_compound", _("old residential compound")
    RESIDENTIAL = "residential", _("residential compound")
    NINE_SMALL = "nine_small", _("small venue (nine small)")
    URBAN_VILLAGE_RENTAL = "urban_village_rental", _("urban-village rental housing")
    HERITAGE = "heritage", _("heritage building")
    PETROCHEMICAL = "petrochemical", _("petrochemical enterprise")
    UNDERGROUND = "underground", _("underground space")
    FACTORY_WAREHOUSE = "factory_warehouse", _("factory or warehouse")
    LOGISTICS = "logistics", _("logistics and storage")
    SCHOOL = "school", _("school")
    KINDERGARTEN = "kindergarten", _("kindergarten")
    ELDERLY_CARE = "elderly_care", _("elderly care home")
    MEDICAL = "medical", _("medical institution")
    HOTEL = "hotel", _("hotel or restaurant")
    RELIGIOUS = "religious", _("religious venue")
    ENTERTAINMENT = "entertainment", _("cultural or entertainment venue")
    ESCAPE_ROOM = "escape_room", _("escape room")
    ENERGY_STORAGE = "energy_storage", _("electrochemical energy storage station")
    EPIDEMIC = "epidemic", _("epidemic-related site")


# The industry department that supervises each category unless the ledger says otherwise
# (department codes from the core data migration). Editable per place.
DEFAULT_DEPARTMENT = {
    Category.HIGH_RISE: "zhujian",
    Category.MALL: "shangwu",
    Category.COMMERCIAL_COMPLEX: "shangwu",
    Category.OLD_COMPOUND: "zhujian",
    Category.RESIDENTIAL: "zhujian",
    Category.NINE_SMALL: "shichang",
    Category.URBAN_VILLAGE_RENTAL: "gongan",
    Category.HERITAGE: "wenlv",
    Category.PETROCHEMICAL: "yingji",
    Category.UNDERGROUND: "zhujian",
    Category.FACTORY_WAREHOUSE: "jingxin",
    Category.LOGISTICS: "shangwu",
    Category.SCHOOL: "jiaoyu",
    Category.KINDERGARTEN: "jiaoyu",
    Category.ELDERLY_CARE: "minzheng",
    Category.MEDICAL: "weijian",
    Category.HOTEL: "wenlv",
    Category.RELIGIOUS: "minzong",
    Category.ENTERTAINMENT: "wenlv",
    Category.ESCAPE_ROOM: "wenlv",
    Category.ENERGY_STORAGE: "fagai",
    Category.EPIDEMIC: "weijian",
}


class BuildingUse(models.TextChoices):
    """Decides the high-rise height threshold (GB 50016: residential 27 m, others 24 m)."""

    RESIDENTIAL = "residential", _("residential")
    PUBLIC = "public", _("public")
    MIXED = "mixed", _("mixed commercial/residential")
    INDUSTRIAL = "industrial", _("factory or warehouse")


class Metric(models.TextChoices):
    """What a key-unit criterion compares against its threshold."""

    AREA_TOTAL = "area_total", _("total floor area (m²)")
    AREA_ABOVE = "area_above", _("floor area above ground (m²)")
    AREA_BELOW = "area_below", _("floor area below ground (m²)")
    GUEST_ROOMS = "guest_rooms", _("guest rooms")
    BEDS = "beds", _("beds")
    ALWAYS = "always", _("every place of the category")


class ListedBy(models.TextChoices):
    """Who lists (列管) the unit for fire supervision: referral notices (抄告) go to them."""

    FIRE_BRIGADE = "fire_brigade", _("fire and rescue brigade")
    POLICE_STATION = "police_station", _("police station")
