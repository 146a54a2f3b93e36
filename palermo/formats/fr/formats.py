"""French as the Imprimerie nationale writes it and CLDR records it: ``1 770``, ``33,34``, ``05/03/2026``.

The thousands are grouped by a narrow no-break space (U+202F), so that a number never breaks across two lines;
dates are day/month/year in digits (jj/mm/aaaa) everywhere, the long form included. Only numbers formatted on
purpose are grouped (``floatformat:"0g"``, the ``money`` and ``number`` filters): ``USE_THOUSAND_SEPARATOR`` stays
off, or every year on a page would read "2 026"."""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"
NUMBER_GROUPING = 3
