"""Settings from the environment (KANAVA_*), read in one place and passed down."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///var/kanava.sqlite3"
DEVELOPMENT_SECRET = "development-only-secret-change-me"


class Settings(BaseSettings):
    """Every setting kanava reads; nothing connects at import."""

    model_config = SettingsConfigDict(env_prefix="KANAVA_", env_ignore_empty=True, extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL: SQLite by default, postgresql+psycopg://... in production.",
    )
    db_pool_size: int = Field(
        default=5, ge=1, le=200, description="Connections each process keeps open."
    )
    db_max_overflow: int = Field(
        default=10, ge=0, le=200, description="Connections a process may open beyond the pool."
    )
    db_pool_timeout: float = Field(
        default=30.0, gt=0, le=600, description="Seconds a request waits for a connection."
    )
    db_write_concurrency: int = Field(
        default=2,
        ge=1,
        le=200,
        description="Booking transactions a process runs at once; the rest wait their turn.",
    )
    road_factor: float = Field(default=1.3, gt=0.5, le=5.0)
    environment: str = Field(default="development", description="development or production")
    secret_key: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_SECRET),
        description="Signs manage tokens; must be set in production.",
    )
    public_base_url: str = "http://127.0.0.1:8000"
    cookie_secure: bool = Field(
        default=True,
        description="Send the session cookie over HTTPS only (browsers accept it on localhost).",
    )
    session_hours: int = Field(default=12, ge=1, le=24 * 14)
    hold_minutes: int = Field(default=10, ge=1, le=120)
    max_active_bookings: int = Field(default=3, ge=1, le=50)
    notify_sender: str = Field(default="file", pattern="^(file|smtp)$")
    outbox_dir: Path = Path("var/outbox")
    events_dir: Path = Field(
        default=Path("var/events"),
        description="Parquet files of contact events read beside the database's (the demo year).",
    )
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = "kanava@localhost"
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None

    @model_validator(mode="after")
    def _refuse_development_secret_in_production(self) -> Settings:
        if self.environment == "production" and (
            self.secret_key.get_secret_value() == DEVELOPMENT_SECRET
        ):
            raise ValueError("KANAVA_SECRET_KEY: set a secret of your own in production")
        return self

    @field_validator("database_url")
    @classmethod
    def _use_psycopg3(cls, value: str) -> str:
        """Accept plain postgresql:// URLs and use the psycopg 3 driver for them."""
        for prefix in ("postgresql://", "postgres://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value

    def sqlite_path(self) -> Path | None:
        """The file of a SQLite database URL, so its folder can be created."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url[len(prefix) :])
        return None


@lru_cache
def get_settings() -> Settings:
    return Settings()
