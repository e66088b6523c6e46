"""Stored-credential reconciliation, as Central does for ``updatePassword: false``.

Central walks the request and the stored object side by side (by reflection
over the Go structs) twice: first only verifying, then copying stored
credentials into the request. The walk follows the Go struct field order and
names, which is why error paths look like
``ImageIntegration.ImageIntegration_Docker.DockerConfig.Endpoint``.

Rules while verifying, field by field:
- a sub-message present in the stored object but absent from the request:
  ``non-nil existing field '<path>'``;
- a sub-message present in the request but absent from the stored object:
  ``invalid input`` (Central's walk finds nothing to compare against);
- different oneof config blocks: ``type not equal: '<a>' != '<b>'``;
- a ``scrub:"always"`` field must be empty or ``******``:
  ``non-zero or unmasked credential field '<path>'``;
- a ``scrub:"dependent"`` field must equal the stored value:
  ``credentials required to update field '<path>'``.
After a successful verification every ``scrub:"always"`` field is replaced by
the stored value.
"""

from __future__ import annotations

from .messages import CONFIG_BLOCKS, MASK, MESSAGE, MESSAGES, TIMESTAMP


class ReconcileError(ValueError):
    pass


def reconcile(updated: dict, existing: dict) -> None:
    """Verify ``updated`` against ``existing``, then copy stored credentials into it."""
    _walk_integration(updated, existing, verify_only=True)
    _walk_integration(updated, existing, verify_only=False)


def _walk_integration(updated: dict, existing: dict, verify_only: bool) -> None:
    path = ["ImageIntegration"]
    upd_block = next((n for n in CONFIG_BLOCKS if updated.get(n) is not None), None)
    old_block = next((n for n in CONFIG_BLOCKS if existing.get(n) is not None), None)
    for f in MESSAGES["ImageIntegration"].fields:
        if f.oneof:
            if f.json != next(iter(CONFIG_BLOCKS)):
                continue  # the oneof is one Go field; handle it once
            if upd_block is None and old_block is not None:
                raise ReconcileError("non-nil existing field '%s'" % ".".join(path + ["IntegrationConfig"]))
            if upd_block is None:
                continue
            if old_block is None:
                raise ReconcileError("invalid input")
            upd_wrapper = CONFIG_BLOCKS[upd_block][1]
            old_wrapper = CONFIG_BLOCKS[old_block][1]
            if upd_wrapper != old_wrapper:
                raise ReconcileError(f"type not equal: 'storage.{upd_wrapper}' != 'storage.{old_wrapper}'")
            message = CONFIG_BLOCKS[upd_block][0]
            _walk(message, updated[upd_block], existing[old_block], verify_only, path + [upd_wrapper])
            continue
        _field(f, updated, existing, verify_only, path)


def _walk(message_name: str, updated: dict, existing: dict, verify_only: bool, path: list[str]) -> None:
    path = path + [MESSAGES[message_name].go_name]
    for f in MESSAGES[message_name].fields:
        _field(f, updated, existing, verify_only, path)


def _field(f, updated: dict, existing: dict, verify_only: bool, path: list[str]) -> None:
    where = ".".join(path + [f.go])
    new, old = updated.get(f.json), existing.get(f.json)
    if f.kind in (MESSAGE, TIMESTAMP):
        if new is None and old is not None:
            raise ReconcileError(f"non-nil existing field '{where}'")
        if new is not None and old is None:
            raise ReconcileError("invalid input")
        if new is not None and f.kind == MESSAGE:
            _walk(f.message, new, old, verify_only, path)
    if f.scrub == "always":
        if new not in ("", MASK):
            raise ReconcileError(f"non-zero or unmasked credential field '{where}'")
        if not verify_only:
            updated[f.json] = old
    elif f.scrub == "dependent":
        if new != old:
            raise ReconcileError(f"credentials required to update field '{where}'")
