"""Django's Redis cache backend, keeping one `redis.Redis` per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every call. Building one
fills its table of ~170 response callbacks: 0.19 ms on the benchmark machine, a third of a cached
board's whole cache read (0.59 ms with the round trip; issue #19). A `redis.Redis` over a
connection pool is safe to share between threads, and the pool itself notices a fork, so one per
pool is enough. Everything else is Django's.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # connection pool → its redis.Redis

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
