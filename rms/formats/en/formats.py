"""The one way RMS writes dates and times (FORMAT_MODULE_PATH): "20 Dec 2026" and
"20 Dec 2026, 17:00", a 24-hour clock and no abbreviating dots. `date_format(value)`, `{{ value }}`
and `|date` all use these; `core.dates.day_text`/`moment_text` and the `|day`/`|moment` filters too."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
FIRST_DAY_OF_WEEK = 1  # Monday
