"""The depot's catalogue: instrument types by family with their sizes, the kit that goes out with
each, and the makes and models it keeps (with how many of each are in stock)."""

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.audit import audit
from leerorkest.depot.models import Instrument, InstrumentModel, KitItem, Size
from leerorkest.programme.models import InstrumentFamily, InstrumentType


def overview(depots) -> list[dict]:
    """Per family, per instrument type: sizes with stock counts, kit items, makes and models."""
    stock = Instrument.objects.filter(organisation__in=depots).exclude(
        status__in=["retired", "lost"]
    )
    per_size = dict(
        stock.values_list("size_id").annotate(n=Count("pk")).order_by().filter(size__isnull=False)
    )
    per_type = dict(stock.values_list("instrument_type_id").annotate(n=Count("pk")).order_by())
    in_stock_models = {
        (row["instrument_type_id"], row["make"], row["model_name"]): row["n"]
        for row in stock.exclude(make="")
        .values("instrument_type_id", "make", "model_name")
        .annotate(n=Count("pk"))
        .order_by()
    }
    sizes, kits, models = {}, {}, {}
    for size in Size.objects.order_by("sort_order"):
        sizes.setdefault(size.instrument_type_id, []).append(
            {"label": size.label, "count": per_size.get(size.pk, 0)}
        )
    for item in KitItem.objects.all():
        kits.setdefault(item.instrument_type_id, []).append(item)
    for model in InstrumentModel.objects.all():
        count = in_stock_models.get((model.instrument_type_id, model.make, model.name), 0)
        models.setdefault(model.instrument_type_id, []).append({"model": model, "count": count})
    families = []
    for family, label in InstrumentFamily.choices:
        types = [
            {
                "type": kind,
                "count": per_type.get(kind.pk, 0),
                "sizes": sizes.get(kind.pk, []),
                "kit": kits.get(kind.pk, []),
                "models": models.get(kind.pk, []),
            }
            for kind in InstrumentType.objects.filter(family=family).order_by("sort_order")
        ]
        if types:
            families.append({"family": label, "types": types})
    return families


@transaction.atomic
def add_model(*, instrument_type, make: str, name: str, by, organisation) -> InstrumentModel:
    make, name = make.strip(), name.strip()
    if not make or not name:
        raise DomainError(_("Give both the make and the model."), field="name")
    try:
        with transaction.atomic():
            model = InstrumentModel.objects.create(
                instrument_type=instrument_type, make=make, name=name
            )
    except IntegrityError:
        raise DomainError(
            _("This make and model are in the catalogue already."), field="name"
        ) from None
    audit(actor=by, action="depot.catalogue_model", obj=model, organisation=organisation)
    return model


@transaction.atomic
def add_kit_item(*, instrument_type, name: str, by, organisation) -> KitItem:
    name = name.strip()
    if not name:
        raise DomainError(_("Name the item."), field="name")
    if KitItem.objects.filter(instrument_type=instrument_type, name__iexact=name).exists():
        raise DomainError(_("This item is in the kit already."), field="name")
    last = KitItem.objects.filter(instrument_type=instrument_type).order_by("-sort_order").first()
    item = KitItem.objects.create(
        instrument_type=instrument_type,
        name=name,
        sort_order=(last.sort_order + 1) if last else 0,
    )
    audit(actor=by, action="depot.catalogue_kit", obj=item, organisation=organisation)
    return item
