from .actions import (
    accept_lenient, choose_commitment, choose_standard, decide, otp, reject, sign, supplement_review,
    supplement_supply, terminate, upload_material, withdraw, convert,
)
from .intake import apply, inbox, intake
from .package import (
    package_decide, package_detail, package_letter_txt, package_list, package_new, package_otp, package_sign,
)
from .pages import application_detail, letter_txt, licence_detail, upload_download

__all__ = [
    "accept_lenient", "choose_commitment", "choose_standard", "decide", "otp", "reject", "sign",
    "supplement_review", "supplement_supply", "terminate", "upload_material", "withdraw", "convert", "apply", "inbox",
    "intake", "package_decide", "package_detail", "package_letter_txt", "package_list", "package_new", "package_otp",
    "package_sign", "application_detail", "letter_txt", "licence_detail", "upload_download",
]
