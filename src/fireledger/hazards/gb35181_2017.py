"""GB 35181-2017《重大火灾隐患判定方法》 as data: elements, exclusions, counting rule.

Where from: /work/shared/reference/standards-cn.md §1 (1.3 exclusions, 1.4 直接判定要素, 1.5 综合判定要素, 1.6
counting rule). The texts below are copied verbatim from that file, which itself says its wording
is a *paraphrase* of the standard, not the official text.

Verification: ``verified`` follows the file's tags. [V] = checked against a third-party public copy
cited in the file; [G] = the author's general knowledge, NOT confirmed in any source read. Every
``verified=False`` item (most of ch. 7 and the whole counting rule) is a draft: correct it here
against the official text (openstd.samr.gov.cn) before it is relied on. In particular the numbering
of 7.9.1–7.9.5 is unverified, yet 7.9.3 is referenced by the 人员密集场所 counting row ([!] in the file).

Pure data: stdlib only, no Django import. Tuples of plain tuples, turned into dataclasses by
``fireledger.hazards.gb35181``.
"""

EDITION = "GB 35181-2017"
TITLE = "重大火灾隐患判定方法"

SRC_DIRECT_V = (
    "standards-cn.md §1.4 [V 233.com; tihaiku 6.4–6.7, 6.9; sdjtsd]; wording is a paraphrase"
)
SRC_DIRECT_PARTIAL = (
    "standards-cn.md §1.4: not in the 233.com (6.1–6.5) or tihaiku (6.4–6.7, 6.9) lists; only "
    "'most items also paraphrased at sdjtsd' — treated as unverified"
)
SRC_COMP_G = (
    "standards-cn.md §1.5 [G]: not confirmed in sources read"
)
SRC_COMP_V = (
    "standards-cn.md §1.5 [V docx.baby]"
)
SRC_79 = (
    "standards-cn.md §1.5 [G][!]: exact numbering of 7.9.1–7.9.5 not verified (listed order "
    "assumed)"
)

# (code, text, verified, source)
DIRECT_ELEMENTS = (
    (
        "6.1",
        "Plants, warehouses, dedicated stations/docks, tank farms that produce, store or "
        "load/unload flammable/explosive dangerous goods are **not at the city edge or in a "
        "relatively independent safe zone**",
        True,
        SRC_DIRECT_V,
    ),
    (
        "6.2",
        "A place producing/storing/selling flammable-explosive goods is **in the same building** "
        "as a crowded place or residence, **or** its separation distance to them is **< 75 %** "
        "of the code value",
        True,
        SRC_DIRECT_V,
    ),
    (
        "6.3",
        "In the built-up urban area, a filling station / CNG-LPG station / combined station "
        "holds a storage volume **≥ the grade-1 (一级站) limit** of GB 50156",
        True,
        SRC_DIRECT_V,
    ),
    (
        "6.4",
        "**甲/乙类** production places or warehouses in a **basement or semi-basement**",
        True,
        SRC_DIRECT_V,
    ),
    (
        "6.5",
        "公共娱乐场所、商店、地下人员密集场所: **number of safe exits insufficient, or total net width < 80 %** of "
        "the code value",
        True,
        SRC_DIRECT_V,
    ),
    (
        "6.6",
        "旅馆、公共娱乐场所、商店、地下人员密集场所 **lack** the automatic sprinkler system **or** the automatic fire "
        "alarm system required by code (present-but-broken is *comprehensive* 7.4.6 / 7.7.2, not "
        "direct) [V tihaiku]",
        True,
        SRC_DIRECT_V,
    ),
    (
        "6.7",
        "Tanks/tank areas of flammable/combustible liquids or combustible gas lack required "
        "fixed extinguishing, cooling, gas-concentration alarm or fire alarm facilities",
        True,
        SRC_DIRECT_V,
    ),
    (
        "6.8",
        "Crowded place uses, stores or sells flammable/explosive dangerous goods in violation of "
        "rules",
        False,
        SRC_DIRECT_PARTIAL,
    ),
    (
        "6.9",
        "托儿所、幼儿园 children's rooms and elderly activity places are on a **floor position** not "
        "allowed by code (location, not decoration) [V tihaiku]",
        True,
        SRC_DIRECT_V,
    ),
    (
        "6.10",
        "Residential part of a crowded place built of **color-steel sandwich panels** whose core "
        "is below **GB 8624 class A**",
        False,
        SRC_DIRECT_PARTIAL,
    ),
)

# Group headings of ch. 7 (the counting rule refers to clause numbers, so each element keeps its
# group).
COMPREHENSIVE_GROUPS = (
    ("7.1", "总平面布置"),
    ("7.2", "防火分隔"),
    ("7.3", "安全疏散设施及灭火救援条件"),
    ("7.4", "消防给水及灭火设施"),
    ("7.5", "防烟排烟设施"),
    ("7.6", "消防供电"),
    ("7.7", "火灾自动报警系统"),
    ("7.8", "消防安全管理"),
    ("7.9", "其他"),
)

