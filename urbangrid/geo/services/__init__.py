"""Changes to the geographic base data: divisions, unit grids, responsibility grids and the
gazetteer. Nothing else writes these models.

Imports check the whole file first (a dry run stops there) and apply all or nothing in one
transaction with one audit record per batch. `actor=None` is the system itself: console
commands run by the operator on the server, and the demo builder; every other actor needs
the action's role (`geo.import`: administrators; `geo.edit`: administrators and shift
leaders, inside their data scope).
"""

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Role

from ..reports import GeoImportReport
from .common import DEFAULT_TOLERANCE_M2
from .divisions import import_divisions, rename_division
from .exports import export_divisions, export_grids
from .gazetteer import import_gazetteer, update_place, update_road
from .grids import import_grids, update_grid
from .responsibility import check_responsibility_grid, delete_responsibility_grid, save_responsibility_grid

permissions.register("geo.import", Role.ADMIN)
permissions.register("geo.edit", Role.ADMIN, Role.SHIFT_LEADER)

__all__ = [
    "DEFAULT_TOLERANCE_M2",
    "GeoImportReport",
    "check_responsibility_grid",
    "delete_responsibility_grid",
    "export_divisions",
    "export_grids",
    "import_divisions",
    "import_gazetteer",
    "import_grids",
    "rename_division",
    "save_responsibility_grid",
    "update_grid",
    "update_place",
    "update_road",
]
