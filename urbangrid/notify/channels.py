"""Outside delivery channels. Configure with URBANGRID["NOTIFY_CHANNEL"]:

- "log" (default): writes each message to the `urbangrid.notify` logger;
- "sms": POSTs {"phone", "text", "ref"} as JSON to URBANGRID["SMS_GATEWAY_URL"] (with
  URBANGRID["SMS_GATEWAY_TOKEN"] as a bearer token) — the shape most SMS gateways and
  government messaging platforms accept through a small adapter.

A channel is any object with `name` and `send(phone, text, ref) -> None` that raises on failure;
add one by naming its dotted path in the setting.
"""

import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("urbangrid.notify")


class LogChannel:
    name = "log"

    def send(self, phone: str, text: str, ref: str) -> None:
        log.info("notify %s [%s]: %s", phone or "-", ref, text)


class SmsGatewayChannel:
    name = "sms"

    def __init__(self, url: str, token: str = "", timeout: float = 5.0) -> None:
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, phone: str, text: str, ref: str) -> None:
        if not phone:
            raise ValueError("no phone number")
        body = json.dumps({"phone": phone, "text": text, "ref": ref}, ensure_ascii=False).encode()
        req = urllib.request.Request(
            self.url, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(req, timeout=self.timeout) as resp:
            if resp.status >= 300:
                raise RuntimeError(f"gateway answered {resp.status}")


def configured_channel():
    conf = settings.URBANGRID
    name = conf.get("NOTIFY_CHANNEL", "log")
    if name == "log":
        return LogChannel()
    if name == "sms":
        return SmsGatewayChannel(conf["SMS_GATEWAY_URL"], conf.get("SMS_GATEWAY_TOKEN", ""))
    return import_string(name)()
