"""`fireledger demo`: load the demo district (渝中区) with places and one user per role."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from fireledger.core.choices import Role
from fireledger.core.models import AuditEvent, Jurisdiction, Organisation, RoleAssignment, User
from fireledger.places import generator
from fireledger.places.models import Place
from fireledger.hazards import demo as hazard_demo
from fireledger.campaigns import demo as campaign_demo
from fireledger.inspections import demo as inspection_demo
from fireledger.public import demo as public_demo
from fireledger.documents import demo as documents_demo
from fireledger.duties import demo as duties_demo
from fireledger.exports import demo as exports_demo
from fireledger.hazards import demo_determination as determination_demo
from fireledger.inspections import demo_draws as draws_demo
from fireledger.reports import demo as reports_demo
from fireledger.risk import demo as risk_demo
from fireledger.risk.choices import Grade



def role_labels(role: str) -> tuple[str, str]:
    """The role's name in Chinese and in English, from the translation catalogue."""
    if role == "superuser":
        return ("超级管理员", "superuser")
    label = Role(role).label
    with translation.override("zh-hans"):
        zh = str(label)
    with translation.override("en"):
        en = str(label)
    return zh, en

DEMO_USERNAMES = ("admin", "district", "shangwu", "street", "grid", "unit", "street_qxg",
                  "street_llk")


class Command(BaseCommand):
    help = (
        "Load a deterministic demo district (渝中区: streets, communities, grids, units, places) "
        "and one user per role, password 'fireledger'. Refuses if ledger data exists unless "
        "--reset; --if-empty loads only into a database without jurisdictions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--places", type=int, default=5000, help="number of places (5000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
        parser.add_argument(
            "--reset", action="store_true",
            help="delete existing jurisdictions, places, units, role assignments, the demo users "
                 "and all audit events first (development databases only: needs FIRELEDGER_DEBUG)",
        )
        parser.add_argument(
            "--if-empty", action="store_true",
            help="do nothing (and succeed) when jurisdictions already exist",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, places, seed, reset, if_empty, no_progress, **options):
        if places < 1:
            raise CommandError("--places must be at least 1")
        has_data = Jurisdiction.objects.exists() or Place.objects.exists()
        if has_data and if_empty and not reset:
            self.stdout.write("已有辖区数据，跳过演示数据 / jurisdictions exist, demo data skipped")
            self.stdout.write(format_logins(existing_logins()))
            return
        if has_data and not reset:
            raise CommandError(
                "数据库中已有台账数据；如需重建演示数据请加 --reset / the database already holds "
                "ledger data: use --reset to replace it, or --if-empty to skip"
            )
        if reset and has_data:
            if not settings.DEBUG:
                raise CommandError("--reset deletes all ledger data and needs FIRELEDGER_DEBUG=1")
            self._reset()

        bar = None
        if not no_progress:
            from tqdm import tqdm

            bar = tqdm(total=places, unit="场所", desc="写入场所 places", file=self.stderr._out)

        def progress(n):
            bar.update(n - bar.n)

        generator.generate_demo(
            places=places, seed=seed, progress=progress if bar else None
        )
        if bar:
            bar.close()
        hazard_bar = None if no_progress else tqdm(unit="条", desc="写入隐患 hazards", file=self.stderr._out)
        hazards = hazard_demo.generate_demo_hazards(
            seed=seed, progress=(lambda n: hazard_bar.update(n - hazard_bar.n)) if hazard_bar is not None else None)
        if hazard_bar is not None:
            hazard_bar.close()
        self.stdout.write(f"演示隐患已生成 / demo hazards loaded: {hazards} 条隐患 hazards")
        inspection_bar = None if no_progress else tqdm(unit="次", desc="写入检查 inspections", file=self.stderr._out)
        inspections = inspection_demo.generate_demo_inspections(
            seed=seed, progress=(lambda n: inspection_bar.update(n - inspection_bar.n)) if inspection_bar is not None else None)
        if inspection_bar is not None:
            inspection_bar.close()
        self.stdout.write(
            f"演示检查已生成 / demo inspections loaded: {inspections.get('submitted', 0)} 次检查 "
            f"inspections (+{inspections.get('drafts', 0)} 草稿 drafts), "
            f"{inspections.get('commitments', 0)} 份承诺 commitments "
            f"({inspections.get('untrue', 0)} 不实 untrue)")
        campaign = campaign_demo.generate_demo_campaign()
        if campaign:
            self.stdout.write(
                f"演示专项行动已生成 / demo campaign loaded: {campaign['tasks']} 项任务 tasks, "
                f"{campaign['targets']} 个目标 targets, {campaign['assignments']} 项检查任务 "
                f"assignments ({campaign['unheld']} 无人承接 unheld), {campaign['reports']} "
                f"项报送 reports")
        public = public_demo.generate_demo_public(seed=seed)
        self.stdout.write(
            f"演示公众服务已生成 / demo public face loaded: {public.get('codes', 0)} 个消防安全码 "
            f"safety codes, {public.get('reports', 0)} 条群众举报 citizen reports, "
            f"{public.get('disclosures', 0)} 条公开信息 disclosures")
        self._supervision_and_reports(seed)
        self.stdout.write(self.style.SUCCESS(
            f"演示数据已生成 / demo data loaded: {generator.DEMO_DISTRICT[1]}, "
            f"{places} 个场所 places, seed {seed}"
        ))
        self.stdout.write(format_logins(existing_logins()))  # with the draw's two inspectors

    def _supervision_and_reports(self, seed: int) -> None:
        """Issues 6 and 8 on top of the ledger: determinations, risk grades, duties, a random
        draw (stratified by the grades just computed), documents, a bulletin and exports."""
        determinations = determination_demo.generate_demo_determinations()
        self.stdout.write(
            f"演示重大隐患判定 / demo determinations: {determinations.get('confirmed', 0)} 项已认定 "
            f"confirmed, {determinations.get('proposed', 0)} 项待决定 proposed")
        grades = risk_demo.generate_demo_risk()
        self.stdout.write(
            "演示风险分级 / demo risk grades: "
            + ", ".join(f"{Grade(grade).label} {count}" for grade, count in grades.items()))
        duties = duties_demo.generate_demo_duties(seed=seed)
        self.stdout.write(f"演示工作站职责记录 / demo duty records: {duties} 条 records")
        draw = draws_demo.generate_demo_draw()
        self.stdout.write(
            f"演示双随机抽查 / demo random draw: {draw.get('places', 0)} 个场所 places drawn "
            f"from a pool of {draw.get('pool', 0)}")
        documents = documents_demo.generate_demo_documents()
        self.stdout.write(f"演示文书 / demo documents: {sum(documents.values())} 份 issued")
        bulletin = reports_demo.issue_demo_bulletin()
        if bulletin is not None:
            self.stdout.write(f"演示通报 / demo bulletin: {bulletin}")
        exports = exports_demo.generate_demo_exports()
        self.stdout.write(f"演示导出 / demo exports: {len(exports)} 个 jobs")

    def _reset(self):
        self.stdout.write("删除现有台账数据 / deleting existing ledger data …")
        with transaction.atomic():
            # Audit events are append-only through the ORM; a demo reset wipes the whole
            # development ledger, so it deletes them with a raw delete on purpose.
            AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)
            RoleAssignment.objects.all().delete()
            exports_demo.delete_exports()
            reports_demo.delete_bulletins()  # bulletins PROTECT their issuing jurisdiction
            documents_demo.delete_documents()  # documents PROTECT hazards, inspections, places
            duties_demo.delete_duties()  # records PROTECT their street
            draws_demo.delete_draws()  # drawn places PROTECT their inspections
            public_demo.delete_public()  # reports and disclosures point at hazards, inspections
            campaign_demo.delete_campaigns()  # assignments and reports hang off campaigns
            inspection_demo.delete_inspections()  # results PROTECT hazards, inspections places
            hazard_demo.delete_hazards()  # hazards PROTECT their places
            Place.objects.all().delete()
            Organisation.objects.all().delete()
            User.objects.filter(username__in=DEMO_USERNAMES, is_superuser=False).delete()
            for level in ("grid", "community", "street", "district"):
                Jurisdiction.objects.filter(level=level).delete()


