"""Public pages of the knowledge site: home, the material list with filters and search, a
material, and its files. No login needed; visitors' pages are cacheable (see pages.py)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from leerorkest.accounts.access import PUBLIC, rule
from leerorkest.knowledge import actions
from leerorkest.knowledge.access import get_file_for_user, get_material_by_slug_for_user
from leerorkest.knowledge.filters import MaterialFilter, filter_choices
from leerorkest.knowledge.models import (
    Material,
    MaterialKind,
    MaterialStatus,
    Theme,
    is_editor,
    public_goal_filter,
)
from leerorkest.knowledge.pages import page, public_cache
from leerorkest.programme.models import InstrumentType
from leerorkest.uploads import KINDS

PAGE_SIZE = 20


def with_details(queryset):
    """What a list row shows, in a fixed number of queries however many rows there are."""
    return queryset.prefetch_related(
        Prefetch("instruments", queryset=InstrumentType.objects.order_by("sort_order")),
        "themes",
        "year_group_rows",
    )


@rule(PUBLIC)
@public_cache
def home(request):
    published = Material.objects.published()
    counts = dict(
        published.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    kinds = [(value, label, counts.get(value, 0)) for value, label in MaterialKind.choices]
    themes = Theme.objects.annotate(
        n=Count("materials", filter=Q(materials__status=MaterialStatus.PUBLISHED))
    ).filter(n__gt=0)
    latest = with_details(published.order_by("-published_at", "-pk"))[:6]
    return page(
        request,
        "knowledge/home.html",
        {"kinds": kinds, "themes": themes, "latest": latest, "total": sum(counts.values())},
    )


@rule(PUBLIC)
@public_cache
def material_list(request):
    form = MaterialFilter(request.GET or None)
    materials = form.apply(Material.objects.published())
    paginator = Paginator(with_details(materials), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "knowledge/material_list.html"
    if request.htmx:
        template += "#results"
    return page(
        request,
        template,
        {
            "form": form,
            "page": page_obj,
            "choices": filter_choices(),
            "querystring": query.urlencode(),
            "searching": form.searching,
        },
    )


@rule(PUBLIC)
@public_cache
def material_detail(request, slug):
    material = get_material_by_slug_for_user(request.user, slug)
    files = list(material.files.all())
    for file in files:
        file.label = KINDS[file.kind].label
    goals = material.goals.filter(**public_goal_filter()).select_related("line")
    own = request.user.is_authenticated and material.submitted_by_id == request.user.pk
    return page(
        request,
        "knowledge/material_detail.html",
        {
            "material": material,
            "files": files,
            "goals": goals,
            "instruments": material.instruments.order_by("sort_order"),
            "themes": material.themes.all(),
            "own": own,
            "editor": is_editor(request.user),
        },
    )


@rule(PUBLIC)
def file_download(request, pk):
    """The file as an attachment with the content type of what it is; each download counts."""
    file = get_file_for_user(request.user, pk)
    try:
        handle = file.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if request.method == "GET" and file.material.status == MaterialStatus.PUBLISHED:
        actions.count_download(file)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=file.download_name,
        content_type=KINDS[file.kind].content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Every download reaches the server, so it is counted; the file itself is public.
    response["Cache-Control"] = "private, no-cache"
    return response


@never_cache
@rule(PUBLIC)
def switch_language(request):
    """The language link of the public layout: a link, not a form, so the page holds no token."""
    language = request.GET.get("language", "")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("knowledge:home")
    response = redirect(target)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
