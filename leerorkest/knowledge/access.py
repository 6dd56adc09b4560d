"""Who sees which material: the public sees published ones, a contributor also their own, the
knowledge editors everything. Anything else answers 404, as if it did not exist."""

from django.http import Http404

from leerorkest.knowledge.models import Material, MaterialFile, MaterialStatus, is_editor


def get_material_for_user(user, pk, *, write: bool = False) -> Material:
    """A material the user may see; with write, their own that they may still change."""
    if write:
        if not user.is_authenticated:
            raise Http404
        queryset = Material.objects.filter(submitted_by=user)
    else:
        queryset = Material.objects.visible_to(user)
    try:
        return queryset.get(pk=pk)
    except (Material.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_material_by_slug_for_user(user, slug: str) -> Material:
    try:
        return Material.objects.visible_to(user).get(slug=slug)
    except (Material.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_file_for_user(user, pk, *, write: bool = False) -> MaterialFile:
    """A file of a material the user may see; with write, of their own material."""
    if write:
        if not user.is_authenticated:
            raise Http404
        queryset = MaterialFile.objects.filter(material__submitted_by=user)
    else:
        queryset = MaterialFile.objects.filter(material__in=Material.objects.visible_to(user))
    try:
        return queryset.select_related("material").get(pk=pk)
    except (MaterialFile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_material_for_review(user, pk) -> Material:
    """A submitted (or already reviewed) material, for the knowledge editors only."""
    if not is_editor(user):
        raise Http404
    try:
        return Material.objects.exclude(status=MaterialStatus.DRAFT).get(pk=pk)
    except (Material.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
