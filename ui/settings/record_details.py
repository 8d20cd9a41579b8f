"""The details pane of the consent history: every field of one record as an HTML table."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from PySide6.QtWidgets import QWidget

from guard.presentation.i18n import _
from guard.presentation.records import record_fields
from guard.services import EffectiveStatus, Record, Services
from ui.settings.common import css_colour, esc, muted_tint


def details_html(services: Services, record: Record, status: EffectiveStatus | None, widget: QWidget,
                 refers_to_seq: int | None = None, terms_dates: Mapping[str, date] | None = None) -> str:
    """Fields of ``record``; a withdrawn/corrected record links to the record that changed it."""

    provider_name = services.provider_name
    feature_name = services.feature_name  # the catalog's name (a person reads this pane); the id when unknown

    tint = css_colour(muted_tint(widget.palette()))
    rows = []
    for field in record_fields(record, status, provider_name, feature_name, refers_to_seq, services.document_title,
                               terms_dates):
        value = esc(field.value)
        if field.key == "refers-to" and record.refers_to:
            value = f'<a href="record:{esc(record.refers_to)}">{value}</a>'
        rows.append(f'<tr><th align="left" valign="top" style="padding-right:12px">{esc(field.label)}</th>'
                    f'<td style="font-family:monospace" >{value}</td></tr>' if field.key in
                    ("prev-hash", "hash", "signature", "id", "terms-hash") else
                    f'<tr><th align="left" valign="top" style="padding-right:12px">{esc(field.label)}</th>'
                    f'<td>{value}</td></tr>')
    later = ""
    if status is not None and len(status.history) > 1:
        links = ", ".join(f'<a href="record:{esc(r.id)}">{esc(_("record {seq}").format(seq=r.seq))}</a>'
                          for r in status.history[1:])
        later = (f'<p style="background:{tint}; padding:4px">'
                 f'{esc(_("Changed later by {records}.")).format(records=links)}</p>')
    heading = esc(_("Record {seq}").format(seq=record.seq))
    return f"<h3>{heading}</h3>{later}<table cellspacing='2'>{''.join(rows)}</table>"