# (code, group, text, verified, source)
COMPREHENSIVE_ELEMENTS = (
    (
        "7.1.1",
        "7.1",
        "fire-engine access road missing/blocked/occupied",
        False,
        SRC_COMP_G,
    ),
    (
        "7.1.2",
        "7.1",
        "existing separation distance occupied or **< 80 %** of code, or open flame / spark "
        "points too close to flammable-explosive plants",
        False,
        SRC_COMP_G,
    ),
    (
        "7.1.3",
        "7.1",
        "staff dormitories inside factories/warehouses/shops, or production/storage/business "
        "inside residential buildings, not complying with GA 703 (三合一)",
        False,
        SRC_COMP_G,
    ),
    (
        "7.1.4",
        "7.1",
        "commercial activity in metro station concourse/platform/evacuation passages",
        False,
        SRC_COMP_G,
    ),
    (
        "7.2.1",
        "7.2",
        "compartment changed so the actual compartment area exceeds the code value by **> 50 %**",
        False,
        SRC_COMP_G,
    ),
    (
        "7.2.2",
        "7.2",
        "**> 50 %** of the fire doors/shutters of a compartment damaged",
        False,
        SRC_COMP_G,
    ),
    (
        "7.2.3",
        "7.2",
        "hazardous spots in 丙/丁/戊 plants lack separation/explosion-protection measures",
        False,
        SRC_COMP_G,
    ),
    (
        "7.3.1",
        "7.3",
        "refuge corridor/room/floor non-compliant or occupied",
        False,
        SRC_COMP_G,
    ),
    (
        "7.3.2",
        "7.3",
        "stair type in crowded places non-compliant",
        False,
        SRC_COMP_G,
    ),
    (
        "7.3.3",
        "7.3",
        "(other places) exits insufficient in number/width, or blocked",
        False,
        SRC_COMP_G,
    ),
    (
        "7.3.4",
        "7.3",
        "required independent exit/stair missing",
        False,
        SRC_COMP_G,
    ),
    (
        "7.3.5",
        "7.3",
        "travel distance in shop sales halls **> 125 %** of code",
        False,
        "standards-cn.md §1.5: [V] only for the predecessor wording \"超过规定距离的25%\" (docx.baby); "
        "2017 text not confirmed",
    ),
    (
        "7.3.6",
        "7.3",
        "evacuation signs/emergency lighting missing or damage rate **> 30 %** (high-rise & "
        "underground) / **> 50 %** (others)",
        True,
        SRC_COMP_V,
    ),
    (
        "7.3.7",
        "7.3",
        "enclosed/smoke-proof stair doors damaged **> 20 %** (high-rise with crowded places) / "
        "**> 50 %** (others)",
        True,
        SRC_COMP_V,
    ),
    (
        "7.3.8",
        "7.3",
        "finishes of evacuation routes/stairs/anterooms in crowded places not per GB 50222",
        False,
        SRC_COMP_G,
    ),
    (
        "7.3.9",
        "7.3",
        "bars/rolling shutters on evacuation routes, stairs, doors or exits of crowded places",
        False,
        SRC_COMP_G,
    ),
    (
        "7.3.10",
        "7.3",
        "external windows of crowded places blocked (e.g., by billboards)",
        False,
        SRC_COMP_G,
    ),
    (
        "7.3.11",
        "7.3",
        "high-rise fire-engine road / rescue site non-compliant or occupied",
        False,
        SRC_COMP_G,
    ),
    (
        "7.3.12",
        "7.3",
        "fire lift not working",
        False,
        SRC_COMP_G,
    ),
    (
        "7.4.1",
        "7.4",
        "no fire water source / foam agent storage as required",
        False,
        SRC_COMP_G,
    ),
    (
        "7.4.2",
        "7.4",
        "outdoor fire water system missing or not working",
        False,
        SRC_COMP_G,
    ),
    (
        "7.4.3",
        "7.4",
        "indoor hydrant system missing or not working",
        False,
        SRC_COMP_G,
    ),
    (
        "7.4.4",
        "7.4",
        "sprinklers missing in places *other than* the 6.6 list",
        False,
        SRC_COMP_G,
    ),
    (
        "7.4.5",
        "7.4",
        "other required fixed extinguishing systems missing",
        False,
        SRC_COMP_G,
    ),
    (
        "7.4.6",
        "7.4",
        "installed sprinkler/fixed systems cannot operate",
        False,
        SRC_COMP_G,
    ),
    (
        "7.5",
        "7.5",
        "crowded places, high-rise and underground buildings lack smoke control, or it cannot "
        "operate",
        False,
        SRC_COMP_G,
    ),
    (
        "7.6.1",
        "7.6",
        "load class of fire power supply wrong",
        False,
        SRC_COMP_G,
    ),
    (
        "7.6.2",
        "7.6",
        "no dedicated circuits",
        False,
        SRC_COMP_G,
    ),
    (
        "7.6.3",
        "7.6",
        "end-of-line automatic changeover missing or failing",
        False,
        SRC_COMP_G,
    ),
    (
        "7.7.1",
        "7.7",
        "FAS missing in places other than the 6.6 list",
        False,
        SRC_COMP_G,
    ),
    (
        "7.7.2",
        "7.7",
        "FAS cannot operate normally",
        False,
        SRC_COMP_G,
    ),
    (
        "7.7.3",
        "7.7",
        "smoke control, fire pumps and other automatic systems cannot be linked/controlled",
        False,
        SRC_COMP_G,
    ),
    (
        "7.8.1",
        "7.8",
        "a unit required by law to have a full-time fire brigade (专职消防队) has none",
        False,
        SRC_COMP_G,
    ),
    (
        "7.8.2",
        "7.8",
        "fire control room operators not certified per GB 25506",
        False,
        SRC_COMP_G,
    ),
    (
        "7.9.1",
        "7.9",
        "fire-resistance rating mismatched with hazard class",
        False,
        SRC_79,
    ),
    (
        "7.9.2",
        "7.9",
        "missing/failed explosion-proof electrics or pressure relief where explosive "
        "atmospheres/dust exist",
        False,
        SRC_79,
    ),
    (
        "7.9.3",
        "7.9",
        "fuel-oil/gas equipment, piping or emergency shut-off non-compliant",
        False,
        SRC_79,
    ),
    (
        "7.9.4",
        "7.9",
        "electrical wiring on combustible material or non-compliant cables",
        False,
        SRC_79,
    ),
    (
        "7.9.5",
        "7.9",
        "combustible decoration in crowded places",
        False,
        SRC_79,
    ),
)

