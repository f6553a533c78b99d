from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.service_requests.models import Status


class TrackForm(forms.Form):
    kode = forms.CharField(label=_("Receipt code"), max_length=20)


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All open"))]
        + [(s.value, s.label) for s in Status if s not in (Status.COMPLETED, Status.REJECTED)],
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea)
