"""Confirmation of irreversible moves (issue #15 defect 9), one way everywhere.

A form whose action cannot be undone carries `data-confirm="<question>"`: static/js/portal.js
asks the question and, on 确定, adds `confirm=1` to the submission. The server acts only on a
POST that carries `confirm=1`; a bare POST (no script, a replayed request) gets the
confirmation page, which re-posts the same fields with `confirm=1`. The JSON API is not
concerned: its clients state their intent in the request.
"""

from django.shortcuts import render

FIELD = "confirm"


def confirmed(request) -> bool:
    return request.POST.get(FIELD) == "1"


def confirmation_page(request, *, title: str, question: str, details=(), cancel_url: str = "", status: int = 200):
    """The page that asks `question` and re-posts the request's own fields with confirm=1.
    `details`: (label, value) lines saying what will happen."""
    fields = [(name, value) for name, values in request.POST.lists()
              if name not in ("csrfmiddlewaretoken", FIELD) for value in values]
    return render(request, "portal/confirm.html", {
        "title": title, "question": question, "details": list(details), "fields": fields,
        "action": request.get_full_path(), "cancel_url": cancel_url}, status=status)