# Place-level exclusions, 2017 §5.1.3: (code, text, verified, source)
EXCLUSIONS = (
    ("5.1.3(a)", "依法进行了消防设计专家评审，并已采取相应技术措施的", True, "standards-cn.md §1.3 [V 233.com]"),
    ("5.1.3(b)", "单位、场所已经停产停业或停止使用的", True, "standards-cn.md §1.3 [V 233.com]"),
    ("5.1.3(c)", "不足以导致重大、特别重大火灾事故或严重社会影响的", True, "standards-cn.md §1.3 [V 233.com]"),
)

# Finding-level rule, 2017 §5.1.2 [G]: elements must be hazards that cannot be corrected
# immediately.
NOT_IMMEDIATELY_CORRECTABLE = (
    "5.1.2",
    "both direct and comprehensive elements must be hazards that **cannot be corrected immediately "
    "(不能立即改正)** — something fixed on the spot is not counted.",
    False,
    "standards-cn.md §1.3 [G]",
)

PLACE_CROWDED = "人员密集场所"
PLACE_FLAMMABLE = "易燃易爆危险品场所"
PLACE_IMPORTANT = "重要场所"
PLACE_OTHER = "其他场所"
PLACE_CLASSES = (PLACE_CROWDED, PLACE_FLAMMABLE, PLACE_IMPORTANT, PLACE_OTHER)

_CROWDED_CODES = ("7.3.1", "7.3.2", "7.3.3", "7.3.4", "7.3.5", "7.3.6", "7.3.7", "7.3.8", "7.3.9",
                  "7.5", "7.9.3")
_FLAMMABLE_CODES = ("7.1.1", "7.1.2", "7.1.3", "7.4.5", "7.4.6")
SRC_COUNTING = "standards-cn.md §1.6 (2017 §5.3) [G]"

# Counting rule, 2017 §5.3 [G]: (rule id, place classes it applies to, counted codes or None = any
# ch. 7 element, threshold 含本数, verified, source). Major if any applicable row reaches its
# threshold.
COUNTING_RULES = (
    ("5.3-crowded", (PLACE_CROWDED,), _CROWDED_CODES, 3, False,
     SRC_COUNTING + "; 7.9.3 numbering [!]"),
    ("5.3-flammable", (PLACE_FLAMMABLE,), _FLAMMABLE_CODES, 3, False, SRC_COUNTING),
    ("5.3-any4", (PLACE_CROWDED, PLACE_FLAMMABLE, PLACE_IMPORTANT), None, 4, False, SRC_COUNTING),
    ("5.3-other", (PLACE_OTHER,), None, 6, False, SRC_COUNTING),
)
