# Runs az in-process with its HTTP answered from REST response bodies (no network, no login).
import json, sys, os, io
import tempfile
os.environ["AZURE_CONFIG_DIR"] = tempfile.mkdtemp(prefix="az-config-")
os.environ["AZURE_CORE_COLLECT_TELEMETRY"] = "0"
bodies = json.load(open(sys.argv[1]))  # {"path-substring": body}
from unittest import mock
import requests
import urllib3
def mk(r, status, content):
    r.status_code = status
    r.raw = urllib3.HTTPResponse(body=io.BytesIO(content), preload_content=False, status=status,
                                 headers={"Content-Type": "application/json", "Content-Length": str(len(content))})
    r.headers["Content-Type"] = "application/json"
    return r
def send(self, request, **kw):
    r = requests.Response()
    url = request.url
    for k, v in bodies.items():
        if k in url.split("?")[0]:
            mk(r, 200, json.dumps(v).encode())
            r.url = url
            r.request = request
            return r
    mk(r, 404, b'{"error":{"code":"NotFound","message":"' + url.encode() + b'"}}')
    r.url = url; r.request = request
    return r
class Cred:
    def get_token(self, *a, **k):
        from azure.core.credentials import AccessToken
        return AccessToken("x", 9999999999)
    def get_token_info(self, *a, **k):
        from azure.core.credentials import AccessTokenInfo
        return AccessTokenInfo("x", 9999999999)
sub = {"id": "00000000-0000-0000-0000-000000000000", "tenantId": "t", "name": "s", "environmentName": "AzureCloud"}
from azure.cli.core import _profile
with mock.patch.object(requests.Session, "send", send), \
     mock.patch.object(_profile.Profile, "get_login_credentials", lambda self, *a, **k: (Cred(), sub["id"], "t")), \
     mock.patch.object(_profile.Profile, "get_subscription", lambda self, *a, **k: sub), \
     mock.patch.object(_profile.Profile, "get_subscription_id", lambda self, *a, **k: sub["id"]):
    from azure.cli.core import get_default_cli
    cli = get_default_cli()
    out = io.StringIO()
    rc = cli.invoke(sys.argv[2:], out_file=out)
    sys.stdout.write(out.getvalue())
    sys.exit(rc)
