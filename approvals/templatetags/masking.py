from django import template

from approvals import masking

register = template.Library()


@register.filter
def masked(value):
    """{{ subject.number|masked }}: the one masking helper, in templates."""
    return masking.mask_number(value)


@register.filter
def masked_name(value):
    return masking.mask_name(value)
