"""The structure of a scenario file (format version 1), as pydantic models.

These models check shapes, types and ranges, and export the JSON Schema (``recip schema``).
Cross-references (a player named in a state, an action named in a payoff term, ...) are checked
afterwards by :mod:`recip.scenario.semantics`, which knows the names the file declares.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from ..core.limits import (
    MAX_ABS_PAYOFF,
    MAX_LABEL_CHARS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
)

#: One line of printable text: no C0 or C1 control characters (no line breaks, no escapes).
ONE_LINE = r"^[^\x00-\x1f\x7f-\x9f]*$"
#: Free text: line breaks and tabs, but no other control characters.
FREE_TEXT = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$"

Name = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$",
        max_length=64,
        description="A name: a letter, then letters, digits, '_' or '-'.",
    ),
]
Title = Annotated[
    str,
    Field(
        max_length=MAX_TITLE_CHARS,
        pattern=ONE_LINE,
        description=f"One line of text, at most {MAX_TITLE_CHARS} characters.",
    ),
]
Label = Annotated[
    str,
    Field(
        max_length=MAX_LABEL_CHARS,
        pattern=ONE_LINE,
        description=f"A display name: one line, at most {MAX_LABEL_CHARS} characters.",
    ),
]
Text = Annotated[
    str,
    Field(
        max_length=MAX_TEXT_CHARS,
        pattern=FREE_TEXT,
        description=f"Free text, at most {MAX_TEXT_CHARS} characters.",
    ),
]
ClaimId = Annotated[str, Field(max_length=64, pattern=ONE_LINE)]
#: A payoff, or an end of a payoff's range: finite and within recip's payoff bound.
Payoff = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_ABS_PAYOFF, le=MAX_ABS_PAYOFF)]
Probability = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


def _stance(value: Any) -> float:
    """A stance: a number from -1 to 1 (a bool is a number to Python: true would pass as 1)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        shown = ("true" if value else "false") if isinstance(value, bool) else repr(value)[:40]
        raise ValueError(f"a stance is a number from -1 to 1, not {shown}")
    if not (-1 <= value <= 1):  # also false for nan
        raise ValueError(
            f"a stance is a number from -1 (against) through 0 (neutral) to 1 (with), not {value}"
        )
    return float(value)


