"""Messages of the import/export layer, shared with the server: see `sync.tabular.messages`."""

from __future__ import annotations

from sync.tabular.messages import REPORT_MESSAGES, TRANSFER_MESSAGES, TransferError, render

__all__ = ["REPORT_MESSAGES", "TRANSFER_MESSAGES", "TransferError", "render"]
