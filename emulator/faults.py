"""Fault injection rules for the /v1/ API (set through /_emulator/faults)."""

from __future__ import annotations

import threading

KINDS = ("status500", "status502", "status503", "status429", "reset_before", "reset_after", "slow")


class FaultError(ValueError):
    pass


def _rule(raw) -> dict:
    if not isinstance(raw, dict):
        raise FaultError("each fault must be an object")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise FaultError(f"unknown fault kind {kind!r}; expected one of {', '.join(KINDS)}")
    count = raw.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise FaultError("count must be a positive integer")
    retry_after = raw.get("retryAfter", 1)
    delay = raw.get("delay", 1)
    for name, value in (("retryAfter", retry_after), ("delay", delay)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise FaultError(f"{name} must be a non-negative number")
    method = raw.get("method")
    route = raw.get("route")
    for name, value in (("method", method), ("route", route)):
        if value is not None and not isinstance(value, str):
            raise FaultError(f"{name} must be a string")
    return {
        "method": method.upper() if method else None,
        "route": route or None,
        "kind": kind,
        "count": count,
        "retryAfter": retry_after,
        "delay": delay,
    }


class Faults:
    """An ordered list of rules; the first matching rule fires and loses one count."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rules: list[dict] = []

    def add(self, raw_rules) -> list[dict]:
        if not isinstance(raw_rules, list):
            raise FaultError('body must be {"faults": [...]}')
        rules = [_rule(r) for r in raw_rules]
        with self._lock:
            self._rules.extend(rules)
            return [dict(r) for r in self._rules]

    def clear(self) -> None:
        with self._lock:
            self._rules = []

    def list(self) -> list[dict]:
        with self._lock:
            return [dict(r) for r in self._rules]

    def take(self, method: str, route: str, path: str) -> dict | None:
        """Return (a copy of) the first rule matching the request and use up one count."""
        with self._lock:
            for rule in self._rules:
                if rule["method"] and rule["method"] != method:
                    continue
                if rule["route"] and rule["route"] not in (route, path):
                    continue
                rule["count"] -= 1
                if rule["count"] <= 0:
                    self._rules.remove(rule)
                return dict(rule)
        return None
