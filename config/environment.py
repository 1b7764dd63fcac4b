"""What every settings module reads first: the environment, the project's paths, and the two
switches (DEBUG, ACCORD_TESTING) the other settings depend on."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def setting(name: str, default: str) -> str:
    """A string setting where an empty value (as in a copied .env.example) means the default."""
    return env.str(name, default="") or default


VAR_DIR = Path(setting("ACCORD_VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("ACCORD_TESTING", default=False)
