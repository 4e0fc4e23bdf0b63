"""{% place_commitments place as cc %}: what the place page's inspections tab shows about
commitments and invitations (views_commitment.place_tab_context), for the user of the request."""

from django import template

from ..views_commitment import place_tab_context

register = template.Library()


@register.simple_tag(takes_context=True)
def place_commitments(context, place):
    if "commitment" in context:  # the place page has looked up the commitment in force
        return place_tab_context(context["request"], place, in_force=context["commitment"])
    return place_tab_context(context["request"], place)
