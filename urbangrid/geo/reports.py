from dataclasses import dataclass

from urbangrid.core.importing import ImportReport


@dataclass
class GeoImportReport(ImportReport):
    """An import report that also counts retired grids and states the tolerance it used."""

    tolerance_m2: float = 1.0
    retired: int = 0

    def as_dict(self) -> dict:
        return {**super().as_dict(), "retired": self.retired, "tolerance_m2": self.tolerance_m2}
