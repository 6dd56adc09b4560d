"""The two shapes that editing pages share, so that a view says only what is its own: a form
that saves through an action or shows again with the refusal next to its field, and a button
that runs an action and goes back with a message."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from leerorkest.accounts.actions import DomainError

# Where to go: the arguments of `redirect()`, such as ("curriculum:line_detail", 3).
Target = tuple[Any, ...]


def put_error_on_form(form, error: DomainError) -> None:
    """The refusal next to the field it names, or above the form when it has no such field."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def save_or_show(
    request,
    form,
    *,
    save: Callable[[dict], Any],
    to: Target | Callable[[Any], Target],
    show: Callable[[Any, int], HttpResponse],
    saved: str | None = None,
) -> HttpResponse:
    """A GET shows the form (`show(form, 200)`). A valid POST calls `save(cleaned_data)`, adds
    the message `saved` (when there is one) and redirects to `to`, or to `to(what save
    returned)` when `to` is callable. Otherwise the form shows again with its errors, a
    DomainError from `save` among them, and the page answers 400: nothing was saved.

    `show` runs after the form is validated, so a title made from a model form's instance shows
    what the form put on it, as the pages did before they shared this."""
    if request.method != "POST":
        return show(form, 200)
    if form.is_valid():
        try:
            result = save(form.cleaned_data)
        except DomainError as error:
            put_error_on_form(form, error)
        else:
            if saved:
                messages.success(request, saved)
            return redirect(*(to(result) if callable(to) else to))
    return show(form, 400)


def act_and_return(
    request,
    act: Callable[[], Any],
    *,
    done: str | Callable[[Any], str],
    to: Target,
) -> HttpResponse:
    """For a button that posts: run `act()`; say `done` (or `done(what act returned)`) when it
    succeeds, or the DomainError's message when it is refused; go to `to` either way."""
    try:
        result = act()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done(result) if callable(done) else done)
    return redirect(*to)
