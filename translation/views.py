"""Translation pages: the control's fragments (htmx), the reader's preference, the school's engine and
glossary. Thin: access, one action, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from translation import actions
from translation.access import access_glossary_term, access_translation_school, check_may_choose_engine
from translation.engines import configured_engines
from translation.forms import EngineForm, GlossaryForm, PreferenceForm
from translation.queries import engine_of, glossary_of, offered_languages, preference_of
from translation.sources import kind_named
from translation.templatetags.translation_tags import original_context, outcome_context


@login_required
@require_GET
def translated(request, kind: str, item_id: str):
    """The text in the reader's language: the translation, "translating…" (asked again, a bounded number
    of times), or the original with "not available right now"."""
    language = request.GET.get("to") or preference_of(request.user).language
    outcome = actions.check_request_translation(
        viewer=request.user, kind=kind, public_id=item_id, language=language
    )
    try:
        poll = max(0, int(request.GET.get("poll", "0")))
    except ValueError:
        poll = 0
    context = outcome_context(request, outcome, poll=poll, polls=settings.TRANSLATION_POLLS)
    return render(request, "translation/_text.html", context)


@login_required
@require_GET
def original(request, kind: str, item_id: str):
    """The text as written, with the control to translate it."""
    found = kind_named(kind)
    obj = found.access(request.user, item_id)
    return render(request, "translation/_text.html", original_context(request, found, obj))


def _next(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return ""


@login_required
def preferences(request):
    languages = offered_languages()
    preference = preference_of(request.user)
    form = PreferenceForm(
        request.POST or None,
        languages=languages,
        initial={"language": preference.language, "always": preference.always},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_set_preference(
                acting_user=request.user,
                language=form.cleaned_data["language"],
                always=form.cleaned_data["always"],
            )
        except ValidationError as error:
            form.add_error("language", error)
        else:
            messages.success(request, _("Your reading language is saved."))
            return redirect(_next(request) or "translation:preferences")
    return render(request, "translation/preferences.html", {"form": form, "next": _next(request)})


@login_required
def school_settings(request, school_id: str):
    """The school's engine (the director chooses) and its glossary (director and office keep it)."""
    school = access_translation_school(request.user, school_id)
    configured = configured_engines()
    engine_form = EngineForm(initial={"engine": engine_of(school.id)}, configured=configured)
    glossary_form = GlossaryForm(languages=offered_languages())
    if request.method == "POST" and "engine" in request.POST:
        check_may_choose_engine(request.user, school)
        engine_form = EngineForm(request.POST, configured=configured)
        if engine_form.is_valid():
            actions.check_choose_engine(
                acting_user=request.user, school=school, engine=engine_form.cleaned_data["engine"]
            )
            messages.success(request, _("The translation engine is saved."))
            return redirect("translation:school", school.public_id)
    elif request.method == "POST":
        glossary_form = GlossaryForm(request.POST, languages=offered_languages())
        if glossary_form.is_valid():
            try:
                actions.check_add_glossary_term(
                    acting_user=request.user, school=school, **glossary_form.cleaned_data
                )
            except ValidationError as error:
                glossary_form.add_error(None, error)
            else:
                messages.success(request, _("The term is added to the glossary."))
                return redirect("translation:school", school.public_id)
    context = {
        "school": school,
        "engine_form": engine_form,
        "glossary_form": glossary_form,
        "glossary": glossary_of(school),
        "configured": configured,
        "engine": engine_of(school.id),
    }
    return render(request, "translation/school.html", context)


@login_required
@require_POST
def glossary_delete(request, term_id: str):
    term = access_glossary_term(request.user, term_id)
    school = term.school
    actions.do_delete_glossary_term(acting_user=request.user, term=term)
    messages.success(request, _("The term is removed from the glossary."))
    return redirect("translation:school", school.public_id)
