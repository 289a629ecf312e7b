"""The background worker's entry point, configured from the environment like the app:

    huey_consumer factcheck.worker.huey --workers 2 --worker-type thread

(`make run` starts one beside the development server.)"""

from factcheck import create_app
from factcheck.jobs import configure, huey, settings_from_environment, use_app_factory

configure(settings_from_environment())
use_app_factory(create_app)

__all__ = ["huey"]