def existing_logins() -> list:
    """The login table for a database loaded earlier: the demo users that still exist."""
    logins = []
    for user in User.objects.filter(username__in=DEMO_USERNAMES).prefetch_related(
            "assignments__jurisdiction", "assignments__department", "assignments__organisation"):
        password = generator.DEMO_PASSWORD if user.check_password(generator.DEMO_PASSWORD) else "（已修改 changed）"
        found = list(user.assignments.all())
        if user.is_superuser and not found:
            logins.append(generator.Login(user.username, password, "superuser", "全部 / everything", "",
                                          user.first_name))
        for a in found:
            extra = a.department or a.organisation
            scope = a.jurisdiction.full_name + (f" · {extra}" if extra else "")
            logins.append(generator.Login(user.username, password, a.role, scope, a.jurisdiction.code,
                                          user.first_name))
    logins.sort(key=lambda lg: DEMO_USERNAMES.index(lg.username))
    return logins


def format_logins(logins) -> str:
    """The login table, Chinese and English headers, one line per user."""
    header = ("用户名 username", "密码 password", "角色 role", "姓名 name", "范围 scope")
    rows = [
        (lg.username, lg.password, " / ".join(role_labels(lg.role)),
         lg.name, lg.scope + (f" ({lg.scope_code})" if lg.scope_code else ""))
        for lg in logins
    ]

    def width(text: str) -> int:  # CJK characters take two columns in a terminal
        return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)

    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]

    def line(cells):
        padded = [c + " " * (w - width(c)) for c, w in zip(cells, widths)]
        return "  ".join([*padded, cells[-1]])

    out = ["", "演示账号 / demo logins", line(header),
           "  ".join("-" * w for w in widths) + "  " + "-" * 20]
    out += [line(r) for r in rows]
    return "\n".join(out) + "\n"
