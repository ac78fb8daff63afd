"""gunicorn's access log without the tokens of the customer portal's magic links
(`--logger-class rms.gunicorn_logging.RedactingLogger`, Dockerfile and docker-compose.yml)."""

from gunicorn.glogging import Logger

from core.log_filters import redact_portal_tokens


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):  # the request line, the path, the Referer
            if isinstance(atoms.get(key), str):
                atoms[key] = redact_portal_tokens(atoms[key])
        return atoms
