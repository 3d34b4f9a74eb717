"""Roles as Django groups with model permissions, kept in step with office kinds."""

from django.contrib.auth.models import Group, Permission

# Office kind → (group name, permission codenames "app_label.codename").
ROLE_GROUPS = {
    "street": ("街道", [
        "communities.view_community", "communities.change_community", "residents.add_survey",
        "residents.view_survey",
    ]),
    "district_townscape": ("区风貌办", [
        "communities.view_community", "residents.view_survey",
    ]),
    "city_townscape": ("市风貌办", [
        "communities.view_community", "residents.view_survey",
    ]),
    "leading_group": ("领导小组", ["communities.view_community"]),
    "finance": ("财政局", ["communities.view_community"]),
    "admin": ("系统管理员", []),
}


def group_for_kind(kind: str) -> Group:
    name, _ = ROLE_GROUPS[kind]
    return Group.objects.get_or_create(name=name)[0]


def ensure_roles(**kwargs):
    """post_migrate hook: create the groups and (re)attach their permissions."""
    for kind, (name, codenames) in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label,
                                             codename=codename).first()
            if perm:
                perms.append(perm)
        if kind == "admin":
            perms = list(Permission.objects.all())
        group.permissions.set(perms)
