import functools


def portal(request):
    """Header data for every page: who you are, the menu of your role (portal.menu), unread
    alerts.

    Apps contribute through their AppConfig: `nav(user) -> [{"label", "url", "group", "todo"?}]`
    and `unread_count(user) -> int`.
    """
    from django.conf import settings

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"upload_max_mb": settings.UPLOAD_MAX_MB}
    from django.apps import apps

    from portal import compiled, menu

    with compiled.once():  # the badge and the menu's 消息 item: one count
        # every to-do count of the menu and the header's inbox counts: one statement (menu.build)
        context = menu.build(user, request.path)
        unread = 0
        for config in apps.get_app_configs():
            if hasattr(config, "unread_count"):
                unread += config.unread_count(user)
    context["sidebar_html"] = functools.partial(menu.sidebar_html, context["menu"])  # base.html only
    context["portal_nav"] = [item for group in context["menu"] for item in group["items"]]
    context["unread_alerts"] = unread
    context["upload_max_mb"] = settings.UPLOAD_MAX_MB
    return context
