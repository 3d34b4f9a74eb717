def portal(request):
    """Header data for every page: who you are and what waits for you."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = 0
    counter = getattr(request, "_unread_alerts", None)
    if counter is None:
        from django.apps import apps

        for config in apps.get_app_configs():
            provider = getattr(config, "unread_count", None)
            if provider:
                unread += provider(user)
        request._unread_alerts = unread
    else:
        unread = counter
    return {"unread_alerts": unread}
