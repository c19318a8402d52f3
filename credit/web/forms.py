from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import RECORDED_SOURCES, Source


class RecordForm(forms.Form):
    source = forms.ChoiceField(label=_("what is recorded"), choices=[(s.value, s.label) for s in
                                                                   (Source(v) for v in RECORDED_SOURCES)])
    quantity = forms.DecimalField(label=_("quantity (hours, times or yuan)"), min_value=0, decimal_places=2,
                                  max_digits=12, initial=1)
    occurred_on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               help_text=_("Certificate number, issuing body and what it shows."))
    description = forms.CharField(label=_("description"), max_length=300, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("ID card number / unified social credit code"), max_length=18)
