"""What the scoring views share: a service's refusal shown on its form or as a message, and the
status of a page that shows a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError

T = TypeVar("T")


def apply_errors(form, error: ValidationError) -> None:
    """A service's refusal on the form: each message beside its field, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def form_status(form) -> int:
    """400 for a form shown again with its errors, else 200."""
    return 400 if form.errors else 200


def report(request, action: Callable[[], T], success: Callable[[T], str] | None = None) -> T | None:
    """Run a service call for a button (no form): its refusal becomes an error message and None;
    otherwise `success(result)`, if given, a success message, and the result is returned."""
    try:
        result = action()
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return None
    if success is not None:
        messages.success(request, success(result))
    return result
