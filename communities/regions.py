"""The 区县 → 街道 filter of list pages: options by name, limited to the user's data scope
(communities.scope), and the one check that a filter names a region the user may see (out
of scope is 404, as everywhere, DOMAIN §1).

A page shows the districts it may filter by and the streets of the chosen district; the
street list follows the district in the browser (static/js/regions.js) through `streets_json`,
so a province-wide user is never sent every street of the province.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404, JsonResponse

from communities.models import Region

CODE_MAX = 12


def _districts(user):
    """The districts (区县) the user's scope reaches, by city, in the order of their codes."""
    qs = (Region.objects.filter(level=Region.Level.DISTRICT, is_active=True, code__isnull=False)
          .select_related("parent").order_by("parent__path", "code"))
    if getattr(user, "is_portal_admin", False):
        return qs
    region = getattr(user, "scope_region", None)
    if region is None or not user.is_active:
        return qs.none()
    if region.level == Region.Level.STREET:
        return qs.filter(pk=region.parent_id)
    return qs.filter(path__startswith=region.path)


def _streets(user, district: Region):
    qs = Region.objects.filter(level=Region.Level.STREET, parent=district, is_active=True, code__isnull=False)
    region = getattr(user, "scope_region", None)
    if not getattr(user, "is_portal_admin", False) and region is not None:
        qs = qs.filter(path__startswith=region.path)  # a street user: their street only
    return qs.order_by("code")


def _code(params, name: str) -> str:
    value = params.get(name, "") if params is not None else ""
    return value.strip()[:CODE_MAX] if isinstance(value, str) else ""


@dataclass
class RegionFilter:
    """What `listing/_regions.html` shows: the options and the chosen codes."""

    districts: list[Region] = field(default_factory=list)
    streets: list[Region] = field(default_factory=list)
    district: str = ""
    street: str = ""
    district_param: str = "district"
    street_param: str = "street"


def region_filter(user, params, district_param: str = "district", street_param: str = "street") -> RegionFilter:
    """The filter's options for `user` and the codes `params` chose; Http404 when a chosen
    code is not a district/street within the user's scope (two queries at most)."""
    chosen = RegionFilter(district_param=district_param, street_param=street_param,
                          district=_code(params, district_param), street=_code(params, street_param))
    chosen.districts = list(_districts(user))
    if chosen.district:
        district = next((d for d in chosen.districts if d.code == chosen.district), None)
        if district is None:
            raise Http404("所选区县不在您的数据权限范围内")
        chosen.streets = list(_streets(user, district))
    if chosen.street:
        if not chosen.district:
            street = Region.objects.filter(level=Region.Level.STREET, code=chosen.street).first()
            district = next((d for d in chosen.districts if street and d.pk == street.parent_id), None)
            if district is None:
                raise Http404("所选街道不在您的数据权限范围内")
            chosen.district, chosen.streets = district.code, list(_streets(user, district))
        if chosen.street not in {s.code for s in chosen.streets}:
            raise Http404("所选街道不在您的数据权限范围内")
    return chosen


def streets_json(request):
    """GET ?district=CODE → {"streets": [{"code", "name"}]} of the user's scope (none without a
    district); 404 for a district outside it."""
    chosen = region_filter(request.user, {"district": request.GET.get("district", "")})
    return JsonResponse({"streets": [{"code": s.code, "name": s.name} for s in chosen.streets]})
