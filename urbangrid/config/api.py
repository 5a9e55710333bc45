from urbangrid.accounts.api import API_AUTH, auth_router
from urbangrid.cases.api import router as cases_router
from urbangrid.catalog.api import router as catalog_router
from urbangrid.command.api import router as command_router
from urbangrid.components.api import router as components_router
from urbangrid.core.api import UrbanGridAPI, install_error_handlers
from urbangrid.evaluation.api import router as evaluation_router
from urbangrid.geo.api import router as geo_router
from urbangrid.intake.api import router as intake_router
from urbangrid.intake.field.api import router as field_router

api = UrbanGridAPI(
    title="UrbanGrid API",
    version="1",
    description="数字化城市管理信息系统 API. Authenticate with POST /api/v1/auth/token, then send "
    '`Authorization: Bearer <token>`. Errors are `{"code", "message"}` with a fitting 4xx status.',
    auth=API_AUTH,
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/auth", auth_router)
api.add_router("/geo", geo_router)
api.add_router("/catalog", catalog_router)
api.add_router("/components", components_router)
api.add_router("/cases", cases_router)
api.add_router("/evaluation", evaluation_router)
api.add_router("/intake", intake_router)
api.add_router("/field", field_router)
api.add_router("/command", command_router)