#: A stance toward another player: 1 sides with it, -1 against it, 0 is neutral; graded
#: stances in between (0.5: a condemnation that stops short of siding) are read as they are.
Stance = Annotated[
    float,
    BeforeValidator(_stance),
    Field(
        description="A number from -1 (against) through 0 (neutral) to 1 (with).",
        json_schema_extra={"minimum": -1, "maximum": 1},
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class UncertainValue(_Strict):
    """A payoff value with its uncertainty: the nominal ``value`` is used by exact and simulated
    runs; the distribution is sampled by uncertainty analysis."""

    value: Payoff = Field(description="Nominal value, used by exact and simulated evaluation.")
    low: Payoff | None = Field(None, description="Lower end of the plausible range.")
    high: Payoff | None = Field(None, description="Upper end of the plausible range.")
    sd: Annotated[float, Field(gt=0, le=MAX_ABS_PAYOFF, allow_inf_nan=False)] | None = Field(
        None, description="Standard deviation (normal distribution)."
    )
    distribution: Literal["uniform", "triangular", "normal"] | None = Field(
        None,
        description="uniform on [low, high] (default when low/high are given), triangular with "
        "mode = value, or normal(value, sd) truncated to [low, high] when they are given.",
    )
    note: Text | None = None

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


Value = Payoff | UncertainValue


class Player(_Strict):
    label: Label | None = Field(None, description="Display name, e.g. 'Russia'.")
    description: Text | None = None
    payoffs: Literal["none"] | None = Field(
        None,
        description='"none" declares that the player receives no payoff anywhere (every outcome '
        "is worth 0 to it); without it, a player that no payoff term or table names is an "
        "error.",
    )


Actions = dict[Name, dict[Name, Stance]]


class State(_Strict):
    label: Label | None = None
    description: Text | None = None
    probability: Probability | None = Field(
        None, description="Chance of this state each round when nature is i.i.d."
    )
    actions: dict[Name, Actions] = Field(
        default_factory=dict,
        description="Per player: its actions here, each with its stance toward other players "
        "(+1 sides with, -1 sides against, graded in between; unlisted = 0). A player not "
        "listed passes.",
    )
    claims: list[ClaimId] = Field(default_factory=list)


class NatureRule(_Strict):
    """Where actions move the world: after a round in ``state`` (any if omitted) whose joint
    action matches ``when`` (any if omitted), the next world state is drawn from ``next``
    instead of nature's own law. Rules are tried in order; the first that matches decides."""

    state: Name | list[Name] | None = Field(None, description="The world state(s) it applies in.")
    when: dict[Name, Name | list[Name]] = Field(
        default_factory=dict, description="Partial joint action: player -> action(s)."
    )
    next: dict[Name, Probability] = Field(
        description="The chance of each next world state (adding up to 1)."
    )
    claims: list[ClaimId] = Field(default_factory=list)
    note: Text | None = None


class Nature(_Strict):
    start: Name | dict[Name, Probability] | None = Field(
        None, description="First analysed state, or a distribution over states."
    )
    transitions: dict[Name, dict[Name, Probability]] | None = Field(
        None, description="Markov matrix: for each state, the chances of the next state."
    )
    after: list[NatureRule] = Field(
        default_factory=list,
        description="Rules by which the round's joint action changes the next state's law "
        "(a stochastic game): the first matching rule decides; none: nature's own law.",
    )


class HistoryRound(_Strict):
    state: Name
    actions: dict[Name, Name] = Field(default_factory=dict)
    label: Label | None = None
    claims: list[ClaimId] = Field(default_factory=list)


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
    claims: list[ClaimId] = Field(default_factory=list)
    note: Text | None = None


def _rate_form(value: Any) -> str:
    """Which form a noise rate is written in: one number, an uncertain value (a table with any
    of an uncertain value's keys), or a table of rates by player. Deciding by the keys means a
    mistake is reported against the one form the table was meant to be."""
    if isinstance(value, dict):
        return "uncertain" if set(value) & set(UncertainValue.model_fields) else "players"
    return "rate"


Rates = Annotated[
    Annotated[Probability, Tag("rate")]
    | Annotated[UncertainValue, Tag("uncertain")]
    | Annotated[dict[Name, Probability | UncertainValue], Tag("players")],
    Discriminator(_rate_form),
]


#: A discount factor is written in the forms of a noise rate, decided the same way by its keys:
#: one number for every player, an uncertain value, or a table with each player's own.
Discounts = Rates


class Horizon(_Strict):
    discount: Discounts | None = Field(
        None,
        description="Discount factor, read also as the chance the game goes on; in [0, 1) "
        "unless 'rounds' is finite: one number for every player, an uncertain value (every end "
        "of its range in the same interval), or a table with each player's own (every player "
        "listed; each entry a number or an uncertain value).",
    )
    rounds: Annotated[int, Field(description="A fixed number of rounds.")] | None = None
    claims: list[ClaimId] = Field(default_factory=list)


class Noise(_Strict):
    execution: Rates = Field(
        0.0,
        description="Chance that a player's intended action is replaced by another one: one "
        "rate for every player or one per player; each may be an uncertain value in [0, 1].",
    )


#: Longest name or text value inside a strategy spec (its free-text ``note`` excepted).
SPEC_CHARS = 200


def _short_spec_strings(spec: dict[str, Any]) -> dict[str, Any]:
    """Strategy parameters are checked by the strategies themselves; here only that no text in
    a spec (a name, an action, a partner) is longer than a name could be."""
    stack: list[tuple[Any, str]] = [(v, k) for k, v in spec.items() if k != "note"]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str) and len(value) > SPEC_CHARS:
            raise ValueError(
                f"'{where[:40]}' is {len(value)} characters long; names and values in a strategy "
                f"are at most {SPEC_CHARS}"
            )
        if isinstance(value, dict):
            stack.extend((v, f"{where}.{k}") for k, v in value.items())
            stack.extend((k, where) for k in value if isinstance(k, str))
        elif isinstance(value, list):
            stack.extend((v, where) for v in value)
    return spec


StrategySpec = Annotated[
    Annotated[str, Field(max_length=SPEC_CHARS, pattern=ONE_LINE)]
    | Annotated[dict[str, Any], AfterValidator(_short_spec_strings)],
    Field(
        description="A strategy name ('aligning', 'always:support') or a table with 'name' and "
        "its parameters."
    ),
]


class Alternative(_Strict):
    """One of a player's structural alternatives: a strategy and the weight it is drawn with."""

    strategy: StrategySpec = Field(description="The strategy, as in [strategies].")
    weight: Annotated[float, Field(gt=0.0, le=1.0, allow_inf_nan=False)] = Field(
        description="Its chance; the weights of a player's alternatives add up to 1."
    )
    note: Text | None = None


class AutomatonRule(_Strict):
    """A transition of an automaton: in ``state`` (any if omitted), when the joint action
    matches ``when`` (any if omitted), go to memory ``to``."""

    to: Name = Field(description="The memory to go to.")
    state: Name | list[Name] | None = Field(None, description="The world state(s) it applies in.")
    when: dict[Name, Name | list[Name]] = Field(
        default_factory=dict, description="Partial joint action: player -> action(s)."
    )


class AutomatonMemory(_Strict):
    play: Name | dict[Name, Name | dict[Name, Probability]] = Field(
        description="The action to play: one name, or per state an action or a distribution; "
        "the key 'default' covers unlisted states."
    )
    next: Name | list[AutomatonRule] | None = Field(
        None,
        description="The next memory: one name (always), or rules {state?, when?, to} tried in "
        "order; no match keeps the memory.",
    )
    label: Label | None = None

    @field_validator("next", mode="after")
    @classmethod
    def _plain_rules(cls, value: Any) -> Any:
        # the strategies read rules as plain tables: keep what the file wrote, checked
        if isinstance(value, list):
            return [rule.model_dump(exclude_unset=True) for rule in value]
        return value


class Automaton(_Strict):
    description: Text | None = None
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
    base: Annotated[str, Field(max_length=1000, pattern=ONE_LINE)] | None = Field(
        None,
        description="The scenario this one extends: a bundled scenario's name or a file beside "
        "this one; this file's tables merge into it (other values replace).",
    )
    changes: dict[str, Any] | None = Field(
        None,
        description="Dotted keys and values applied after the merge, as --set applies them "
        '(e.g. "payoffs.oil_revenue.russia" = 2).',
    )
    title: Title
    description: Text | None = None
    claims: Annotated[str, Field(max_length=1000, pattern=ONE_LINE)] | None = Field(
        None, description="The claim map this scenario encodes."
    )
    tags: list[Annotated[str, Field(max_length=64, pattern=ONE_LINE)]] = Field(default_factory=list)
    players: dict[Name, Player] | list[Name]
    states: dict[Name, State]
    nature: Nature | None = None
    history: list[HistoryRound] = Field(default_factory=list)
    payoffs: list[PayoffTerm] = Field(default_factory=list)
    tables: dict[Name, dict[Name, list[Any] | Value]] = Field(
        default_factory=dict,
        description="Full payoff tables: per state, per player, a nested array indexed by the "
        "actions of the state's active players, in player order; a single value in a state "
        "where nobody acts.",
    )
    horizon: Horizon
    noise: Noise = Field(default_factory=Noise)
    strategies: dict[Name, StrategySpec] = Field(default_factory=dict)
    alternatives: dict[Name, list[Alternative]] = Field(
        default_factory=dict,
        description="Per player, structural uncertainty: the strategies it may follow, with "
        "weights adding up to 1 (sampled by uncertainty analysis; exact and simulated runs use "
        "[strategies]).",
    )
    automata: dict[Name, Automaton] = Field(default_factory=dict)
    compare: Compare = Field(default_factory=Compare)
    meta: Meta = Field(default_factory=Meta)

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files (what ``recip schema`` prints)."""
    schema = _any_of(ScenarioFile.model_json_schema(by_alias=True))
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _any_of(node: Any) -> Any:
    """pydantic writes a union chosen by a function as ``oneOf``; but a table of rates by
    player named like an uncertain value's keys matches two forms, and the function, not the
    schema, decides between them -- so the schema says ``anyOf``."""
    if isinstance(node, dict):
        return {("anyOf" if k == "oneOf" else k): _any_of(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_any_of(v) for v in node]
    return node
