"""schemathesis over the whole API, as `schemathesis run --checks all --generation-allow-x00 true`
would run it (examples, coverage, fuzzing and stateful phases), on SQLite and on PostgreSQL.

No check may find a server error or an answer outside the schema. The one failure allowed is
`positive_data_acceptance` on POST /api/articles: a string the schema allows (any text/plain or
text/html body, any `text`) is refused with 422 when it is not news (too short, not prose), which no
JSON Schema can say."""
from __future__ import annotations

import collections


from storyline.web import create_app

TOKEN = "test-token-789"
MAX_EXAMPLES = 60  # per operation and phase
ALLOWED = {"positive_data_acceptance"}  # only on POST /api/articles (see the module's docstring)


def run_schemathesis(app, max_examples: int = MAX_EXAMPLES) -> tuple[int, list[tuple[str, str, str]]]:
    """Every phase with every check and NUL generation on; (test cases run, failures)."""
    import schemathesis
    from schemathesis.config import SchemathesisConfig
    from schemathesis.engine import events, from_schema

    config = SchemathesisConfig()
    config.update(suppress_health_check=None, seed=24, max_failures=None)
    project = config.projects.override
    project.update(headers={"Authorization": f"Bearer {TOKEN}"}, workers=1)
    project.checks.update(included_check_names=["all"])
    project.generation.update(allow_x00=True, max_examples=max_examples, deterministic=True, database="none")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    cases, failures, errors = 0, [], []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            cases += len(event.recorder.cases)
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.failure_info is not None:
                        failures.append((event.recorder.label, check.name,
                                         f"{check.failure_info.failure}\n{check.failure_info.code_sample}"[:600]))
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            errors.append(str(getattr(event, "info", event) or event)[:600])
    assert not errors, errors
    return cases, failures


def test_schemathesis_finds_no_server_error(store_db):
    cases, failures = run_schemathesis(create_app(store_db, token=TOKEN))
    assert cases > 200, cases  # every phase ran
    server_errors = [f for f in failures if f[1] == "not_a_server_error"]
    assert not server_errors, "\n\n".join(f[2] for f in server_errors[:5])
    unexpected = [f for f in failures if f[1] not in ALLOWED
                  or f[0] not in ("POST /api/articles", "Stateful tests")]
    assert not unexpected, "\n\n".join(f"{label}: {name}\n{text}" for label, name, text in unexpected[:5])
    print(f"{cases} test cases; failures by check: {dict(collections.Counter(f[1] for f in failures))}")
