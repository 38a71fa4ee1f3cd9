"""gluon.contrib.redis_cache as a web2py app uses it: ``cache.redis`` set in a model."""

import redis
from support import write_app

MODEL = '''
from gluon.contrib.redis_utils import RConn
from gluon.contrib.redis_cache import RedisCache
cache.redis = RedisCache(redis_conn=RConn(host="127.0.0.1", port={port}), with_lock=True)
'''
CONTROLLER = '''
def visits():
    return str(cache.redis.increment("visits"))

def greeting():
    return cache.redis("greeting", lambda: request.vars.text, None)
'''


def test_cache_redis_in_a_model_is_shared_by_application_objects(root, redis_url, wsgi_server,
                                                                  http):
    port = redis.Redis.from_url(redis_url).connection_pool.connection_kwargs["port"]
    write_app(root, "rc", {"models/db.py": MODEL.format(port=port),
                           "controllers/default.py": CONTROLLER})
    assert http(wsgi_server(root) + "/rc/default/visits").text == "1"
    assert http(wsgi_server(root) + "/rc/default/visits").text == "2"
    assert http(wsgi_server(root) + "/rc/default/greeting?text=hi").text == "hi"
    assert http(wsgi_server(root) + "/rc/default/greeting?text=other").text == "hi"
