"""The form renderer writes the plain widgets exactly as Django's templates do."""
import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from pim.renderers import FastWidgetRenderer

CHOICES = [("", "---------"), ("a", "A & B"), ("Group <1>", [("x", "X"), ("y", "\"Y\"")]), (3, 3)]


class EveryWidget(forms.Form):
    text = forms.CharField(max_length=10, help_text="Some help", required=False)
    number = forms.DecimalField(max_digits=5, decimal_places=1, min_value=0)
    hidden = forms.IntegerField(widget=forms.HiddenInput)
    checkbox = forms.BooleanField(required=False)
    email = forms.EmailField(widget=forms.EmailInput(attrs={"class": "a b", "data-x": True,
                                                            "data-off": False}))
    date = forms.DateField(widget=forms.DateInput)
    file = forms.FileField(required=False)
    select = forms.ChoiceField(choices=CHOICES)
    multiple = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    area = forms.CharField(widget=forms.Textarea)
    radio = forms.ChoiceField(choices=CHOICES[1:2], widget=forms.RadioSelect)  # a template


@pytest.mark.parametrize("data", [
    None,
    {"text": "<b>&\"'", "number": "1.5", "hidden": "3", "checkbox": "on", "email": "a@b.c",
     "date": "2026-12-02", "select": "x", "multiple": ["a", "y"], "area": "line\n<p>two</p>",
     "radio": "a"},
    {"text": "", "number": "x", "select": "nope", "area": ""},
])
def test_the_same_html_as_djangos_templates(data):
    initial = {"text": mark_safe("<i>safe</i>"), "date": datetime.date(2026, 1, 2), "select": 3}
    fast = EveryWidget(data, initial=initial, renderer=FastWidgetRenderer())
    slow = EveryWidget(data, initial=initial, renderer=DjangoTemplates())
    for name in fast.fields:
        assert str(fast[name]) == str(slow[name]), name
        # The label (with the form's required and error classes), and the errors, empty or not.
        assert fast[name].label_tag() == slow[name].label_tag(), name
        assert fast[name].label_tag("<b>mine</b>", attrs={"data-x": True, "data-off": False,
                                                          "title": "a\"b"}) == slow[name].label_tag(
            "<b>mine</b>", attrs={"data-x": True, "data-off": False, "title": 'a"b'}), name
        assert str(fast[name].errors) == str(slow[name].errors), name
        assert fast[name].errors.as_ul() == slow[name].errors.as_ul(), name
    assert str(fast.non_field_errors()) == str(slow.non_field_errors()) == ""


class Labelled(forms.Form):
    required_css_class, error_css_class = "required", "error"
    name = forms.CharField(label="Name & <co>")


def test_a_label_without_an_id_is_its_text_as_djangos_templates_write_it():
    fast, slow = (Labelled(renderer=r, auto_id=False) for r in (FastWidgetRenderer(),
                                                                DjangoTemplates()))
    assert fast["name"].label_tag() == slow["name"].label_tag() == "Name &amp; &lt;co&gt;:"


def test_it_is_the_projects_form_renderer():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FastWidgetRenderer)


def test_a_formset_management_form_is_written_as_djangos_template_writes_it():
    formset = forms.formset_factory(Labelled, extra=2)
    fast, slow = (type("Rows", (formset,), {"renderer": r})(prefix="rows")
                  for r in (FastWidgetRenderer(), DjangoTemplates()))
    assert str(fast.management_form) == str(slow.management_form)
    assert str(fast.management_form).count('type="hidden"') == 4
