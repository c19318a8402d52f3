"""The texts of the notice (告知书) and the commitment letter (承诺书), compiled from the matter versions.

The national rule (国办发〔2020〕42号) says what each must contain; DOMAIN.md summarises it."""

import hashlib

from django.utils.translation import gettext as _

from ..models import MaterialKind


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def application_matters(application) -> list:
    """The application's matters with what the texts read (version, matter, materials, commitment items): three
    queries, read once per act and handed to each text."""
    return list(application.matters.select_related("matter_version__matter")
                .prefetch_related("matter_version__materials", "matter_version__commitment_items"))


def notice_text(application, authority: str, matters: list | None = None) -> str:
    versions = [am.matter_version for am in (matters if matters is not None else application_matters(application))]
    return notice_text_for(name=application.subject.name, authority=authority, body=notice_body(versions))


def notice_text_for(*, name: str, authority: str, body: str) -> str:
    """The notice to one person, from a body compiled once for many (a package: same matters, same language)."""
    head = [_("Notification of notify-and-commit (告知书)"), "", _("Issued by: %(authority)s") % {"authority": authority},
            _("To: %(name)s") % {"name": name}, ""]
    return "\n".join(head) + "\n" + body


def notice_body(versions) -> str:
    """What the notice says about the matters: conditions, materials, commitment, verification, consequences."""
    lines = []
    for n, v in enumerate(versions, start=1):
        version_label = _("version %(n)d") % {"n": v.number}
        lines += [f"{n}. {v.matter.name}（{v.matter.code}，{version_label}）",
                  _("Legal basis: %(basis)s") % {"basis": v.legal_basis},
                  _("Conditions: %(conditions)s") % {"conditions": v.conditions},
                  _("Materials:")]
        for m in v.materials.all():
            if m.kind == MaterialKind.REPLACEABLE:
                lines.append("  - " + _("%(name)s: replaced by your written commitment (the proof “%(proof)s” that "
                                        "%(office)s would issue is not needed)")
                             % {"name": m.name, "proof": m.replaces_proof, "office": m.issuing_office})
            elif m.kind == MaterialKind.DEFERRABLE:
                lines.append("  - " + _("%(name)s: may be supplied within %(days)d working days after acceptance")
                             % {"name": m.name, "days": m.supplement_days})
            else:
                lines.append("  - " + m.name)
        lines.append(_("What you commit to:"))
        lines += [f"  ({i}) {item.text}" for i, item in enumerate(v.commitment_items.all(), start=1)]
        lines.append(_("Verification: %(method)s, %(scope)s, within %(days)d days of issuance; the authority may "
                       "inspect on site, review documents and compare data to check your commitment.")
                     % {"method": v.get_verification_method_display(), "scope": v.get_verification_scope_display(),
                        "days": v.verification_window_days})
        lines.append("")
    lines += [
        _("Consequences of a false commitment: the licence will be revoked; you bear the legal liability; you may be "
          "put on the restriction list and excluded from notify-and-commit, lenient acceptance and the green channel "
          "for a period; the finding is recorded in your credit file and published."),
        _("Notify-and-commit is your free choice. If you do not want to commit, your application goes to standard "
          "review with all the materials."),
        _("The signed commitment letter is published on the authority's credit site with personal data masked."),
    ]
    return "\n".join(lines)


def letter_text(*, signer, applications, authority: str, matters: list | None = None) -> str:
    """承诺书: the four statements, the commitment items and each proof replaced, for one or many applications
    (`matters`: application_matters() of the first, when the caller has them)."""
    first = applications[0]
    if matters is None:
        matters = application_matters(first)
    lines = [_("Commitment letter (承诺书)"), "", _("To: %(authority)s") % {"authority": authority},
             _("Committing party: %(name)s (%(number)s)") % {"name": signer.name, "number": signer.number}]
    if len(applications) > 1:
        lines.append(_("This packaged commitment covers %(count)d applications:") % {"count": len(applications)})
        # the letter is shown to every member: their numbers masked (the applications hold them in full)
        lines += [f"  - {a.subject.name}（{a.subject.masked_number}）" for a in applications]
    lines.append("")
    lines += [
        _("I make the following commitment regarding %(matters)s:") % {
            "matters": "、".join(am.matter_version.matter.name for am in matters)},
        "1. " + _("I have read and understood everything the authority notified."),
        "2. " + _("I meet the conditions and requirements the authority notified, and the materials I provide are true."),
        "3. " + _("I am willing to bear the legal liability for a false commitment, including revocation of the "
                  "licence and restriction, and I agree to verification by the authority."),
        "4. " + _("This commitment is my true intention."),
        "",
    ]
    n = 1
    for am in matters:
        for item in am.matter_version.commitment_items.all():
            lines.append(f"（{n}）{item.text}")
            n += 1
        for m in (m for m in am.matter_version.materials.all() if m.kind == MaterialKind.REPLACEABLE):
            lines.append(f"（{n}）" + _("Instead of the proof “%(proof)s” (%(office)s) I commit that: %(name)s is true.")
                         % {"proof": m.replaces_proof, "office": m.issuing_office, "name": m.name})
            n += 1
    return "\n".join(lines)
