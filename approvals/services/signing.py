"""Signing the commitment letter online (承诺): only the applicant themself (or the organisation's legal
representative or authorised agent), after re-authentication; idempotent; withdrawable until the decision."""

import secrets
from datetime import timedelta

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Application, ApplicationState, CommitmentLetter, OneTimeCode, ReauthMethod, Signature, SignatureChannel,
)
from ..otp import get_sender
from ._common import Refused, acts_for, lock_application, move, person_of

OTP_PURPOSE = "sign"
OTP_TTL = timedelta(minutes=10)
OTP_MAX_ATTEMPTS = 5


MOBILE_AGENT = re.compile(r"Mobi|Android|iPhone|iPad|HarmonyOS|MicroMessenger", re.I)


def channel_from_user_agent(user_agent: str) -> str:
    """The signing channel is recorded from the request, never taken from the client: online or mobile.
    (A signature pad at the counter needs a witnessed flow of its own; see the issue note.)"""
    return SignatureChannel.MOBILE if MOBILE_AGENT.search(user_agent or "") else SignatureChannel.ONLINE


def request_evidence(request) -> dict:
    """What a signature records about the request it came in (web page or API): channel, IP, user agent."""
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    return {"channel": channel_from_user_agent(user_agent), "ip_address": request.META.get("REMOTE_ADDR") or None,
            "user_agent": user_agent}


def _code_hash(user, code: str) -> str:
    # a 6-digit code lives 10 minutes and allows 5 attempts: a keyed hash suffices, PBKDF2 would only cost time
    return hmac.new(settings.SECRET_KEY.encode(), f"{user.pk}:{code}".encode(), hashlib.sha256).hexdigest()


def otp_request(*, user, purpose: str = OTP_PURPOSE) -> OneTimeCode:
    """Send a 6-digit code valid for 10 minutes; earlier unused codes for the purpose stop working."""
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        OneTimeCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(used_at=timezone.now())
        record = OneTimeCode.objects.create(user=user, purpose=purpose, code_hash=_code_hash(user, code),
                                            expires_at=timezone.now() + OTP_TTL)
    transaction.on_commit(lambda: get_sender().send(user, code, purpose), robust=True)
    return record


def reauthenticate(user, method: str, secret: str) -> None:
    """Confirm the signer's identity again. Call it outside the signing transaction: a wrong one-time code
    must count against the code even though the signing is refused."""
    if method == ReauthMethod.PASSWORD:
        if not secret or not user.check_password(secret):
            raise Refused({"password": _("The password is not correct.")}, code="reauth")
        return
    if method != ReauthMethod.ONE_TIME_CODE:
        raise Refused(_("Choose how to confirm your identity: password or one-time code."), code="reauth")
    problem = None
    with transaction.atomic():
        record = (OneTimeCode.objects.select_for_update()
                  .filter(user=user, purpose=OTP_PURPOSE, used_at__isnull=True).order_by("-created_at").first())
        if record is None or record.expires_at <= timezone.now():
            problem = _("The code has expired; request a new one.")
        elif record.attempts >= OTP_MAX_ATTEMPTS:
            problem = _("Too many wrong codes; request a new one.")
        elif not hmac.compare_digest(_code_hash(user, (secret or "").strip()), record.code_hash):
            record.attempts += 1
            record.save(update_fields=["attempts"])
            problem = _("The code is not correct.")
        else:
            record.used_at = timezone.now()
            record.save(update_fields=["used_at"])
    if problem:  # raised after the block commits, so the attempt is counted
        raise Refused({"code": problem}, code="reauth")


def sign_letter(letter: CommitmentLetter, *, user, method: str, channel: str, ip_address, user_agent,
                signer_subject=None) -> Signature:
    """Record the signature over the letter's exact text. The caller holds the lock and has re-authenticated
    (`signer_subject`: the user's own subject, when the caller has it at hand)."""
    if signer_subject is None or signer_subject.user_id != user.pk:
        signer_subject = person_of(user)
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                letter=letter, signer=user, signer_subject=signer_subject, signed_at=timezone.now(), channel=channel,
                ip_address=ip_address, user_agent=(user_agent or "")[:400], text_sha256=letter.sha256,
                reauth_method=method,
            )
    except IntegrityError:  # one live signature per letter (database constraint): return the one that exists
        return letter.active_signature()
    letter.__dict__["signed_now"] = signature  # see CommitmentLetter.active_signature
    return signature


def _letter_to_sign(application, user) -> tuple[CommitmentLetter, Signature | None]:
    """The letter, and its live signature if already signed (idempotent); or refuse."""
    letter = getattr(application, "letter", None)  # kept on the application for the listeners
    if letter is None and application.package_id:
        raise Refused(_("This application is covered by a packaged commitment; the organisation signs the package."))
    if not acts_for(user, application.subject):
        raise PermissionDenied(_("Only the applicant themself may sign the commitment; staff cannot sign for them."))
    signed = (ApplicationState.COMMITTED, ApplicationState.AWAITING_SUPPLEMENTS, ApplicationState.DECIDED)
    if application.state in signed and letter and letter.active_signature():
        return letter, letter.active_signature()
    if application.state != ApplicationState.NOTIFIED or letter is None:
        raise Refused(_("This application is “%(state)s”; there is nothing to sign now.")
                      % {"state": application.get_state_display()}, code="state")
    return letter, None


def signature_sign(*, application_id: int, user, method: str, secret: str,
                   channel: str = SignatureChannel.ONLINE, ip_address: str | None = None,
                   user_agent: str = "") -> Signature:
    """Sign the application's commitment letter. Signing again returns the same signature."""
    # a first look without the lock (nor a transaction): refuse before the one-time code is spent
    _letter, existing = _letter_to_sign(Application.objects.select_related("subject").get(pk=application_id), user)
    if existing:
        return existing
    reauthenticate(user, method, secret)
    with transaction.atomic():
        application = lock_application(application_id)
        letter, existing = _letter_to_sign(application, user)  # again, under the lock
        if existing:
            return existing
        signature = sign_letter(letter, user=user, method=method, channel=channel, ip_address=ip_address,
                                user_agent=user_agent, signer_subject=application.subject)
        move(application, "sign", by=user, action=_("signed"))
        return signature


@transaction.atomic
def signature_withdraw(*, application_id: int, user, reason: str = "") -> None:
    """Withdraw the signature before the decision; the application returns to the mode choice."""
    application = lock_application(application_id)
    if not acts_for(user, application.subject):
        raise PermissionDenied(_("Only the applicant themself may withdraw the commitment."))
    if application.package_id:
        raise Refused(_("This application is covered by a packaged commitment signed by the organisation; it "
                        "cannot be withdrawn on its own. Ask window staff to move it to standard review."),
                      code="package")
    letter = CommitmentLetter.objects.filter(application=application).first()
    if application.state not in (ApplicationState.NOTIFIED, ApplicationState.COMMITTED):
        raise Refused(_("This application is “%(state)s”; the commitment can no longer be withdrawn.")
                      % {"state": application.get_state_display()}, code="state")
    if letter:
        letter.signatures.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now(), withdrawal_reason=reason)
    move(application, "withdraw_signature", by=user, reason=reason, action=_("withdrawn"))
