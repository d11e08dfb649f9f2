"""The home page's posts: what waits for my answer on top, then the timeline of all my groups."""

from django import template

from posts.queries import awaiting_my_answer, get_feed, with_reactions

register = template.Library()


@register.inclusion_tag("posts/_home_needs.html", takes_context=True)
def posts_needs(context, children):
    """Invitations and help requests waiting for me; only parents answer them."""
    return {
        "awaiting": awaiting_my_answer(context["user"]) if children else [],
        "request": context["request"],
    }


@register.inclusion_tag("posts/_home_timeline.html", takes_context=True)
def posts_timeline(context):
    """The first page of the feed of all my groups; further pages come from the timeline itself."""
    feed = get_feed(context["user"])
    with_reactions(context["user"], feed.pinned + feed.posts)
    return {"feed": feed, "user": context["user"], "request": context["request"]}
