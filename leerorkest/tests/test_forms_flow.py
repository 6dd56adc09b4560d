"""The shared save-or-show and act-and-return flows of the editing pages."""

from django import forms
from django.contrib.messages import ERROR, SUCCESS
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory

from leerorkest.accounts.actions import DomainError
from leerorkest.forms_flow import act_and_return, save_or_show


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)


def _request(method="get", data=None):
    request = getattr(RequestFactory(), method)("/edit/", data or {})
    request._messages = CookieStorage(request)
    return request


def _said(request):
    return [(message.level, message.message) for message in request._messages]


def _flow(request, save, saved="Saved."):
    shown = []

    def show(form, status):
        shown.append(form)
        return HttpResponse(status=status)

    form = NameForm(request.POST or None)
    response = save_or_show(
        request,
        form,
        save=save,
        saved=saved,
        to=lambda result: (f"/done/{result}/",),
        show=show,
    )
    return response, form, shown


def test_get_shows_the_form_and_saves_nothing():
    calls = []
    request = _request()
    response, form, shown = _flow(request, calls.append)
    assert response.status_code == 200 and shown == [form] and calls == []
    assert _said(request) == []


def test_valid_post_saves_says_so_and_goes_where_the_result_says():
    calls = []

    def save(data):
        calls.append(data)
        return 7

    request = _request("post", {"name": "Viool"})
    response, _form, shown = _flow(request, save)
    assert calls == [{"name": "Viool"}] and shown == []
    assert response.status_code == 302 and response.url == "/done/7/"
    assert _said(request) == [(SUCCESS, "Saved.")]


def test_no_message_when_there_is_none_to_say():
    request = _request("post", {"name": "Viool"})
    response, _form, _shown = _flow(request, lambda data: 1, saved=None)
    assert response.status_code == 302 and _said(request) == []


def test_invalid_post_answers_400_without_saving():
    calls = []
    request = _request("post", {"name": "x" * 21})
    response, form, shown = _flow(request, calls.append)
    assert response.status_code == 400 and shown == [form] and calls == []
    assert "name" in form.errors


def test_a_refusal_stands_next_to_the_field_it_names():
    def save(data):
        raise DomainError("That name is taken.", field="name")

    request = _request("post", {"name": "Viool"})
    response, form, _shown = _flow(request, save)
    assert response.status_code == 400
    assert form.errors == {"name": ["That name is taken."]}
    assert _said(request) == []


def test_a_refusal_for_no_field_of_the_form_stands_above_it():
    def save(data):
        raise DomainError("The line is published.", field="line")

    request = _request("post", {"name": "Viool"})
    response, form, _shown = _flow(request, save)
    assert response.status_code == 400
    assert form.non_field_errors() == ["The line is published."]


def test_act_and_return_says_what_was_done_with_the_result():
    request = _request("post")
    response = act_and_return(
        request, lambda: "a@example.org", done=lambda email: f"Linked {email}.", to=("/back/",)
    )
    assert response.status_code == 302 and response.url == "/back/"
    assert _said(request) == [(SUCCESS, "Linked a@example.org.")]


def test_act_and_return_shows_a_refusal_and_goes_back_all_the_same():
    def act():
        raise DomainError("Not now.")

    request = _request("post")
    response = act_and_return(request, act, done="Done.", to=("/back/",))
    assert response.status_code == 302 and response.url == "/back/"
    assert _said(request) == [(ERROR, "Not now.")]
