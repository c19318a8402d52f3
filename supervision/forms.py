"""The dashboard's filters: period, department, matter, channel (GET; bad input falls back with a message)."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.models import Channel, Matter

from . import selectors

PRESETS = [("7", _("last 7 days")), ("30", _("last 30 days")), ("month", _("this month")), ("year", _("this year")),
           ("365", _("last 12 months"))]
MAX_DAYS = 3 * 366


def preset_period(preset: str):
    today = timezone.localdate()
    if preset == "month":
        return today.replace(day=1), today
    if preset == "year":
        return today.replace(month=1, day=1), today
    return today - timedelta(days=int(preset) - 1), today


class FilterForm(forms.Form):
    start = forms.DateField(label=_("Period from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Period to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    department = forms.ChoiceField(label=_("department"), required=False)
    matter = forms.ModelChoiceField(label=_("matter"), queryset=Matter.objects.order_by("department", "code"),
                                    required=False, empty_label=_("all matters"))
    channel = forms.ChoiceField(label=_("channel"), required=False,
                                choices=[("", _("all channels"))] + list(Channel.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("all departments"))] + [(d, d) for d in selectors.departments()]
        self.fields["matter"].label_from_instance = lambda m: f"{m.code} {m.name}"

    def clean(self):
        data = super().clean()
        default_start, default_end = preset_period("30")
        start, end = data.get("start") or default_start, data.get("end") or default_end
        if start > end:
            self.add_error("end", _("The end of the period is before its start."))
        elif (end - start).days > MAX_DAYS:
            self.add_error("start", _("Choose a period of at most three years."))
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> selectors.Filters:
        """The filters asked for, or the last 30 days, everything, when the input is not valid."""
        if self.is_valid():
            data = self.cleaned_data
            return selectors.Filters(start=data["start"], end=data["end"], department=data["department"] or "",
                                     matter_id=data["matter"].pk if data["matter"] else None,
                                     channel=data["channel"] or "")
        start, end = preset_period("30")
        return selectors.Filters(start=start, end=end)
