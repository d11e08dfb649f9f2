"""How every form renders: Django's own templates, with labels as our templates write them.

Django ends a label with a colon ("Oud wachtwoord:"); the platform's own pages never do, and a form next
to them read as another product. The renderer's bound-field class is Django's way to change that for every
form at once, without a base class in each of them."""

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates


class LabelWithoutColon(BoundField):
    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        return super().label_tag(contents, attrs, "" if label_suffix is None else label_suffix, tag)


class FormRenderer(DjangoTemplates):
    bound_field_class = LabelWithoutColon
