"""The events the authority tells people about: one template per event
(notifications/templates/notifications/events/<event>.txt, blocks title / body / sms), rendered from a flat
context of plain values. `sample` is that context for the start-up check (checks.py), which renders every
template with it so a broken one fails loudly."""

from dataclasses import dataclass, field
from datetime import date, datetime, timezone as dt_timezone

from django.utils.translation import gettext_lazy as _

_APP = {"application_id": 12, "subject_name": "张三", "matters": "食品经营许可", "state": "已受理",
        "link_url": "http://127.0.0.1:8000/applications/12/"}
_DUE = date(2026, 12, 1)
_AT = datetime(2026, 11, 25, 9, 30, tzinfo=dt_timezone.utc)


@dataclass(frozen=True)
class Event:
    label: str
    sms: bool = True  # also by SMS when the recipient has a mobile phone (e-mail always when they have one)
    sample: dict = field(default_factory=dict)


EVENTS: dict[str, Event] = {
    "application_received": Event(_("application received"), sample={**_APP}),
    "entitlement_changed": Event(_("credit check changed the entitlement"),
                                 sample={**_APP, "reasons": ["申请人被列入违诺制约名单", "信用等级变为C"]}),
    "notice_ready": Event(_("notice ready to sign"), sample={**_APP, "decision_due_on": _DUE}),
    "standard_review": Event(_("sent to standard review"), sample={**_APP, "decision_due_on": _DUE, "reason": ""}),
    "commitment_signed": Event(_("commitment signed"), sample={**_APP, "sha256": "ab" * 32, "signed_at": _AT}),
    "signature_withdrawn": Event(_("commitment withdrawn"), sms=False, sample={**_APP, "reason": "信息有误"}),
    "supplement_notice": Event(_("supplement notice issued"),
                               sample={**_APP, "supplements": [{"material": "卫生检测报告", "deadline": _DUE}]}),
    "supplement_due": Event(_("supplement due soon"),
                            sample={**_APP, "material": "卫生检测报告", "deadline": _DUE, "days": 3}),
    "supplement_overdue": Event(_("supplement overdue"), sample={**_APP, "material": "卫生检测报告", "deadline": _DUE}),
    "licence_issued": Event(_("decision and certificate ready"),
                            sample={**_APP, "number": "WS-001-2026-000001", "matter": "食品经营许可",
                                    "valid_from": _DUE, "valid_to": None,
                                    "download_url": "http://127.0.0.1:8000/documents/1/pdf/"}),
    "application_rejected": Event(_("application rejected"), sample={**_APP, "reason": "材料不符合法定形式"}),
    "application_failed": Event(_("application failed"), sample={**_APP, "reason": "未在期限内补正"}),
    "application_terminated": Event(_("application terminated"), sample={**_APP, "reason": "申请人撤回"}),
    "inspection_assigned": Event(_("verification visit assigned"), sms=False,
                                 sample={"licence": "WS-001-2026-000001", "holder": "示范有限公司", "due_on": _DUE,
                                         "method": "现场核查", "draw": "SJ-2026-00001",
                                         "link_url": "http://127.0.0.1:8000/checks/3/"}),
    "inspection_scheduled": Event(_("verification scheduled"),
                                  sample={"licence": "WS-001-2026-000001", "holder": "示范有限公司", "due_on": _DUE,
                                          "method": "书面核查", "link_url": "http://127.0.0.1:8000/licences/x/"}),
    "rectification_ordered": Event(_("rectification order issued"),
                                   sample={"case": "WN-2026-0001", "kind": "承诺不实", "deadline": _DUE,
                                           "link_url": "http://127.0.0.1:8000/my/cases/"}),
    "rectification_due": Event(_("rectification due soon"),
                               sample={"case": "WN-2026-0001", "deadline": _DUE, "days": 1,
                                       "link_url": "http://127.0.0.1:8000/my/cases/"}),
    "licence_revoked": Event(_("revocation"), sample={"case": "WN-2026-0001", "licences": "WS-001-2026-000001",
                                                      "link_url": "http://127.0.0.1:8000/my/cases/"}),
    "restriction_imposed": Event(_("restriction imposed"),
                                 sample={"starts_at": _AT, "ends_at": _AT, "scope": "全部告知承诺事项",
                                         "legal_act": "违诺制约告知书", "reason": "承诺不实",
                                         "link_url": "http://127.0.0.1:8000/my/cases/"}),
    "restriction_ending": Event(_("restriction ending in 7 days"),
                                sample={"ends_at": _AT, "days": 7, "scope": "全部告知承诺事项",
                                        "link_url": "http://127.0.0.1:8000/my/cases/"}),
    "restriction_ended": Event(_("restriction ended"),
                               sample={"ended_at": _AT, "how": "提前解除", "scope": "全部告知承诺事项", "reason": "",
                                       "link_url": "http://127.0.0.1:8000/my/cases/"}),
    "objection_received": Event(_("objection received"), sms=False,
                                sample={"case": "WN-2026-0001", "due_on": _DUE, "subject_name": "示范有限公司",
                                        "for_staff": False, "link_url": "http://127.0.0.1:8000/my/cases/"}),
    "objection_decided": Event(_("objection decided"),
                               sample={"case": "WN-2026-0001", "upheld": True, "reasons": "事实认定有误",
                                       "link_url": "http://127.0.0.1:8000/my/cases/"}),
    "repair_decided": Event(_("credit repair decided"),
                            sample={"case": "WN-2026-0001", "approved": False, "reasons": "整改证明不足",
                                    "link_url": "http://127.0.0.1:8000/my/cases/"}),
    "daily_digest": Event(_("daily digest"), sms=False,
                          sample={"day": _DUE, "total": 2,
                                  "sections": [{"title": "今日到期的补正材料", "items": ["#12 张三 卫生检测报告"]},
                                               {"title": "已逾期", "items": ["#13 李四"]}],
                                  "link_url": "http://127.0.0.1:8000/applications/"}),
}
