"""Who may see which report: programme managers their programme's, platform administrators
every programme's. Reports count children and never name them; the lists they link to apply
their own access rules."""

from leerorkest.accounts.access import roles
from leerorkest.accounts.roles import PLATFORM_ADMIN
from leerorkest.programme.access_programme import PROGRAMME_MANAGER_ROLES

REPORTERS = roles(*PROGRAMME_MANAGER_ROLES, PLATFORM_ADMIN)
