"""Reading what a user names: every malformed file, path or text gets one line that says what is
wrong with it (never a traceback, never a hang), and a scenario's claim map is confined to the
scenario's folder and its parent.
"""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path

import pytest

import recip
from recip.core.errors import ScenarioError
from recip.core.limits import MAX_NESTING
from recip.scenario import bundled
from recip.scenario.load import Scenario, load_scenario

PD = bundled.scenario_path("prisoners-dilemma")
SINDOOR = bundled.scenario_path("sindoor-2025")

#: Fragments of pydantic's own error text that must never reach a user.
PYDANTIC_TAGS = (
    "constrained-",
    "[type=",
    "For further information",
    "input_value",
    "errors.pydantic.dev",
    "validation error",
    "function-after",
    "UncertainValue",
    "PayoffTerm",
    "Input should",
)


def one_line(error: ScenarioError) -> str:
    text = str(error)
    assert "\n" not in text, text
    assert not any(tag in text for tag in PYDANTIC_TAGS), text
    assert len(text) < 600, text[:600]
    return text


def refused(source) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(source)
    one_line(info.value)
    return info.value


# ----------------------------------------------------------------------------------------------
# what a path or a string is


def test_a_file_whose_name_holds_an_equals_sign_is_read_as_a_file(tmp_path):
    path = tmp_path / "a=b.toml"
    path.write_text(PD.read_text(encoding="utf-8"), encoding="utf-8")
    scenario = load_scenario(str(path))
    assert scenario.source == str(path)
    assert scenario.hash == load_scenario("prisoners-dilemma").hash


def test_a_missing_path_is_no_such_file(tmp_path):
    for name in (str(tmp_path / "a=b.toml"), str(tmp_path / "missing.toml"), "no/such=thing"):
        assert "no such file" in refused(name).message


def test_a_name_that_is_neither_file_nor_bundled_suggests_one():
    error = refused("prisoners-dilema")
    assert "no such file or bundled scenario" in error.message
    assert "did you mean 'prisoners-dilemma'" in error.message


def test_one_line_of_toml_is_still_text():
    error = refused("schema = 1")
    assert error.file == "<text>"
    assert error.key in ("title", "players", "states", "horizon")


def test_a_bundled_name_cannot_leave_the_scenarios_folder():
    relative = os.path.relpath(SINDOOR.with_suffix(""), bundled.scenario_dir() / "x")
    assert relative.startswith("..")  # a name that would climb out of the folder
    assert bundled.scenario_path(relative) is None
    assert bundled.scenario_path("../scenarios/sindoor-2025") is None


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + PD.read_bytes())
    assert load_scenario(path).hash == load_scenario(PD).hash
    assert load_scenario("\ufeff" + PD.read_text(encoding="utf-8")).hash == load_scenario(PD).hash


def test_a_folder_is_refused(tmp_path):
    assert "folder" in refused(tmp_path).message
    assert "folder" in refused(str(tmp_path)).message


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    outcome: list = []
    reader = threading.Thread(target=lambda: outcome.append(_try(fifo)), daemon=True)
    reader.start()
    reader.join(10)
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert isinstance(outcome[0], ScenarioError) and "FIFO" in outcome[0].message


def _try(path):
    try:
        load_scenario(path)
    except ScenarioError as exc:
        return exc
    return None


def test_a_symlink_loop_and_a_dangling_link_are_refused(tmp_path):
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    assert "loops" in refused(loop).message
    assert "loops" in refused(str(loop)).message
    dangling = tmp_path / "dangling.toml"
    dangling.symlink_to(tmp_path / "nowhere.toml")
    assert "does not exist" in refused(dangling).message


@pytest.mark.parametrize(
    "content,words",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"# only a comment\n", "no keys"),
        (b'schema = 1\ntitle = "caf\xe9"\n', "not UTF-8"),
        (b"\x00\x01\x02\x03binary\x00", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b'schema = 1\ntitle = "x\n', "not valid TOML"),
    ],
)
def test_unreadable_files_say_what_is_wrong(tmp_path, content, words):
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    error = refused(path)
    assert words in error.message
    assert error.file == str(path)


@pytest.mark.parametrize("opener,closer", [("[", "]"), ("{a=", "}")])
def test_deep_nesting_is_refused_in_one_message(tmp_path, opener, closer):
    depth = 5_000
    text = f"schema = 1\nx = {opener * depth}1{closer * depth}\n"
    assert "nest" in refused(text).message
    path = tmp_path / "deep.toml"
    path.write_text(text, encoding="utf-8")
    assert "nest" in refused(path).message


