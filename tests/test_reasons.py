"""Why a value is refused: English in the API (its contract), the reader's language in
the CLI, nested reasons translated too."""

from __future__ import annotations

from typer.testing import CliRunner

from kanava.cli import app
from kanava.errors import InvalidInput, reason, said_in
from kanava.i18n.catalogues import translations


def test_a_reason_is_english_text_that_remembers_how_to_translate_itself() -> None:
    why = reason("%(where)s: %(value)s is negative",
                 where=reason("value %(number)s", number=2), value="-1")  # fmt: skip
    assert why == "value 2: -1 is negative"
    error = InvalidInput("weights", why)
    assert str(error) == "weights: value 2: -1 is negative"
    assert said_in(error, translations("fi").gettext) == "weights: arvo 2: -1 on negatiivinen"
    assert said_in(error, translations("sv").gettext) == "weights: värde 2: -1 är negativt"
    assert said_in(InvalidInput("x", "plain"), translations("sv").gettext) == "x: plain"


def test_a_literal_percent_survives_both_ways() -> None:
    assert reason("100%% of the calls") == "100% of the calls"
    assert reason("100%% of the calls").translated(lambda text: text) == "100% of the calls"


def test_the_cli_refuses_in_its_language() -> None:
    runner = CliRunner()
    answer = runner.invoke(
        app, ["--lang", "sv", "hours", "puhelin-elakkeet", "--from", "31.2.2025"]
    )
    assert answer.exit_code == 2
    assert (
        answer.stderr
        == "kanava: --from: '31.2.2025' är inget datum; väntat 31.12.2024 eller 2024-12-31\n"
    )


def test_pydantics_commonest_refusals_are_translatable() -> None:
    from pydantic import BaseModel, Field

    from kanava.cli_support import validated

    class Note(BaseModel):
        text: str = Field(max_length=5)
        count: int = Field(ge=1)

    for data, said in (({"count": 1}, "text: pakollinen"),
                       ({"text": "kuusi!", "count": 1}, "text: enintään 5 merkkiä"),
                       ({"text": "a", "count": "x"}, "count: ei ole luku"),
                       ({"text": "a", "count": 0}, "count: vähintään 1")):  # fmt: skip
        try:
            validated(Note, data)
        except InvalidInput as error:
            assert said_in(error, translations("fi").gettext) == said
        else:
            raise AssertionError(f"{data} was taken")
