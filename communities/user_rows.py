"""The signed-in user with its office and the office's region (what the data scope reads on every
request), by a statement written once per process.

Every API call reads its token with the user, office and region (communities.token_auth), every
page its session with the session's user, office and region (`load_session`, for
communities.sessions and communities.backends: one statement, not one for the session and one
for the user). Building and compiling
that select_related query cost ~0.3 ms of a request's CPU; here the statement is made once from
the models' own columns, sent with the key, and the row cut into model instances the way Django's
ORM makes them (`Model.from_db`, related objects cached on their foreign keys).

On PostgreSQL both statements also read the user's data-scope ids (communities.scope.subtree_sql),
kept on the user for communities.scope.subtree_ids.

Where any of those columns needs a converter from the database's values (SQLite's booleans and
date-times), `load` returns NotImplemented and the caller uses the ORM.
tests/communities/test_user_rows.py compares both.
"""

from __future__ import annotations

import functools

from django.db import connection

from portal import prepared

# (model label, alias) in the order of the statement's columns; each joins the one before it.
_CHAIN = ("authtoken.Token", "communities.User", "communities.Office", "communities.Region")


def _models(first: str):
    from django.apps import apps

    return [apps.get_model(label) for label in _CHAIN[_CHAIN.index(first):]]


@functools.cache
def _statement(vendor: str, first: str):
    """(SQL, [(model, its column count, its primary key's position)], foreign keys linking each
    model to the next) for the chain starting at `first`; None when a column needs a converter."""
    parts = _parts(vendor, first)
    if parts is None:
        return None
    columns, joins, shapes, links = parts
    models = [model for model, _width, _pk in shapes]
    quote = connection.ops.quote_name
    first_join = "INNER" if links and links[0].null is False else "LEFT OUTER"  # a token has a user
    sql = (f"SELECT {columns}{_subtree_column(vendor, len(models) - 3)} FROM {quote(models[0]._meta.db_table)} m0 "
           f"{' '.join(joins).replace('LEFT OUTER', first_join, 1)}"
           f" WHERE m0.{quote(models[0]._meta.pk.column)} = %s")
    return sql, shapes, links


@functools.cache
def _session_statement(vendor: str):
    """(SQL, shapes, links) reading a live session's data and expiry with the chain of the user its
    user column names, every join an outer one (a session of nobody, or of a deleted user, is
    still read); None where a column needs a converter."""
    from communities.models import UserSession

    parts = _parts(vendor, "communities.User")
    if parts is None:
        return None
    columns, joins, shapes, links = parts
    user = shapes[0][0]
    quote = connection.ops.quote_name
    sql = (f'SELECT s."session_data", s."expire_date", {columns}{_subtree_column(vendor, 0)} '
           f"FROM {quote(UserSession._meta.db_table)} s "
           f"LEFT OUTER JOIN {quote(user._meta.db_table)} m0 ON "
           f"s.{quote(UserSession._meta.get_field('user').column)} = m0.{quote(user._meta.pk.column)} "
           f"{' '.join(joins)} "
           # the expiry as text cast by PostgreSQL: a datetime parameter is never prepared (portal.prepared)
           f'WHERE s."session_key" = %s AND s."expire_date" > CAST(%s AS timestamptz)')
    return sql, shapes, links


def _subtree_column(vendor: str, user: int) -> str:
    """The statement's last column on PostgreSQL: the user's scope ids (communities.scope.
    subtree_sql; the user aliased m<user>, its office and region the next two)."""
    from communities import scope

    if vendor != "postgresql":
        return ""
    return ", " + scope.subtree_sql(f"m{user}", f"m{user + 1}", f"m{user + 2}")


def _parts(vendor: str, first: str):
    """(the columns of every model of the chain starting at `first`, aliased m0, m1…; the outer
    joins from m0 to the others; shapes; links); None when a column needs a converter."""
    models = _models(first)
    quote = connection.ops.quote_name
    for model in models:
        for field in model._meta.concrete_fields:
            column = field.get_col(model._meta.db_table)
            if field.get_db_converters(connection) or connection.ops.get_db_converters(column):
                return None
    links = [_link(models[index - 1], models[index]) for index in range(1, len(models))]
    columns = ", ".join(f"m{index}.{quote(field.column)}" for index, model in enumerate(models)
                        for field in model._meta.concrete_fields)
    joins = [f"LEFT OUTER JOIN {quote(models[index]._meta.db_table)} m{index} ON "
             f"m{index - 1}.{quote(link.column)} = m{index}.{quote(models[index]._meta.pk.column)}"
             for index, link in enumerate(links, start=1)]
    shapes = [(model, len(model._meta.concrete_fields), model._meta.concrete_fields.index(model._meta.pk))
              for model in models]
    return columns, joins, shapes, links


def _link(model, target):
    """The foreign key of `model` to `target`."""
    (field,) = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is target]
    return field


def load(first: str, key):
    """The `first` model's instance with primary key `key`, its chain of related objects cached
    on it (a token's user, the user's office, the office's region); None when there is no such
    row; NotImplemented where the ORM must read it."""
    statement = _statement(connection.vendor, first)
    if statement is None:
        return NotImplemented
    sql, shapes, links = statement
    with connection.cursor() as cursor:
        prepared.execute(cursor, sql, [key])
        row = cursor.fetchone()
    if row is None:
        return None
    return _cut(row, shapes, links)


def load_session(session_key: str, now):
    """(session data, expiry, the user the session's user column names with its office and region
    cached on it, or None) of the live session `session_key`; None when there is none (unknown
    or expired by `now`); NotImplemented where the ORM must read it (SQLite, prepared statements
    off)."""
    statement = _session_statement(connection.vendor) if prepared.enabled() else None
    if statement is None:
        return NotImplemented
    sql, shapes, links = statement
    with connection.cursor() as cursor:
        prepared.execute(cursor, sql, [session_key, now.isoformat()])
        row = cursor.fetchone()
    if row is None:
        return None
    return row[0], row[1], _cut(row[2:], shapes, links)


def _cut(row, shapes, links):
    """The row's instances, each related one cached on the one before (None past a missing one);
    the user's scope ids that follow them, where read (`_subtree_column`), kept on the user."""
    instances, start = [], 0
    for model, width, pk in shapes:
        values = row[start:start + width]
        start += width
        instances.append(None if values[pk] is None else model.from_db(connection.alias, None, values))
    for link, owner, related in zip(links, instances, instances[1:], strict=False):
        if owner is None:
            break
        link.set_cached_value(owner, related)
    if len(row) > start:  # the scope ids of the chain's user (its third model from the end)
        from communities import scope

        user = instances[-3]
        if user is not None:
            scope.keep_subtree(user, row[start])
    return instances[0]
