"""The signed-in user with its office and the office's region (what the data scope reads on every
request), by a statement written once per process.

Every API call reads its token with the user, office and region (communities.token_auth), every
page its session's user with the office and region (communities.backends). Building and compiling
that select_related query cost ~0.3 ms of a request's CPU; here the statement is made once from
the models' own columns, sent with the key, and the row cut into model instances the way Django's
ORM makes them (`Model.from_db`, related objects cached on their foreign keys).

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
    models = _models(first)
    quote = connection.ops.quote_name
    for model in models:
        for field in model._meta.concrete_fields:
            column = field.get_col(model._meta.db_table)
            if field.get_db_converters(connection) or connection.ops.get_db_converters(column):
                return None
    links = [_link(models[index - 1], models[index]) for index in range(1, len(models))]
    aliases = [f"m{index}" for index in range(len(models))]
    columns = ", ".join(f"{alias}.{quote(field.column)}" for model, alias in zip(models, aliases, strict=True)
                        for field in model._meta.concrete_fields)
    joins = [f"{quote(models[0]._meta.db_table)} {aliases[0]}"]
    for index, link in enumerate(links, start=1):
        kind = "INNER" if link.null is False and index == 1 else "LEFT OUTER"
        joins.append(f"{kind} JOIN {quote(models[index]._meta.db_table)} {aliases[index]} ON "
                     f"{aliases[index - 1]}.{quote(link.column)} = "
                     f"{aliases[index]}.{quote(models[index]._meta.pk.column)}")
    sql = f"SELECT {columns} FROM {' '.join(joins)} WHERE {aliases[0]}.{quote(models[0]._meta.pk.column)} = %s"
    shapes = [(model, len(model._meta.concrete_fields), model._meta.concrete_fields.index(model._meta.pk))
              for model in models]
    return sql, shapes, links


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
    instances, start = [], 0
    for model, width, pk in shapes:
        values = row[start:start + width]
        start += width
        instances.append(None if values[pk] is None else model.from_db(connection.alias, None, values))
    for link, owner, related in zip(links, instances, instances[1:], strict=False):
        if owner is None:
            break
        link.set_cached_value(owner, related)
    return instances[0]
