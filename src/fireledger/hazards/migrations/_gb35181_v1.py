"""GB 35181 rule sets, version 1, frozen as the engine (hazards/gb35181.py) had them when
migration 0007 was written. Frozen so a later correction of the engine data does not change what
version 1 was on a new database: a corrected list is loaded as version 2 by a new migration.
The 2017 set carries the [G] (unverified) flags of standards-cn.md per element and row.
"""

# fmt: off
RULE_SETS = {'GB35181-2017': {'edition': 'GB 35181-2017',
                  'title': '重大火灾隐患判定方法',
                  'complete': True,
                  'data': {'elements': [{'code': '6.1',
                                         'text': 'Plants, warehouses, dedicated stations/docks, '
                                                 'tank farms that produce, store or load/unload '
                                                 'flammable/explosive dangerous goods are **not at '
                                                 'the city edge or in a relatively independent '
                                                 'safe zone**',
                                         'kind': 'direct',
                                         'group': '6',
                                         'verified': True,
                                         'source': 'standards-cn.md §1.4 [V 233.com; tihaiku '
                                                   '6.4–6.7, 6.9; sdjtsd]; wording is a '
                                                   'paraphrase'},
                                        {'code': '6.2',
                                         'text': 'A place producing/storing/selling '
                                                 'flammable-explosive goods is **in the same '
                                                 'building** as a crowded place or residence, '
                                                 '**or** its separation distance to them is **< 75 '
                                                 '%** of the code value',
                                         'kind': 'direct',
                                         'group': '6',
                                         'verified': True,
                                         'source': 'standards-cn.md §1.4 [V 233.com; tihaiku '
                                                   '6.4–6.7, 6.9; sdjtsd]; wording is a '
                                                   'paraphrase'},
                                        {'code': '6.3',
                                         'text': 'In the built-up urban area, a filling station / '
                                                 'CNG-LPG station / combined station holds a '
                                                 'storage volume **≥ the grade-1 (一级站) limit** of '
                                                 'GB 50156',
                                         'kind': 'direct',
                                         'group': '6',
                                         'verified': True,
                                         'source': 'standards-cn.md §1.4 [V 233.com; tihaiku '
                                                   '6.4–6.7, 6.9; sdjtsd]; wording is a '
                                                   'paraphrase'},
                                        {'code': '6.4',
                                         'text': '**甲/乙类** production places or warehouses in a '
                                                 '**basement or semi-basement**',
                                         'kind': 'direct',
                                         'group': '6',
                                         'verified': True,
                                         'source': 'standards-cn.md §1.4 [V 233.com; tihaiku '
                                                   '6.4–6.7, 6.9; sdjtsd]; wording is a '
                                                   'paraphrase'},
                                        {'code': '6.5',
                                         'text': '公共娱乐场所、商店、地下人员密集场所: **number of safe exits '
                                                 'insufficient, or total net width < 80 %** of the '
                                                 'code value',
                                         'kind': 'direct',
                                         'group': '6',
                                         'verified': True,
                                         'source': 'standards-cn.md §1.4 [V 233.com; tihaiku '
                                                   '6.4–6.7, 6.9; sdjtsd]; wording is a '
                                                   'paraphrase'},
                                        {'code': '6.6',
                                         'text': '旅馆、公共娱乐场所、商店、地下人员密集场所 **lack** the automatic '
                                                 'sprinkler system **or** the automatic fire alarm '
                                                 'system required by code (present-but-broken is '
                                                 '*comprehensive* 7.4.6 / 7.7.2, not direct) [V '
                                                 'tihaiku]',
                                         'kind': 'direct',
                                         'group': '6',
                                         'verified': True,
                                         'source': 'standards-cn.md §1.4 [V 233.com; tihaiku '
                                                   '6.4–6.7, 6.9; sdjtsd]; wording is a '
                                                   'paraphrase'},
                                        {'code': '6.7',
                                         'text': 'Tanks/tank areas of flammable/combustible '
                                                 'liquids or combustible gas lack required fixed '
                                                 'extinguishing, cooling, gas-concentration alarm '
                                                 'or fire alarm facilities',
                                         'kind': 'direct',
                                         'group': '6',
                                         'verified': True,
                                         'source': 'standards-cn.md §1.4 [V 233.com; tihaiku '
                                                   '6.4–6.7, 6.9; sdjtsd]; wording is a '
                                                   'paraphrase'},
                                        {'code': '6.8',
                                         'text': 'Crowded place uses, stores or sells '
                                                 'flammable/explosive dangerous goods in violation '
                                                 'of rules',
                                         'kind': 'direct',
                                         'group': '6',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.4: not in the 233.com '
                                                   '(6.1–6.5) or tihaiku (6.4–6.7, 6.9) lists; '
                                                   "only 'most items also paraphrased at sdjtsd' — "
                                                   'treated as unverified'},
                                        {'code': '6.9',
                                         'text': "托儿所、幼儿园 children's rooms and elderly activity "
                                                 'places are on a **floor position** not allowed '
                                                 'by code (location, not decoration) [V tihaiku]',
                                         'kind': 'direct',
                                         'group': '6',
                                         'verified': True,
                                         'source': 'standards-cn.md §1.4 [V 233.com; tihaiku '
                                                   '6.4–6.7, 6.9; sdjtsd]; wording is a '
                                                   'paraphrase'},
                                        {'code': '6.10',
                                         'text': 'Residential part of a crowded place built of '
                                                 '**color-steel sandwich panels** whose core is '
                                                 'below **GB 8624 class A**',
                                         'kind': 'direct',
                                         'group': '6',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.4: not in the 233.com '
                                                   '(6.1–6.5) or tihaiku (6.4–6.7, 6.9) lists; '
                                                   "only 'most items also paraphrased at sdjtsd' — "
                                                   'treated as unverified'},
                                        {'code': '7.1.1',
                                         'text': 'fire-engine access road missing/blocked/occupied',
                                         'kind': 'comprehensive',
                                         'group': '7.1',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.1.2',
                                         'text': 'existing separation distance occupied or **< 80 '
                                                 '%** of code, or open flame / spark points too '
                                                 'close to flammable-explosive plants',
                                         'kind': 'comprehensive',
                                         'group': '7.1',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.1.3',
                                         'text': 'staff dormitories inside '
                                                 'factories/warehouses/shops, or '
                                                 'production/storage/business inside residential '
                                                 'buildings, not complying with GA 703 (三合一)',
                                         'kind': 'comprehensive',
                                         'group': '7.1',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.1.4',
                                         'text': 'commercial activity in metro station '
                                                 'concourse/platform/evacuation passages',
                                         'kind': 'comprehensive',
                                         'group': '7.1',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.2.1',
                                         'text': 'compartment changed so the actual compartment '
                                                 'area exceeds the code value by **> 50 %**',
                                         'kind': 'comprehensive',
                                         'group': '7.2',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.2.2',
                                         'text': '**> 50 %** of the fire doors/shutters of a '
                                                 'compartment damaged',
                                         'kind': 'comprehensive',
                                         'group': '7.2',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.2.3',
                                         'text': 'hazardous spots in 丙/丁/戊 plants lack '
                                                 'separation/explosion-protection measures',
                                         'kind': 'comprehensive',
                                         'group': '7.2',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.3.1',
                                         'text': 'refuge corridor/room/floor non-compliant or '
                                                 'occupied',
                                         'kind': 'comprehensive',
                                         'group': '7.3',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.3.2',
                                         'text': 'stair type in crowded places non-compliant',
                                         'kind': 'comprehensive',
                                         'group': '7.3',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.3.3',
                                         'text': '(other places) exits insufficient in '
                                                 'number/width, or blocked',
                                         'kind': 'comprehensive',
                                         'group': '7.3',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.3.4',
                                         'text': 'required independent exit/stair missing',
                                         'kind': 'comprehensive',
                                         'group': '7.3',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.3.5',
                                         'text': 'travel distance in shop sales halls **> 125 %** '
                                                 'of code',
                                         'kind': 'comprehensive',
                                         'group': '7.3',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5: [V] only for the '
                                                   'predecessor wording "超过规定距离的25%" (docx.baby); '
                                                   '2017 text not confirmed'},
                                        {'code': '7.3.6',
                                         'text': 'evacuation signs/emergency lighting missing or '
                                                 'damage rate **> 30 %** (high-rise & underground) '
                                                 '/ **> 50 %** (others)',
                                         'kind': 'comprehensive',
                                         'group': '7.3',
                                         'verified': True,
                                         'source': 'standards-cn.md §1.5 [V docx.baby]'},
                                        {'code': '7.3.7',
                                         'text': 'enclosed/smoke-proof stair doors damaged **> 20 '
                                                 '%** (high-rise with crowded places) / **> 50 %** '
                                                 '(others)',
                                         'kind': 'comprehensive',
                                         'group': '7.3',
                                         'verified': True,
                                         'source': 'standards-cn.md §1.5 [V docx.baby]'},
                                        {'code': '7.3.8',
                                         'text': 'finishes of evacuation routes/stairs/anterooms '
                                                 'in crowded places not per GB 50222',
                                         'kind': 'comprehensive',
                                         'group': '7.3',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.3.9',
                                         'text': 'bars/rolling shutters on evacuation routes, '
                                                 'stairs, doors or exits of crowded places',
                                         'kind': 'comprehensive',
                                         'group': '7.3',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.3.10',
                                         'text': 'external windows of crowded places blocked '
                                                 '(e.g., by billboards)',
                                         'kind': 'comprehensive',
                                         'group': '7.3',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.3.11',
                                         'text': 'high-rise fire-engine road / rescue site '
                                                 'non-compliant or occupied',
                                         'kind': 'comprehensive',
                                         'group': '7.3',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.3.12',
                                         'text': 'fire lift not working',
                                         'kind': 'comprehensive',
                                         'group': '7.3',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.4.1',
                                         'text': 'no fire water source / foam agent storage as '
                                                 'required',
                                         'kind': 'comprehensive',
                                         'group': '7.4',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.4.2',
                                         'text': 'outdoor fire water system missing or not working',
                                         'kind': 'comprehensive',
                                         'group': '7.4',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.4.3',
                                         'text': 'indoor hydrant system missing or not working',
                                         'kind': 'comprehensive',
                                         'group': '7.4',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.4.4',
                                         'text': 'sprinklers missing in places *other than* the '
                                                 '6.6 list',
                                         'kind': 'comprehensive',
                                         'group': '7.4',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.4.5',
                                         'text': 'other required fixed extinguishing systems '
                                                 'missing',
                                         'kind': 'comprehensive',
                                         'group': '7.4',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.4.6',
                                         'text': 'installed sprinkler/fixed systems cannot operate',
                                         'kind': 'comprehensive',
                                         'group': '7.4',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.5',
                                         'text': 'crowded places, high-rise and underground '
                                                 'buildings lack smoke control, or it cannot '
                                                 'operate',
                                         'kind': 'comprehensive',
                                         'group': '7.5',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.6.1',
                                         'text': 'load class of fire power supply wrong',
                                         'kind': 'comprehensive',
                                         'group': '7.6',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.6.2',
                                         'text': 'no dedicated circuits',
                                         'kind': 'comprehensive',
                                         'group': '7.6',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.6.3',
                                         'text': 'end-of-line automatic changeover missing or '
                                                 'failing',
                                         'kind': 'comprehensive',
                                         'group': '7.6',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.7.1',
                                         'text': 'FAS missing in places other than the 6.6 list',
                                         'kind': 'comprehensive',
                                         'group': '7.7',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.7.2',
                                         'text': 'FAS cannot operate normally',
                                         'kind': 'comprehensive',
                                         'group': '7.7',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.7.3',
                                         'text': 'smoke control, fire pumps and other automatic '
                                                 'systems cannot be linked/controlled',
                                         'kind': 'comprehensive',
                                         'group': '7.7',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.8.1',
                                         'text': 'a unit required by law to have a full-time fire '
                                                 'brigade (专职消防队) has none',
                                         'kind': 'comprehensive',
                                         'group': '7.8',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.8.2',
                                         'text': 'fire control room operators not certified per GB '
                                                 '25506',
                                         'kind': 'comprehensive',
                                         'group': '7.8',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G]: not confirmed in '
                                                   'sources read'},
                                        {'code': '7.9.1',
                                         'text': 'fire-resistance rating mismatched with hazard '
                                                 'class',
                                         'kind': 'comprehensive',
                                         'group': '7.9',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G][!]: exact numbering '
                                                   'of 7.9.1–7.9.5 not verified (listed order '
                                                   'assumed)'},
                                        {'code': '7.9.2',
                                         'text': 'missing/failed explosion-proof electrics or '
                                                 'pressure relief where explosive atmospheres/dust '
                                                 'exist',
                                         'kind': 'comprehensive',
                                         'group': '7.9',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G][!]: exact numbering '
                                                   'of 7.9.1–7.9.5 not verified (listed order '
                                                   'assumed)'},
                                        {'code': '7.9.3',
                                         'text': 'fuel-oil/gas equipment, piping or emergency '
                                                 'shut-off non-compliant',
                                         'kind': 'comprehensive',
                                         'group': '7.9',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G][!]: exact numbering '
                                                   'of 7.9.1–7.9.5 not verified (listed order '
                                                   'assumed)'},
                                        {'code': '7.9.4',
                                         'text': 'electrical wiring on combustible material or '
                                                 'non-compliant cables',
                                         'kind': 'comprehensive',
                                         'group': '7.9',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G][!]: exact numbering '
                                                   'of 7.9.1–7.9.5 not verified (listed order '
                                                   'assumed)'},
                                        {'code': '7.9.5',
                                         'text': 'combustible decoration in crowded places',
                                         'kind': 'comprehensive',
                                         'group': '7.9',
                                         'verified': False,
                                         'source': 'standards-cn.md §1.5 [G][!]: exact numbering '
                                                   'of 7.9.1–7.9.5 not verified (listed order '
                                                   'assumed)'}],
                           'exclusions': [{'code': '5.1.3(a)',
                                           'text': '依法进行了消防设计专家评审，并已采取相应技术措施的',
                                           'verified': True,
                                           'source': 'standards-cn.md §1.3 [V 233.com]'},
                                          {'code': '5.1.3(b)',
                                           'text': '单位、场所已经停产停业或停止使用的',
                                           'verified': True,
                                           'source': 'standards-cn.md §1.3 [V 233.com]'},
                                          {'code': '5.1.3(c)',
                                           'text': '不足以导致重大、特别重大火灾事故或严重社会影响的',
                                           'verified': True,
                                           'source': 'standards-cn.md §1.3 [V 233.com]'}],
                           'counting_rules': [{'rule_id': '5.3-crowded',
                                               'place_classes': ['人员密集场所'],
                                               'counted_codes': ['7.3.1',
                                                                 '7.3.2',
                                                                 '7.3.3',
                                                                 '7.3.4',
                                                                 '7.3.5',
                                                                 '7.3.6',
                                                                 '7.3.7',
                                                                 '7.3.8',
                                                                 '7.3.9',
                                                                 '7.5',
                                                                 '7.9.3'],
                                               'threshold': 3,
                                               'verified': False,
                                               'source': 'standards-cn.md §1.6 (2017 §5.3) [G]; '
                                                         '7.9.3 numbering [!]'},
                                              {'rule_id': '5.3-flammable',
                                               'place_classes': ['易燃易爆危险品场所'],
                                               'counted_codes': ['7.1.1',
                                                                 '7.1.2',
                                                                 '7.1.3',
                                                                 '7.4.5',
                                                                 '7.4.6'],
                                               'threshold': 3,
                                               'verified': False,
                                               'source': 'standards-cn.md §1.6 (2017 §5.3) [G]'},
                                              {'rule_id': '5.3-any4',
                                               'place_classes': ['人员密集场所', '易燃易爆危险品场所', '重要场所'],
                                               'counted_codes': None,
                                               'threshold': 4,
                                               'verified': False,
                                               'source': 'standards-cn.md §1.6 (2017 §5.3) [G]'},
                                              {'rule_id': '5.3-other',
                                               'place_classes': ['其他场所'],
                                               'counted_codes': None,
                                               'threshold': 6,
                                               'verified': False,
                                               'source': 'standards-cn.md §1.6 (2017 §5.3) [G]'}],
                           'place_classes': ['人员密集场所', '易燃易爆危险品场所', '重要场所', '其他场所'],
                           'missing': [],
                           'notes': ['element wording is the paraphrase of standards-cn.md, not '
                                     'the official text',
                                     '5.1.2 [G] (not immediately correctable) is applied per '
                                     'finding via Finding.corrected_on_spot'],
                           'groups': [['7.1', '总平面布置'],
                                      ['7.2', '防火分隔'],
                                      ['7.3', '安全疏散设施及灭火救援条件'],
                                      ['7.4', '消防给水及灭火设施'],
                                      ['7.5', '防烟排烟设施'],
                                      ['7.6', '消防供电'],
                                      ['7.7', '火灾自动报警系统'],
                                      ['7.8', '消防安全管理'],
                                      ['7.9', '其他']]}},
 'GB35181-2025': {'edition': 'GB 35181-2025',
                  'title': '重大火灾隐患判定规则',
                  'complete': False,
                  'data': {'elements': [],
                           'exclusions': [],
                           'counting_rules': [],
                           'place_classes': [],
                           'missing': ['§4.2 exclusions (changed from 2017 §5.1.3; content not '
                                       'available)',
                                       'ch. 5 直接判定要素 (changed from 2017 ch. 6)',
                                       'ch. 6 综合判定要素 (changed from 2017 ch. 7)',
                                       'comprehensive counting rule and thresholds (not known)',
                                       "附录A rules for 火灾自动报警系统/固定灭火设施 '不能正常运行'"],
                           'notes': ['发布 2025-04-25, 实施 2025-11-01 [V fire114]; replaces GB '
                                     '35181-2017',
                                     '国家消防救援局 提出并归口 [V fire114]; TC113/SC9 执行 [V 43u]',
                                     'structure: 3 术语和定义; 4 判定规则 (4.2 = exclusions); 5 直接判定要素; 6 '
                                     '综合判定要素; 附录A',
                                     'term 重要场所 deleted; added 儿童活动场所、老年人照料设施、劳动密集型企业、多业态混合生产经营场所 '
                                     '(the full 2025 place-class list is not known, so '
                                     'place_classes is left empty)',
                                     'determination principles and procedure (2017 ch. 4) deleted',
                                     'cases opened before 2025-11-01 keep the 2017 basis'],
                           'groups': []}}}
