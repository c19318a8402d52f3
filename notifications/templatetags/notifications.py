from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def unread_messages(user) -> int:
    """{% unread_messages user as n %}: the bell's count."""
    return selectors.unread_count(user)


@register.inclusion_tag("notifications/_reachability.html")
def reachability(subject):
    """{% load notifications %}{% reachability subject %}: warns window staff when the subject cannot be reached
    by SMS or e-mail (it still gets in-product messages once it has a login)."""
    return {"reach": selectors.reachability(subject), "subject": subject}


@register.filter
def masked_address(address: str) -> str:
    """138****5678 / z***@example.com: enough to recognise one's own address on a shared screen."""
    if "@" in address:
        name, _at, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return address[:3] + "****" + address[-4:] if len(address) > 7 else address
