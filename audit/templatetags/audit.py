from django import template

from ..timeline import timeline

register = template.Library()


@register.inclusion_tag("audit/_timeline.html")
def audit_timeline(*objects, title=""):
    """{% audit_timeline application signatures licences %}: the audit log of these objects, oldest first."""
    return {"rows": timeline(*objects), "title": title}
