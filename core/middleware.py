from core.audit import current_ip
from core.client_address import client_ip


class RequestContextMiddleware:
    """Expose the client IP (behind trusted proxies: the forwarded one) to audit rows written anywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
