from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """A share (0..1) as a percentage with one decimal; a dash when there is nothing to divide by."""
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def num(value) -> str:
    return "—" if value is None else f"{value:,}"
