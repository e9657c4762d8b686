"""Which row of the time-limit table a leg travels on, and why (TT 17/2017/TT-BTTTT art. 7).

A leg runs between the one-stop office and the citizen. Its route follows from the two
ends: the office's commune and the citizen's commune and province (GSO codes, from the
post's address fields or the one-stop system's registration). Since 1/7/2025 there are no
districts, so "one district" means one route area of the province's table (``route_table``).

A commune the table does not know is never guessed into an area: the leg falls back to the
intra-province row and says so, and the delivery report counts such legs.
"""

from __future__ import annotations

from dataclasses import dataclass

from postlink.legs.route_table import (
    INTER_PROVINCE,
    INTER_PROVINCE_MAJOR,
    INTRA_PROVINCE,
    LOCAL,
    RouteTable,
)
from postlink.models import LegKind
from postlink.postal.models import Party
from postlink.words import say

#: The route of a leg whose citizen lives in a special-geography commune.
SPECIAL_AREA = "special_area"


@dataclass(frozen=True, slots=True)
class LegEnds:
    """What is known of a leg's two ends; an empty string is "not known"."""

    office_commune: str
    citizen_commune: str
    citizen_province: str = ""
    appointment_slip: bool = False


@dataclass(frozen=True, slots=True)
class RouteChoice:
    """The route chosen, its n, why, and whether a commune was unknown (fallback row)."""

    route: str
    label: str
    days: int
    why: str
    commune_unknown: bool = False


def choose_route(table: RouteTable, ends: LegEnds) -> RouteChoice:
    """The row of TT 17/2017 art. 7 for a leg with these ``ends``.

    Another province: J+3 / J+6 when both provinces are special/class-I cities, else
    J+4 / J+8. Inside the province (or province not given): a special-geography commune
    takes the post's own n; the same route area J+1 / J+2; another area J+2 / J+4; an
    unknown commune at either end J+2 / J+4, marked as a fallback.
    """
    slip = ends.appointment_slip
    if ends.citizen_province and ends.citizen_province != table.province_code:
        major = table.major_city_provinces
        if table.province_code in major and ends.citizen_province in major:
            row = table.rows[INTER_PROVINCE_MAJOR]
            why = say("routes.why.major_cities", province=ends.citizen_province)
        else:
            row = table.rows[INTER_PROVINCE]
            why = say("routes.why.other_province", province=ends.citizen_province)
        return RouteChoice(row.name, row.label, row.n(slip), why)
    office = table.communes.get(ends.office_commune)
    citizen = table.communes.get(ends.citizen_commune)
    if office is None or citizen is None:
        row = table.rows[INTRA_PROVINCE]
        sides = ((ends.office_commune, office), (ends.citizen_commune, citizen))
        unknown = [code or "?" for code, commune in sides if commune is None]
        why = say("routes.why.unknown_commune", communes=", ".join(unknown))
        return RouteChoice(row.name, row.label, row.n(slip), why, commune_unknown=True)
    special = table.special.get(citizen.code)
    if special is not None:
        label = say("routes.special_label")
        why = say("routes.why.special", commune=citizen.name)
        return RouteChoice(SPECIAL_AREA, label, special.n(slip), why)
    if office.area == citizen.area:
        row = table.rows[LOCAL]
        why = say("routes.why.same_area", area=office.area)
        return RouteChoice(row.name, row.label, row.n(slip), why)
    row = table.rows[INTRA_PROVINCE]
    why = say("routes.why.other_area", office_area=office.area, citizen_area=citizen.area)
    return RouteChoice(row.name, row.label, row.n(slip), why)


def leg_ends(
    table: RouteTable,
    kind: LegKind,
    sender: Party,
    receiver: Party,
    *,
    unit: str,
    registered_commune: str,
    appointment_slip: bool,
) -> LegEnds:
    """The ends of a leg from the post's order and the one-stop system's registration.

    A pickup runs from the citizen to the office, a return the other way (QĐ 45/2016
    arts. 6 and 9). The office's commune is the table's for the dossier's receiving unit,
    else the post's address field at the office's end; the citizen's is the post's field at
    the citizen's end, else the commune the one-stop system registered. Only the dossier
    (pickup) leg carries an appointment slip.
    """
    pickup = kind == LegKind.PICKUP
    office, citizen = (receiver, sender) if pickup else (sender, receiver)
    listed = table.office_commune(unit) if unit else None
    return LegEnds(
        office_commune=listed.code if listed else office.commune_code,
        citizen_commune=citizen.commune_code or registered_commune,
        citizen_province=citizen.province_code,
        appointment_slip=appointment_slip and pickup,
    )