def test_nesting_just_beyond_the_limit_is_refused_from_every_entrance():
    deep: object = 1
    for _ in range(MAX_NESTING + 5):
        deep = [deep]
    with pytest.raises(ScenarioError, match="nest"):
        Scenario.from_dict({"schema": 1, "title": "t", "x": deep})
    with pytest.raises(ScenarioError, match="nest"):
        load_scenario("prisoners-dilemma").with_overrides({"description": deep})
    text = "schema = 1\nx = " + "[" * (MAX_NESTING + 5) + "1" + "]" * (MAX_NESTING + 5) + "\n"
    with pytest.raises(ScenarioError, match="nest"):
        load_scenario(text)


def test_wrong_python_types_are_scenario_errors():
    for bad in (5, None, b"schema = 1", ["prisoners-dilemma"]):
        with pytest.raises(ScenarioError):
            load_scenario(bad)
    with pytest.raises(ScenarioError):
        Scenario.from_dict("schema = 1")


def test_very_long_names_are_echoed_in_short(tmp_path):
    error = refused("x" * 100_000)
    assert len(str(error)) < 600
    error = refused(str(tmp_path / ("y" * 5_000)))
    assert len(str(error)) < 600


# ----------------------------------------------------------------------------------------------
# long and unprintable text


def _pd_text(**top) -> str:
    lines = PD.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        key = line.split("=")[0].strip()
        out.append(f"{key} = {top.pop(key)}" if key in top else line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize(
    "override,words",
    [
        ({"title": "x" * 1_000_000}, "too long"),
        ({"title": "a\u001b[31mred"}, "control characters"),
        ({"title": "two\nlines"}, "one line"),
        ({"players": {"row": {"label": "R" * 500}, "col": {}}}, "too long"),
        ({"states.round.label": "\u009b2J"}, "control characters"),
        ({"description": "y" * 1_000_000}, "too long"),
        ({"tags": ["t" * 1000]}, "too long"),
        ({"strategies.col": "z" * 10_000}, "too long"),
        ({"strategies.col": {"name": "aligning", "initial": "x" * 10_000}}, "at most 200"),
        ({"strategies.col": {"name": "always", "action": {"round": "y" * 999}}}, "at most 200"),
    ],
)
def test_long_or_unprintable_text_is_refused(override, words):
    with pytest.raises(ScenarioError, match=words) as info:
        load_scenario("prisoners-dilemma").with_overrides(override)
    one_line(info.value)


@pytest.mark.parametrize(
    "key,value",
    [
        ("noise.execution", "high"),
        ("noise.execution", {"row": "x"}),
        ("players", 5),
        ("states.round.actions.row", "cooperate"),
        ("tables.round.row", [[3, 0], [5, {"value": 1, "low": 2}]]),
        ("tables.round.row", [[3, 0], [5, {"value": "1"}]]),
        ("payoffs", [{"row": {"value": 1, "low": 0}}]),
        ("payoffs", [{"row": {"mean": 1}}]),
        ("automata", {"a": {"memories": {"m": {"play": 5}}}}),
        ("automata", {"a": {"memories": {"m": {"play": "x", "next": [{"to": 5}]}}}}),
        ("compare.policies", "aligning"),
        ("history", [{"state": 1}]),
        ("horizon.rounds", 2.5),
        ("nature", {"start": [1, 2]}),
    ],
)
def test_no_pydantic_text_reaches_a_message(key, value):
    with pytest.raises(ScenarioError) as info:
        load_scenario("prisoners-dilemma").with_overrides({key: value})
    one_line(info.value)


# ----------------------------------------------------------------------------------------------
# claim maps


def _project(tmp_path: Path, claims: str) -> Path:
    """A scenario in tmp/project/scenarios/ that names ``claims``, with the bundled seed
    copied into tmp/project/seeds/."""
    folder = tmp_path / "project" / "scenarios"
    folder.mkdir(parents=True)
    seeds = tmp_path / "project" / "seeds"
    seeds.mkdir()
    seed = bundled.seeds_dir() / "gupta-2025-06-24.toml"
    (seeds / "gupta-2025-06-24.toml").write_bytes(seed.read_bytes())
    text = SINDOOR.read_text(encoding="utf-8")
    text = text.replace('claims = "seeds/gupta-2025-06-24.toml"', f"claims = {claims!r}")
    path = folder / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_claim_map_beside_or_above_the_scenario_is_read(tmp_path):
    path = _project(tmp_path, "seeds/gupta-2025-06-24.toml")
    scenario = load_scenario(path)
    assert scenario.claim_map.path == str(tmp_path / "project" / "seeds" / "gupta-2025-06-24.toml")


@pytest.mark.parametrize(
    "ref",
    ["../../outside.toml", "../../../../../../../../etc/hostname", "/etc/hostname", "{abs}"],
)
def test_a_claim_map_outside_the_two_folders_is_refused(tmp_path, ref):
    secret = tmp_path / "outside.toml"
    secret.write_text('schema = 1\nsecret = "TOP-SECRET-VALUE"\n', encoding="utf-8")
    path = _project(tmp_path, ref.replace("{abs}", str(secret)))
    error = refused(path)
    assert error.key == "claims" and "outside" in error.message
    assert "TOP-SECRET" not in str(error)


def test_a_link_out_of_the_folder_is_refused(tmp_path):
    secret = tmp_path / "outside.toml"
    secret.write_text('secret = "TOP-SECRET-VALUE"\n', encoding="utf-8")
    path = _project(tmp_path, "seeds/link.toml")
    (path.parent.parent / "seeds" / "link.toml").symlink_to(secret)
    error = refused(path)
    assert "outside" in error.message and "TOP-SECRET" not in str(error)


@pytest.mark.parametrize(
    "content",
    [
        b'schema = 1\nconclusion = ["TOP-SECRET-VALUE"]\n',
        b'schema = "TOP-SECRET-VALUE"\n',
        b'TOP-SECRET-VALUE = "TOP-SECRET-VALUE"\n',
        b"TOP-SECRET-VALUE = [\n",
        b"\x00\x01TOP-SECRET-VALUE\xff\xfe",
        b"\xff\xfeTOP-SECRET-VALUE",
    ],
)
def test_nothing_from_a_bad_claim_map_is_echoed(tmp_path, content):
    path = _project(tmp_path, "seeds/bad.toml")
    (path.parent.parent / "seeds" / "bad.toml").write_bytes(content)
    error = refused(path)
    assert "TOP-SECRET" not in str(error)
    assert error.file.endswith("bad.toml")


def test_a_claim_map_is_read_once_per_version(tmp_path, monkeypatch):
    from recip.scenario import claims

    path = _project(tmp_path, "seeds/gupta-2025-06-24.toml")
    scenario = load_scenario(path)
    calls = []
    original = claims.load_claim_map
    monkeypatch.setattr(claims, "load_claim_map", lambda p: calls.append(p) or original(p))
    scenario.with_overrides({"horizon.discount": 0.8})
    assert calls == []
    seed = path.parent.parent / "seeds" / "gupta-2025-06-24.toml"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    os.utime(seed, ns=(1, 1))
    scenario.with_overrides({"horizon.discount": 0.8})
    assert len(calls) == 1


# ----------------------------------------------------------------------------------------------
# pickling


@pytest.mark.parametrize("name", ["sindoor-2025", "prisoners-dilemma", "donation-game"])
def test_a_pickled_scenario_evaluates_identically(name):
    scenario = load_scenario(name)
    changed = scenario.with_overrides({"horizon.discount": 0.8})
    for s in (scenario, changed):
        copy = pickle.loads(pickle.dumps(s))
        assert copy.hash == s.hash and copy.overrides == s.overrides
        a, b = recip.evaluate(s), recip.evaluate(copy)
        assert (a.values == b.values).all()
        assert (a.curve == b.curve).all()
    error = ScenarioError("m", file="--set", key="k", overrides=("k=1",))
    assert str(pickle.loads(pickle.dumps(error))) == str(error)


def test_an_unknown_key_of_any_length_is_echoed_in_short(tmp_path):
    path = tmp_path / "long.toml"
    path.write_text(
        PD.read_text(encoding="utf-8").replace(
            "schema = 1", "schema = 1\n" + "k" * 10_000 + " = 1"
        ),
        encoding="utf-8",
    )
    error = refused(path)
    assert "unknown key" in error.message and len(str(error)) < 600


def test_a_message_never_repeats_a_long_value_whole():
    """The safety net of ScenarioError: a quoted value, a file name or a key of any length is
    cut when the message is printed (a message that used repr instead of echo included)."""
    long = "v" * 5_000
    for message in (f"unknown strategy {long!r}", f'no action "{long}"'):
        text = str(ScenarioError(message, file="f" * 5_000, key="k" * 5_000))
        assert len(text) < 600 and "(5000 characters)" in text


@pytest.mark.parametrize(
    "rule,key",
    [
        ({"state": 5, "to": "m"}, "next[0].state"),
        ({"state": [1, 2], "to": "m"}, "next[0].state[0]"),
        ({"when": {"col": 5}, "to": "m"}, "next[0].when.col"),
        ({"when": {"col": ["defect", 3]}, "to": "m"}, "next[0].when.col[1]"),
        ({"when": 5, "to": "m"}, "next[0].when"),
        ({"when": {"col": "defect"}, "to": 5}, "next[0].to"),
        (5, "next[0]"),
        ({"to": "m", "extra": 1}, "next[0].extra"),
        ({"state": "round"}, "next[0].to"),
    ],
)
def test_automaton_rules_of_the_wrong_type_are_refused_by_key(rule, key):
    from conftest import pd_data

    memories = {"m": {"play": "cooperate", "next": [rule]}}
    data = pd_data(automata={"a": {"memories": memories}}, strategies={"col": "a"})
    with pytest.raises(ScenarioError) as info:
        Scenario.from_dict(data)
    assert info.value.key == f"automata.a.memories.m.{key}"
    one_line(info.value)
