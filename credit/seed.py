"""The two models shipped as data (post_migrate, like sanctions' kinds_sync): created once, then an
administrator's versions are left alone.

huzhou — 湖州个人诚信码 "1+1+1+X" (seeds 000, 003): the provincial public credit score × 40 % up to 400; each
commitment kept 20 points up to 400; commendations up to 50; growth for commitments kept over a year (X);
broken commitments (违诺) deduct and stop counting after six months; active repair (volunteering, blood donation,
donations) offsets deductions. Persons only; an organisation keeps its imported grade.

dongtou — 洞头个人诚信文明指数 (seed 001): a base of 100 with positive and negative indicators; 未兑现政务承诺
by severity, each with its own period after which it is repaired by itself (到期自动修复); an organisation's
entries pass through to its legal representative (指标穿透)."""

from decimal import Decimal as D

HUZHOU = {
    "code": "huzhou", "name": "湖州个人诚信码（1+1+1+X）",
    "description": "以浙江省个人公共信用评价为基础（×40%，最高400分），以信用承诺和履约践诺为核心（每一承诺20分，"
                   "最高400分），以表彰奖励（最高50分）和成长激励为补充；违诺扣分六个月后不再计入。",
    "version": {"base_points": D(0), "applies_to_person": True, "applies_to_organisation": False,
                "requires_imported": True, "imported_scores": {"A": 900, "B": 800, "C": 650, "D": 500}},
    "indicators": [
        # code, name, source, points, negative, cap, pass_through, repair_months, matures_months, offsets_only
        ("provincial", "省个人公共信用评价（×40%）", "imported", D("0.4"), False, D(400), False, None, None, False),
        ("kept", "信用承诺履约践诺", "commitment_kept", D(20), False, D(400), False, None, None, False),
        ("commendation", "县级以上党委政府表彰奖励", "commendation", D(10), False, D(50), False, None, None, False),
        ("growth", "成长激励（践诺满一年）", "commitment_kept", D(5), False, D(100), False, None, 12, False),
        ("broken_1", "违诺（一级）", "violation_1", D(30), True, None, False, 6, None, False),
        ("broken_2", "违诺（二级）", "violation_2", D(60), True, None, False, 6, None, False),
        ("broken_3", "违诺（三级）", "violation_3", D(100), True, None, False, 6, None, False),
        ("restricted", "列入违诺制约名单（制约期内）", "restriction", D(100), True, None, False, None, None, False),
        ("volunteer", "志愿服务（每小时）", "volunteering", D(1), False, D(100), False, None, None, True),
        ("blood", "无偿献血（每次）", "blood_donation", D(20), False, D(100), False, None, None, True),
        ("donation", "慈善捐赠（每百元1分）", "donation", D("0.01"), False, D(100), False, None, None, True),
    ],
    "bands": [("A", "优秀", D(360), None), ("B", "良好", D(320), D(360)), ("C", "一般", D(260), D(320)),
              ("D", "较差", None, D(260))],
}

DONGTOU = {
    "code": "dongtou", "name": "洞头个人诚信文明指数",
    "description": "基础分100分，设正向、反向指标；未兑现政务承诺按严重程度扣分，计分周期届满自动修复；"
                  "涉事主体为企事业单位的，其法定代表人同步加减分（指标穿透）。",
    "version": {"base_points": D(100), "applies_to_person": True, "applies_to_organisation": False,
                "requires_imported": False, "imported_scores": {}},
    "indicators": [
        ("kept", "兑现政务承诺", "commitment_kept", D(1), False, D(20), True, 24, None, False),
        ("commendation", "表彰奖励", "commendation", D(5), False, D(20), False, 24, None, False),
        ("volunteer", "志愿服务（每小时0.5分）", "volunteering", D("0.5"), False, D(10), False, 12, None, False),
        ("blood", "无偿献血（每次）", "blood_donation", D(2), False, D(10), False, 24, None, False),
        ("donation", "慈善捐赠（每千元1分）", "donation", D("0.001"), False, D(10), False, 12, None, False),
        ("unkept_1", "未兑现政务承诺（一般）", "violation_1", D(5), True, D(30), True, 6, None, False),
        ("unkept_2", "未兑现政务承诺（较重）", "violation_2", D(10), True, D(40), True, 12, None, False),
        ("unkept_3", "未兑现政务承诺（严重）", "violation_3", D(20), True, D(60), True, 24, None, False),
        ("restricted", "列入违诺制约名单", "restriction", D(20), True, D(40), True, None, None, False),
    ],
    "bands": [("A", "诚信文明绿码", D(110), None), ("B", "良好", D(90), D(110)), ("C", "一般", D(70), D(90)),
              ("D", "较差", None, D(70))],
}

BUILTIN_MODELS = [HUZHOU, DONGTOU]


def create_model(data: dict):
    from .models import EvaluationModel, GradeBand, Indicator, ModelVersion, VersionState

    model = EvaluationModel.objects.create(code=data["code"], name=data["name"], description=data["description"])
    version = ModelVersion.objects.create(model=model, number=1, state=VersionState.PUBLISHED, **data["version"])
    Indicator.objects.bulk_create([
        Indicator(version=version, code=code, name=name, source=source, points=points, negative=negative, cap=cap,
                  for_person=True, for_organisation=version.applies_to_organisation, pass_through=pass_through,
                  repair_months=repair, matures_months=matures, offsets_only=offsets)
        for code, name, source, points, negative, cap, pass_through, repair, matures, offsets in data["indicators"]
    ])
    GradeBand.objects.bulk_create([GradeBand(version=version, grade=g, label=label, lower=lower, upper=upper)
                                   for g, label, lower, upper in data["bands"]])
    return model


def models_sync(**kwargs) -> None:
    """The shipped models exist after every migrate (a test database flush removes rows); kept once made."""
    from django.db import transaction

    from .models import EvaluationModel

    for data in BUILTIN_MODELS:
        if not EvaluationModel.objects.filter(code=data["code"]).exists():
            with transaction.atomic():
                create_model(data)
