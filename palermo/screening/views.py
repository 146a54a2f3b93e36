from __future__ import annotations

import json

from django.http import HttpResponse
from django.shortcuts import render

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.screening import qualifying
from palermo.screening.qualifying import QUESTIONS, STEPS


@signed_in
def qualify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One question per step; the answers so far travel in a hidden field, and nothing is stored."""
    answers: dict[str, object] = {}
    step = 0
    form = qualifying.step_form(0)
    if request.method == "POST":
        answers = qualifying.read_answers(request.POST.get("answers", ""))
        answered = [key for key in STEPS if key in answers]
        step = len(answered) if answered == list(STEPS[: len(answered)]) else 0
        if "back" in request.POST and step > 0:
            step -= 1
            value = answers.pop(STEPS[step])
            form = qualifying.step_form(step, value=value, answered=True)
        elif "restart" in request.POST or step >= len(STEPS):
            answers, step = {}, 0
            form = qualifying.step_form(0)
        else:
            form = qualifying.step_form(step, request.POST)
            if form.is_valid():
                answers[STEPS[step]] = form.answer()
                step += 1
                form = qualifying.step_form(step) if step < len(STEPS) else form
    context = {"answers_json": json.dumps(answers), "step_number": step + 1, "steps": len(STEPS)}
    if step >= len(STEPS):
        context.update(rows=qualifying.result_rows(answers), facts=json.dumps(answers, indent=2))
        return render(request, "screening/qualify_result.html", context)
    question, hint = QUESTIONS[STEPS[step]]
    context.update(form=form, question=question, hint=hint, key=STEPS[step])
    return render(request, "screening/qualify.html", context)
