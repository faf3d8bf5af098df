"""When people post: mentions by weekday and hour of day, in a chosen timezone, per source."""

from __future__ import annotations

import pandas as pd

from cxtext.errors import ValidationError

WEEKDAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

def activity_table(records: pd.DataFrame, timezone: str = "UTC", source_timezone: str = "UTC",
                   by: str | None = "source") -> pd.DataFrame:
    """Mentions by weekday and hour of day in ``timezone``, per ``by`` group.

    ``records["date"]``: timestamps; naive ones are read as ``source_timezone``
    (cxtext's validate stage stores times that carried an offset as naive
    UTC), then converted to ``timezone`` (an IANA name such as
    "Europe/Bucharest" or "Asia/Riyadh"). Rows without a date, and rejected
    rows, are left out. When every date has time 00:00:00 the input held
    dates only: ``hour`` is then ``<NA>`` and only weekdays are counted.

    Long format, one row per (group, weekday, hour) that has mentions:
    ``<by>`` (when given; missing groups read "(missing)"), ``weekday``
    (0 = Monday), ``weekday_name``, ``hour`` (0-23, Int64), ``mentions``.
    ``attrs["timezone"]`` and ``attrs["has_time"]`` record the choices.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from cxtext.drivers import MISSING_GROUP

    for name in (timezone, source_timezone):
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise ValidationError(f"Unknown timezone {name!r}: use an IANA name such as 'UTC', "
                                  "'Europe/Bucharest' or 'Asia/Riyadh'.") from None
    if "date" not in records.columns:
        raise ValidationError("records have no 'date' column; map a date column to see activity times.")
    if by is not None and by not in records.columns:
        raise ValidationError(f"records have no {by!r} column to group activity by; use by=None.")
    keep = records["date"].notna()
    if "status" in records.columns:
        keep &= records["status"] == "analyzed"
    dates = pd.to_datetime(records.loc[keep, "date"], errors="coerce")
    has_time = bool(len(dates)) and bool((dates.dt.hour.ne(0) | dates.dt.minute.ne(0) | dates.dt.second.ne(0)).any())
    if dates.dt.tz is None:
        dates = dates.dt.tz_localize(source_timezone, ambiguous="NaT", nonexistent="shift_forward")
    local = dates.dt.tz_convert(timezone) if has_time else dates
    frame = pd.DataFrame({
        "weekday": local.dt.day_of_week.astype("Int64"),
        "hour": local.dt.hour.astype("Int64") if has_time else pd.Series(pd.NA, index=local.index, dtype="Int64"),
    })
    group_columns = ["weekday", "hour"]
    if by is not None:
        frame.insert(0, by, records.loc[keep, by].astype("string").fillna(MISSING_GROUP).to_numpy())
        group_columns = [by, *group_columns]
    frame = frame[frame["weekday"].notna()]
    table = frame.groupby(group_columns, dropna=False).size().rename("mentions").reset_index()
    table.insert(group_columns.index("weekday") + 1, "weekday_name",
                 [WEEKDAYS[int(d)] for d in table["weekday"]])
    table["mentions"] = table["mentions"].astype("int64")
    table.attrs.update(timezone=timezone if has_time else "dates only", has_time=has_time)
    return table.sort_values(group_columns, kind="stable").reset_index(drop=True)


def activity_pivot(activity: pd.DataFrame, by_value: str | None = None, by: str = "source") -> pd.DataFrame:
    """A weekday x hour grid of mentions (0 where none) from :func:`activity_table`."""
    frame = activity if by_value is None else activity[activity[by] == by_value]
    grid = frame.groupby(["weekday_name", "hour"])["mentions"].sum().unstack(fill_value=0)
    return grid.reindex(index=list(WEEKDAYS), columns=range(24), fill_value=0).astype("int64")
