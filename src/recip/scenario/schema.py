"""The structure of a scenario file (format version 1), as pydantic models.

These models check shapes, types and ranges, and export the JSON Schema (``recip schema``).
Cross-references (a player named in a state, an action named in a payoff term, ...) are checked
afterwards by :mod:`recip.scenario.semantics`, which knows the names the file declares.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Name = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$",
        max_length=64,
        description="A name: a letter, then letters, digits, '_' or '-'.",
    ),
]
Number = Annotated[float, Field(allow_inf_nan=False)]
Probability = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Stance = Literal[-1, 0, 1]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class UncertainValue(_Strict):
    """A payoff value with its uncertainty: the nominal ``value`` is used by exact and simulated
    runs; the distribution is sampled by uncertainty analysis."""

    value: Number = Field(description="Nominal value, used by exact and simulated evaluation.")
    low: Number | None = Field(None, description="Lower end of the plausible range.")
    high: Number | None = Field(None, description="Upper end of the plausible range.")
    sd: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = Field(
        None, description="Standard deviation (normal distribution)."
    )
    distribution: Literal["uniform", "triangular", "normal"] | None = Field(
        None,
        description="uniform on [low, high] (default when low/high are given), triangular with "
        "mode = value, or normal(value, sd) truncated to [low, high] when they are given.",
    )
    note: str | None = None

    @model_validator(mode="after")
    def _check(self) -> UncertainValue:
        dist = self.distribution or ("normal" if self.sd is not None else "uniform")
        if dist in ("uniform", "triangular"):
            if self.low is None or self.high is None:
                raise ValueError(f"a {dist} value needs both 'low' and 'high'")
            if self.sd is not None:
                raise ValueError(f"'sd' only applies to a normal distribution, not {dist}")
        if dist == "normal" and self.sd is None:
            raise ValueError("a normal value needs 'sd'")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"'low' ({self.low}) must be below 'high' ({self.high})")
        if self.low is not None and self.value < self.low:
            raise ValueError(
                f"'value' ({self.value}) is below 'low' ({self.low}): lower 'low' as well "
                "(or set the whole table)"
            )
        if self.high is not None and self.value > self.high:
            raise ValueError(
                f"'value' ({self.value}) is above 'high' ({self.high}): raise 'high' as well "
                "(or set the whole table)"
            )
        return self


Value = Number | UncertainValue


class Player(_Strict):
    label: str | None = Field(None, description="Display name, e.g. 'Russia'.")
    description: str | None = None


Actions = dict[Name, dict[Name, Stance]]


class State(_Strict):
    label: str | None = None
    description: str | None = None
    probability: Probability | None = Field(
        None, description="Chance of this state each round when nature is i.i.d."
    )
    actions: dict[Name, Actions] = Field(
        default_factory=dict,
        description="Per player: its actions here, each with its stance toward other players "
        "(+1 sides with, -1 sides against; unlisted = 0). A player not listed passes.",
    )
    claims: list[str] = Field(default_factory=list)


class Nature(_Strict):
    start: Name | dict[Name, Probability] | None = Field(
        None, description="First analysed state, or a distribution over states."
    )
    transitions: dict[Name, dict[Name, Probability]] | None = Field(
        None, description="Markov matrix: for each state, the chances of the next state."
    )


class HistoryRound(_Strict):
    state: Name
    actions: dict[Name, Name] = Field(default_factory=dict)
    label: str | None = None
    claims: list[str] = Field(default_factory=list)


class PayoffTerm(BaseModel):
    """An additive payoff term: in ``state`` (all states if omitted), whenever the joint action
    matches ``when``, each named player receives its value."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)
    __pydantic_extra__: dict[str, Value]

    id: Name | None = Field(None, description="Name of the term, used by dotted overrides.")
    state: Name | list[Name] | None = None
    when: dict[Name, Name | list[Name]] = Field(
        default_factory=dict, description="Partial joint action: player -> action(s)."
    )
    claims: list[str] = Field(default_factory=list)
    note: str | None = None


class Horizon(_Strict):
    discount: Probability | None = Field(
        None,
        description="Discount factor, read also as the chance the game goes on; in [0, 1) "
        "unless 'rounds' is finite.",
    )
    rounds: Annotated[int, Field(description="A fixed number of rounds.")] | None = None
    claims: list[str] = Field(default_factory=list)


class Noise(_Strict):
    execution: Probability | dict[Name, Probability] = Field(
        0.0, description="Chance that a player's intended action is replaced by another one."
    )


StrategySpec = Annotated[
    str | dict[str, Any],
    Field(
        description="A strategy name ('aligning', 'always:support') or a table with 'name' and "
        "its parameters."
    ),
]


class AutomatonMemory(_Strict):
    play: Name | dict[Name, Name | dict[Name, Probability]] = Field(
        description="The action to play: one name, or per state an action or a distribution; "
        "the key 'default' covers unlisted states."
    )
    next: Name | list[dict[str, Any]] | None = Field(
        None,
        description="The next memory: one name (always), or rules {state?, when?, to} tried in "
        "order; no match keeps the memory.",
    )
    label: str | None = None


class Automaton(_Strict):
    description: str | None = None
    initial: Name | None = Field(None, description="Initial memory (default: the first).")
    memories: dict[Name, AutomatonMemory]


class Compare(_Strict):
    focal: Name | None = Field(None, description="The player whose policy is compared.")
    policies: list[StrategySpec] | None = Field(
        None, description="Candidate policies (default: balancing and aligning)."
    )


class Meta(_Strict):
    candidates: dict[Name, list[StrategySpec]] = Field(
        default_factory=dict,
        description="Per player, the repeated-game strategies it may choose among in the "
        "meta-game (default: its scenario strategy, balancing and aligning).",
    )


class ScenarioFile(_Strict):
    """A recip scenario, format version 1."""

    schema_: Literal[1] = Field(alias="schema", description="Format version: 1.")
    title: str
    description: str | None = None
    claims: str | None = Field(None, description="The claim map this scenario encodes.")
    tags: list[str] = Field(default_factory=list)
    players: dict[Name, Player] | list[Name]
    states: dict[Name, State]
    nature: Nature | None = None
    history: list[HistoryRound] = Field(default_factory=list)
    payoffs: list[PayoffTerm] = Field(default_factory=list)
    tables: dict[Name, dict[Name, list[Any]]] = Field(
        default_factory=dict,
        description="Full payoff tables: per state, per player, a nested array indexed by the "
        "actions of the state's active players, in player order.",
    )
    horizon: Horizon
    noise: Noise = Field(default_factory=Noise)
    strategies: dict[Name, StrategySpec] = Field(default_factory=dict)
    automata: dict[Name, Automaton] = Field(default_factory=dict)
    compare: Compare = Field(default_factory=Compare)
    meta: Meta = Field(default_factory=Meta)

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files (what ``recip schema`` prints)."""
    schema = ScenarioFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
