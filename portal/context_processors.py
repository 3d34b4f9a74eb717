def portal(request):
    """Header data for every page: who you are, the menu of your role, unread alerts.

    Apps contribute through their AppConfig: `nav(user) -> [{"label", "url"}]` and
    `unread_count(user) -> int`.
    """
    from django.conf import settings

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"upload_max_mb": settings.UPLOAD_MAX_MB}
    from django.apps import apps

    nav, unread = [], 0
    for config in apps.get_app_configs():
        if hasattr(config, "nav"):
            nav.extend(config.nav(user))
        if hasattr(config, "unread_count"):
            unread += config.unread_count(user)
    return {"portal_nav": nav, "unread_alerts": unread, "upload_max_mb": settings.UPLOAD_MAX_MB}
