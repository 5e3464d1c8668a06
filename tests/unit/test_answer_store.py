"""The answer file: layout, order, round trips of hostile text, hand edits, locks, atomic writes."""

from __future__ import annotations

import importlib
import itertools
import os
import re
import signal
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

import formative.answers.atomic as atomic_module
import formative.answers.lock as lock_module
from formative.answers import AnswerFileError, AnswerStore, LockedError
from formative.answers.naming import default_answers_dir, safe_stem
from formative.workbook.model import Workbook

# Helpers ---------------------------------------------------------------------------------


def read_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def header_positions(text: str) -> list[str]:
    """The [answers.X] headers in the order they appear in the file."""
    return re.findall(r"^\[answers\.([^\]]+)\]$", text, flags=re.MULTILINE)


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def answer_some(path: Path, workbook: Workbook) -> None:
    with AnswerStore.open(path, workbook, person="Ada") as store:
        store.set("welcome", "name", "Thursday circle")
        store.set("welcome", "story", "Line one.\nLine two.")
        store.set("people", "names", ["Ann", "Bo"])
        store.set("choose", "energy", 3)


# New files -------------------------------------------------------------------------------


def test_new_file_is_written_only_on_first_save_with_header_and_person(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "answers" / "ada.toml"
    store = AnswerStore.open(path, starter, person="Ada Lovelace")
    try:
        assert not path.exists()
        assert store.dirty
        assert store.path == path
        assert store.person == "Ada Lovelace"
        assert store.save() is True
        assert path.exists()
        data = read_toml(path)
        assert data["formative"]["workbook"] == "demo"
        assert data["formative"]["person"] == "Ada Lovelace"
        assert data["formative"]["format"] == 1
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
        assert lines[0] == "[formative]", "the header table comes first, after the comments"
        assert store.dirty is False
    finally:
        store.close()


def test_person_is_read_back_from_an_existing_file(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    answer_some(path, starter)
    with AnswerStore.open(path, starter, person="Someone else") as store:
        assert store.person == "Ada"
        assert store.get("welcome", "name") == "Thursday circle"
        assert store.get("welcome", "missing") is None
        assert store.get("nope", "name") is None


# Order -----------------------------------------------------------------------------------

STEP_ANSWERS = {
    "welcome": ("name", "Circle"),
    "people": ("names", ["Ann"]),
    "choose": ("energy", 1),
    "boost": ("small-move", "Call Ann"),
}


@pytest.mark.parametrize("order", list(itertools.permutations(STEP_ANSWERS)))
def test_steps_are_filed_in_workbook_order_whatever_order_they_were_answered(
    tmp_path: Path, starter: Workbook, order: tuple[str, ...]
) -> None:
    path = tmp_path / "a.toml"
    with AnswerStore.open(path, starter, person="Ada") as store:
        for step_id in order:
            prompt_id, value = STEP_ANSWERS[step_id]
            store.set(step_id, prompt_id, value)
    expected = ["welcome", "people", "choose", "boost"]
    assert header_positions(path.read_text(encoding="utf-8")) == expected
    assert list(read_toml(path)["answers"]) == expected


def test_order_holds_across_sessions_when_jumping_ahead_then_back(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    with AnswerStore.open(path, starter) as store:
        store.set("boost", "small-move", "x")
    with AnswerStore.open(path, starter) as store:
        store.set("choose", "energy", 1)
        store.set("welcome", "name", "n")
    with AnswerStore.open(path, starter) as store:
        store.set("people", "names", ["a"])
    assert header_positions(path.read_text(encoding="utf-8")) == ["welcome", "people", "choose", "boost"]


def test_prompts_within_a_step_are_in_workbook_order(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    with AnswerStore.open(path, starter) as store:
        store.set("choose", "energy", 4)
        store.set("choose", "order", ["B", "A"])
        store.set("choose", "rhythm", "Weekly")
        store.set("choose", "first", "A")
        store.set("choose", "ways", ["Video call"])
    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "story", "s")
    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "name", "n")
    data = read_toml(path)["answers"]
    assert list(data["choose"]) == ["rhythm", "ways", "first", "order", "energy"]
    assert list(data["welcome"]) == ["name", "story"]
    assert AnswerStore.open(path, starter, lock=False).step_values("choose") == {
        "rhythm": "Weekly",
        "ways": ["Video call"],
        "first": "A",
        "order": ["B", "A"],
        "energy": 4,
    }


# Layout ----------------------------------------------------------------------------------


def test_long_text_is_a_multiline_string_one_line_per_line(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    story = "First paragraph, line one.\nLine two.\n\nSecond paragraph."
    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "story", story)
    text = path.read_text(encoding="utf-8")
    assert 'story = """\nFirst paragraph, line one.\nLine two.\n\nSecond paragraph."""' in text
    assert read_toml(path)["answers"]["welcome"]["story"] == story


def test_one_line_long_text_is_still_multiline_and_short_text_is_not(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "story", "Just one line.")
        store.set("welcome", "name", "Circle")
    text = path.read_text(encoding="utf-8")
    assert 'story = """\nJust one line."""' in text
    assert 'name = "Circle"\n' in text


def test_lists_and_records_put_one_item_per_line(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    with AnswerStore.open(path, starter) as store:
        store.set("people", "names", ["Ann", "Bo", "Cy"])
        store.set("people", "contacts", [{"person": "Ann", "role": "Chef"}, {"person": "Bo", "met": "School"}])
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("names = [")
    assert lines[start : start + 5] == ["names = [", '    "Ann",', '    "Bo",', '    "Cy",', "]"]
    start = lines.index("contacts = [")
    assert lines[start + 1].count("Ann") == 1 and "Bo" not in lines[start + 1]
    assert lines[start + 2].count("Bo") == 1 and "Ann" not in lines[start + 2]
    assert lines[start + 3] == "]"
    assert read_toml(path)["answers"]["people"]["contacts"] == [
        {"person": "Ann", "role": "Chef"},
        {"person": "Bo", "met": "School"},
    ]


# Saving without changes ------------------------------------------------------------------


def test_save_without_changes_returns_false_and_leaves_the_file_alone(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    answer_some(path, starter)
    before = path.read_bytes()
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    with AnswerStore.open(path, starter) as store:
        assert store.dirty is False
        assert store.save() is False
        store.set("welcome", "name", "Thursday circle")  # same value again
        store.set("people", "names", ["Ann", "Bo"])
        store.set("choose", "energy", 3)
        store.set("boost", "small-move", None)  # removing what is not there
        assert store.dirty is False
        assert store.save() is False
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_second_save_returns_false(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "name", "x")
        assert store.save() is True
        mtime = path.stat().st_mtime_ns
        assert store.save() is False
        assert path.stat().st_mtime_ns == mtime


# Hostile text ----------------------------------------------------------------------------

HOSTILE = {
    "markup-close": "[/]",
    "markup-click": "[@click=app.quit]press me[/]",
    "markup-bold": "[bold]x[/bold]",
    "escapes": "\x1b[2J\x1b[31mred\x1b[0m",
    "osc-title": "\x1b]0;pwned\x07after",
    "crlf": "one\r\ntwo",
    "cr": "one\rtwo",
    "lone-cr-end": "end\r",
    "tabs": "\ta\t\tb\t",
    "controls": "a\x00b\x07c\x7fd\x08e\x0cf\x1fg",
    "three-quotes": 'say """ here',
    "four-quotes": 'say """" here',
    "only-quotes": '""""""""',
    "one-quote": '"',
    "ends-quote": 'ends in "',
    "ends-two-quotes": 'ends in ""',
    "ends-backslash": "ends in \\",
    "backslash-quote": 'a \\" b \\',
    "fake-escapes": "\\n \\t \\u0041 \\x1b",
    "leading-newline": "\nstarts on line two",
    "trailing-newlines": "ends with newlines\n\n\n",
    "blank-lines-and-spaces": "a\n   \n\nb   ",
    "emoji-wide": "😀 李小龙 ｆｕｌｌ",
    "combining": "e\u0301 n\u0303 a\u0308\u0301",
    "zwj": "👩\u200d👩\u200d👧 family",
    "rtl": "שלום עולם مرحبا \u202eevil\u202c",
    "single-quotes": "'''it''' ''",
    "toml-lookalike": '"""\n[answers.evil]\nx = 1\n"""',
    "braces": "{welcome.name} {{ }}",
    "huge": ("The quick brown fox. " * 5000)[:100_000],
    "huge-lines": "\n".join(["line"] * 20_000),
}


@pytest.fixture(params=list(HOSTILE), ids=list(HOSTILE))
def hostile(request: pytest.FixtureRequest) -> str:
    return HOSTILE[request.param]


TARGETS = ["short_text", "long_text", "list_item", "record_field"]


def _put(store: AnswerStore, target: str, text: str) -> None:
    if target == "short_text":
        store.set("welcome", "name", text)
    elif target == "long_text":
        store.set("welcome", "story", text)
    elif target == "list_item":
        store.set("people", "names", ["before", text, "after"])
    else:
        store.set("people", "contacts", [{"person": text, "role": text}, {"person": "plain", "met": text}])


def _expected(target: str, text: str) -> tuple[str, str, object]:
    if target == "short_text":
        return "welcome", "name", text
    if target == "long_text":
        return "welcome", "story", text
    if target == "list_item":
        return "people", "names", ["before", text, "after"]
    return "people", "contacts", [{"person": text, "role": text}, {"person": "plain", "met": text}]


@pytest.mark.parametrize("target", TARGETS)
def test_hostile_text_round_trips_byte_for_byte(tmp_path: Path, starter: Workbook, hostile: str, target: str) -> None:
    path = tmp_path / "a.toml"
    with AnswerStore.open(path, starter, person="Ada") as store:
        _put(store, target, hostile)
    step_id, prompt_id, expected = _expected(target, hostile)

    # Any TOML reader sees exactly the text.
    assert read_toml(path)["answers"][step_id][prompt_id] == expected
    raw = path.read_bytes()
    # No raw control characters reach the file (so `cat` cannot drive the terminal).
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", raw)

    # The store reads it back the same, and an unrelated save keeps it intact.
    with AnswerStore.open(path, starter) as store:
        assert store.get(step_id, prompt_id) == expected
        store.set("choose", "energy", 2)
    assert read_toml(path)["answers"][step_id][prompt_id] == expected
    with AnswerStore.open(path, starter) as store:
        assert store.get(step_id, prompt_id) == expected
        assert store.save() is False


def test_a_person_named_with_hostile_text_round_trips(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    person = '[bold]Eve[/] \x1b[2J "quoted" \\ 李'
    with AnswerStore.open(path, starter, person=person):
        pass
    assert read_toml(path)["formative"]["person"] == person
    with AnswerStore.open(path, starter) as store:
        assert store.person == person


def test_hostile_workbook_title_stays_in_its_comment(tmp_path: Path) -> None:
    from formative.workbook.load import load_workbook_text

    workbook = load_workbook_text(
        textwrap.dedent(
            """
            format = 1
            id = "evil"
            title = "Line one\\n[answers.x]\\ny = 1\\u001b[2J"
            [[sections]]
            id = "s"
            title = "S"
            [[sections.steps]]
            id = "a"
            title = "A"
            prompts = [{ id = "q", kind = "short_text", label = "Q" }]
            """
        )
    )
    path = tmp_path / "a.toml"
    with AnswerStore.open(path, workbook) as store:
        store.set("a", "q", "fine")
    data = read_toml(path)
    assert data["answers"] == {"a": {"q": "fine"}}
    assert b"\x1b" not in path.read_bytes()


# Hand edits ------------------------------------------------------------------------------


def test_hand_written_comments_and_edits_survive_the_next_save(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    with AnswerStore.open(path, starter, person="Ada") as store:
        store.set("people", "names", ["Ann", "Bo"])
        store.set("choose", "energy", 3)
    text = path.read_text(encoding="utf-8")
    text = "# My own notes at the top\n" + text
    text = text.replace('names = [\n    "Ann",', '# people I trust\nnames = [\n    "Ann",  # met at school')
    text = text.replace("energy = 3", "energy = 4  # felt better after lunch")
    path.write_text(text + "\n# trailing thought\n", encoding="utf-8")

    with AnswerStore.open(path, starter) as store:
        assert store.get("choose", "energy") == 4
        store.set("welcome", "name", "New name")  # a new table before the edited ones
        store.set("choose", "rhythm", "Monthly")  # a new key before the edited one
        store.set("people", "contacts", [{"person": "Ann"}])

    after = path.read_text(encoding="utf-8")
    for comment in (
        "# My own notes at the top",
        "# people I trust",
        "# met at school",
        "energy = 4  # felt better after lunch",
        "# trailing thought",
    ):
        assert comment in after
    data = read_toml(path)["answers"]
    assert data["choose"] == {"rhythm": "Monthly", "energy": 4}
    assert data["people"]["names"] == ["Ann", "Bo"]
    assert data["welcome"] == {"name": "New name"}
    assert header_positions(after) == ["welcome", "people", "choose"]


def test_a_hand_edited_answer_is_what_the_store_sees_and_keeps(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    answer_some(path, starter)
    text = path.read_text(encoding="utf-8").replace('"Thursday circle"', "'Friday circle'  # renamed")
    path.write_text(text, encoding="utf-8")
    with AnswerStore.open(path, starter) as store:
        assert store.get("welcome", "name") == "Friday circle"
        store.set("welcome", "story", "Changed story.")
    after = path.read_text(encoding="utf-8")
    assert "name = 'Friday circle'  # renamed" in after
    assert read_toml(path)["answers"]["welcome"]["story"] == "Changed story."


def test_answers_to_steps_the_workbook_does_not_have_are_kept(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    answer_some(path, starter)
    text = path.read_text(encoding="utf-8").replace(
        "[answers.choose]", '[answers.removed-step]\nold = "kept"\nlist = ["a", "b"]\n\n[answers.choose]'
    )
    path.write_text(text, encoding="utf-8")
    with AnswerStore.open(path, starter) as store:
        assert "removed-step" in store.step_ids()
        assert store.step_values("removed-step") == {"old": "kept", "list": ["a", "b"]}
        store.set("boost", "small-move", "x")
        store.set("welcome", "name", "Changed")
        store.save()
        store.set("choose", "rhythm", "Weekly")
    with AnswerStore.open(path, starter) as store:
        store.set("people", "names", None)
    data = read_toml(path)["answers"]
    assert data["removed-step"] == {"old": "kept", "list": ["a", "b"]}
    assert data["boost"] == {"small-move": "x"}
    assert data["choose"] == {"rhythm": "Weekly", "energy": 3}


def test_unknown_prompt_in_a_known_step_is_kept(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    answer_some(path, starter)
    text = path.read_text(encoding="utf-8").replace("[answers.welcome]", '[answers.welcome]\nold-prompt = "kept"')
    path.write_text(text, encoding="utf-8")
    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "name", None)
        store.set("welcome", "story", "new")
    assert read_toml(path)["answers"]["welcome"] == {"old-prompt": "kept", "story": "new"}


# Files that cannot be used ---------------------------------------------------------------

BROKEN = [
    ('[formative]\nworkbook = "demo"\n\n[answers.welcome]\nname = "unterminated\n', 5),
    ('[formative]\nworkbook = "demo"\n[answers.welcome]\nname = \n', 4),
    ('[formative]\nworkbook = "demo"\n\n\n\n\n[answers.welcome\n', 7),
    ('[formative]\nworkbook = "demo"\nworkbook = "demo"\n', 3),
]


@pytest.mark.parametrize(("text", "line"), BROKEN)
def test_a_file_that_does_not_parse_is_refused_with_path_and_line_and_left_untouched(
    tmp_path: Path, starter: Workbook, text: str, line: int
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(AnswerFileError) as caught:
        AnswerStore.open(path, starter, person="Ada")
    message = str(caught.value)
    assert str(path) in message
    assert f"{path}:{line}:" in message
    assert message.endswith("fix it by hand, or move it aside to start afresh."), "no copy kept aside: none named"
    assert "Traceback" not in message
    assert path.read_bytes() == before
    # The refused open did not keep the lock: after a fix, the file opens.
    path.write_text('[formative]\nworkbook = "demo"\n', encoding="utf-8")
    with AnswerStore.open(path, starter) as store:
        assert store.step_ids() == []


def test_a_file_that_is_not_utf8_is_refused_and_left_untouched(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[formative]\nworkbook = "demo"\nperson = "Zoë"\n'.encode("latin-1"))
    before = path.read_bytes()
    with pytest.raises(AnswerFileError, match=re.escape(str(path))):
        AnswerStore.open(path, starter)
    assert path.read_bytes() == before


def test_a_file_for_another_workbook_is_refused(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "other.toml"
    path.write_text('[formative]\nworkbook = "other-book"\n\n[answers.welcome]\nname = "x"\n', encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(AnswerFileError) as caught:
        AnswerStore.open(path, starter)
    assert "other-book" in str(caught.value)
    assert "demo" in str(caught.value)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "text",
    [
        'title = "not an answer file"\n',
        'formative = "demo"\n',
        '[formative]\nworkbook = "demo"\n[answers]\nwelcome = "not a table"\n',
        'answers = 5\n[formative]\nworkbook = "demo"\n',
    ],
)
def test_files_of_the_wrong_shape_are_refused(tmp_path: Path, starter: Workbook, text: str) -> None:
    path = tmp_path / "odd.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AnswerFileError, match=re.escape(str(path))):
        AnswerStore.open(path, starter)
    assert path.read_text(encoding="utf-8") == text


# Locks -----------------------------------------------------------------------------------


def test_second_open_is_refused_naming_the_holder_until_the_first_closes(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    first = AnswerStore.open(path, starter, person="Ada")
    first.set("welcome", "name", "mine")
    with pytest.raises(LockedError) as caught:
        AnswerStore.open(path, starter, person="Ada")
    assert f"process {os.getpid()}" in caught.value.holder
    assert caught.value.holder in str(caught.value)
    assert str(caught.value) == (
        f"{path} is already open in another Formative ({caught.value.holder}). "
        "Close that one first, or answer under another name."
    ), "the person is told what to do"
    assert caught.value.path == path
    first.close()
    with AnswerStore.open(path, starter) as second:
        assert second.get("welcome", "name") == "mine"


def test_with_block_releases_the_lock_even_on_error(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    with pytest.raises(RuntimeError), AnswerStore.open(path, starter) as store:
        store.set("welcome", "name", "saved anyway")
        raise RuntimeError("boom")
    with AnswerStore.open(path, starter) as store:
        assert store.get("welcome", "name") == "saved anyway"


def test_a_lock_left_by_a_killed_process_does_not_block(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from formative.answers import AnswerStore
        from formative.workbook.load import load_workbook_text
        from formative.workbook.starter import starter_workbook
        workbook = load_workbook_text(starter_workbook("demo", "Demo"))
        store = AnswerStore.open(Path({str(path)!r}), workbook, person="Killed")
        store.set("welcome", "name", "before the crash")
        store.save()
        print("ready", flush=True)
        time.sleep(60)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        with pytest.raises(LockedError) as caught:
            AnswerStore.open(path, starter)
        assert f"process {child.pid}" in caught.value.holder
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    with AnswerStore.open(path, starter) as store:
        assert store.get("welcome", "name") == "before the crash"
        store.set("welcome", "name", "after the crash")
    assert read_toml(path)["answers"]["welcome"]["name"] == "after the crash"


def test_a_lock_released_between_open_and_flock_is_not_shared(
    tmp_path: Path, starter: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The holder unlinks its lock file on release; a waiter that opened the old file
    must not end up holding a lock nobody else can see."""
    path = tmp_path / "a.toml"
    holder = AnswerStore.open(path, starter)
    real_flock = lock_module.fcntl.flock
    calls = {"n": 0}

    def flock_after_holder_left(fd: int, op: int) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            holder.close()  # between the waiter's open() and its flock()
        real_flock(fd, op)

    monkeypatch.setattr(lock_module.fcntl, "flock", flock_after_holder_left)
    waiter = AnswerStore.open(path, starter)
    monkeypatch.setattr(lock_module.fcntl, "flock", real_flock)
    try:
        with pytest.raises(LockedError):
            AnswerStore.open(path, starter)
    finally:
        waiter.close()


def test_open_without_lock_does_not_block_or_create_a_lock_file(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    answer_some(path, starter)
    with AnswerStore.open(path, starter):
        reader = AnswerStore.open(path, starter, lock=False)
        assert reader.get("welcome", "name") == "Thursday circle"
        reader.close()
    assert listing(tmp_path) == {"a.toml"}


# Atomic writes ---------------------------------------------------------------------------


def test_saves_leave_no_temporary_files(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    with AnswerStore.open(path, starter) as store:
        for n in range(5):
            store.set("welcome", "name", f"name {n}")
            store.save()
            assert listing(tmp_path) == {"a.toml", ".a.toml.lock"}
    assert listing(tmp_path) == {"a.toml"}


def test_a_failed_write_keeps_the_old_file_and_no_temp_file(
    tmp_path: Path, starter: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.toml"
    answer_some(path, starter)
    before = path.read_bytes()

    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "name", "lost?")
        monkeypatch.setattr(atomic_module.os, "replace", disk_full)
        with pytest.raises(OSError, match="No space"):
            store.save()
        assert path.read_bytes() == before
        assert listing(tmp_path) == {"a.toml", ".a.toml.lock"}
        assert store.dirty  # so a later save tries again
        monkeypatch.undo()
        assert store.save() is True
    assert read_toml(path)["answers"]["welcome"]["name"] == "lost?"


def test_save_keeps_the_file_mode(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    answer_some(path, starter)
    path.chmod(0o600)
    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "name", "private")
    assert path.stat().st_mode & 0o777 == 0o600


# Removing answers ------------------------------------------------------------------------


@pytest.mark.parametrize("empty", [None, "", "   ", "\n\t \n", [], ["", "  "]], ids=repr)
def test_blank_values_remove_the_answer(tmp_path: Path, starter: Workbook, empty: object) -> None:
    path = tmp_path / "a.toml"
    answer_some(path, starter)
    prompt = ("people", "names") if isinstance(empty, list) else ("welcome", "name")
    with AnswerStore.open(path, starter) as store:
        store.set(*prompt, empty)  # type: ignore[arg-type]
        assert store.get(*prompt) is None
        assert store.dirty
    data = read_toml(path)["answers"]
    assert prompt[1] not in data.get(prompt[0], {})
    with AnswerStore.open(path, starter) as store:
        assert store.get(*prompt) is None


def test_records_with_only_blank_fields_remove_the_answer(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    with AnswerStore.open(path, starter) as store:
        store.set("people", "contacts", [{"person": "Ann"}])
        store.set("people", "names", ["Ann"])
        store.save()
        store.set("people", "contacts", [{"person": " ", "role": ""}])
        assert store.get("people", "contacts") is None
    assert "contacts" not in read_toml(path)["answers"]["people"]


def test_an_emptied_step_table_disappears(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    answer_some(path, starter)
    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "name", None)
        store.set("welcome", "story", "")
        assert "welcome" not in store.step_ids()
        assert store.step_values("welcome") == {}
    text = path.read_text(encoding="utf-8")
    assert "[answers.welcome]" not in text
    assert "welcome" not in read_toml(path)["answers"]
    assert header_positions(text) == ["people", "choose"]
    # And it comes back in its place.
    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "story", "back")
    assert header_positions(path.read_text(encoding="utf-8")) == ["welcome", "people", "choose"]


def test_removing_every_answer_leaves_a_valid_file(tmp_path: Path, starter: Workbook) -> None:
    path = tmp_path / "a.toml"
    answer_some(path, starter)
    with AnswerStore.open(path, starter) as store:
        for step_id in list(store.step_ids()):
            for prompt_id in list(store.step_values(step_id)):
                store.set(step_id, prompt_id, None)
        assert store.step_ids() == []
    data = read_toml(path)
    assert data["formative"]["workbook"] == "demo"
    assert not data.get("answers")
    with AnswerStore.open(path, starter) as store:
        store.set("choose", "energy", 5)
    assert read_toml(path)["answers"] == {"choose": {"energy": 5}}


# File names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Ada Lovelace", "ada-lovelace"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c", "a-b-c"),
        (".hidden", "hidden"),
        ("..", "person"),
        ("", "person"),
        ("   ", "person"),
        ("___", "person"),
        ("😀😀", "person"),
        ("CON", "con-1"),
        ("nul", "nul-1"),
        ("Com1", "com1-1"),
        ("LPT9", "lpt9-1"),
        ("a\x00b", "a-b"),
        ("a\nb\tc", "a-b-c"),
        ("C:\\Windows\\System32", "c-windows-system32"),
        ("~/x", "x"),
        ("Zoë", "zoë"),
        ("Zoe\u0308", "zoë"),  # decomposed form gives the same name
        ("李小龙", "李小龙"),
        ("Иван Петров", "иван-петров"),
        ("Ελένη", "ελένη"),
        ("محمد علي", "محمد-علي"),
        ("דוד", "דוד"),
        ("हिन्दी नाम", "हिन्दी-नाम"),
        ("தமிழ்", "தமிழ்"),
        ("ภาษาไทย", "ภาษาไทย"),
        ("ＡＢＣ", "abc"),
        ("Straße", "strasse"),
    ],
)
def test_safe_stem(name: str, stem: str) -> None:
    assert safe_stem(name) == stem


@pytest.mark.parametrize(
    "name",
    ["x" * 1000, "ab " * 400, "李" * 300, "a-" * 100 + "b", "../" * 200, "-" * 59 + "x" * 10],
)
def test_safe_stem_of_long_names_is_short_and_tidy(name: str) -> None:
    stem = safe_stem(name)
    assert 0 < len(stem) <= 60
    assert not stem.startswith(("-", ".")) and not stem.endswith("-")
    assert "/" not in stem and "\\" not in stem


def test_safe_stem_fallback_and_always_a_plain_file_name() -> None:
    assert safe_stem("", fallback="anonymous") == "anonymous"
    for name in ["../", "/", "\\", ".", "...", "\x00", "$(rm -rf ~)", "`id`", "a;b|c&d", "*?<>:\"'"]:
        stem = safe_stem(name)
        assert stem and "/" not in stem and "\\" not in stem and not stem.startswith(".")
        assert re.fullmatch(r"[\w-]+", stem), stem


def test_a_layout_tomlkit_cannot_edit_is_laid_out_afresh_keeping_every_key(
    tmp_path: Path, starter: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fallback when tomlkit cannot edit a hand-made layout: nothing is lost, and the order is the workbook's."""
    from tomlkit.exceptions import TOMLKitError

    path = tmp_path / "ada.toml"
    path.write_text(
        textwrap.dedent(
            """\
            [formative]
            format = 1
            workbook = "demo"
            person = "Ada"
            note = "mine"

            [answers.removed-step]
            old = "kept"

            [answers.choose]
            energy = 3
            rhythm = "Weekly"

            [answers.welcome]
            retired = "a prompt the workbook no longer asks"
            story = "A story."
            name = "Thursday circle"

            [extra]
            kept = true
            """
        ),
        encoding="utf-8",
    )

    def cannot_edit(*args: object) -> None:
        raise TOMLKitError("a layout tomlkit cannot edit")

    with AnswerStore.open(path, starter, person="Ada") as store:
        monkeypatch.setattr(store, "_edit", cannot_edit)
        store.set("people", "names", ["Ann", "Bo"])
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["formative"] == {"format": 1, "workbook": "demo", "person": "Ada", "note": "mine"}
    assert data["extra"] == {"kept": True}
    assert data["answers"]["removed-step"] == {"old": "kept"}
    assert data["answers"]["people"] == {"names": ["Ann", "Bo"]}
    assert header_positions(text) == ["welcome", "people", "choose", "removed-step"], (
        "the workbook's order, then unknown"
    )
    assert text.index("[formative]") < text.index("[answers.welcome]") < text.index("[extra]")
    welcome, choose = data["answers"]["welcome"], data["answers"]["choose"]
    assert list(welcome) == ["name", "story", "retired"], "prompts in the step's order, then unknown ones"
    assert list(choose) == ["rhythm", "energy"]
    assert 'story = """\nA story."""' in text, "a long text stays a multi-line string when laid out afresh"


def test_answers_go_to_the_folder_named_in_the_environment_or_to_formative_answers_at_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert default_answers_dir() == Path.home() / "formative-answers"
    monkeypatch.setenv("FORMATIVE_ANSWERS", "~/mine")
    assert default_answers_dir() == Path.home() / "mine"
    monkeypatch.setenv("FORMATIVE_ANSWERS", str(tmp_path / "ours"))
    assert default_answers_dir() == tmp_path / "ours"


@pytest.mark.parametrize("package", ["formative.answers", "formative.workbook"])
def test_the_packages_names_load_on_first_use_from_their_modules(package: str) -> None:
    """`from formative.answers import AnswerStore` works although the package imports nothing up front."""
    module = importlib.import_module(package)
    for name in module.__all__:
        home = importlib.import_module(module._HOMES[name])
        assert getattr(module, name) is getattr(home, name)
    with pytest.raises(AttributeError, match=f"module '{package}' has no attribute 'Nothing'"):
        module.Nothing  # noqa: B018


def test_an_answer_typed_key_by_key_is_put_in_the_document_once_at_the_save(
    tmp_path: Path, starter: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app sets an answer on every key; rebuilding a long answer's TOML each time is work only a save needs."""
    path = tmp_path / "ada.toml"
    edits: list[tuple[str, str]] = []
    with AnswerStore.open(path, starter, person="Ada") as store:
        edit = store._edit

        def counted(doc: object, step_id: str, prompt_id: str, value: object) -> None:
            edits.append((step_id, prompt_id))
            edit(doc, step_id, prompt_id, value)  # type: ignore[arg-type]

        monkeypatch.setattr(store, "_edit", counted)
        story = "Words typed one key at a time. " * 40
        for end in range(1, len(story) + 1):
            store.set("welcome", "story", story[:end])
            assert store.get("welcome", "story") == story[:end]  # read back at once, whatever the document
        store.set("welcome", "name", "Thursday circle")
        store.set("welcome", "name", None)
        assert edits == []
        assert store.save() is True
        assert edits == [("welcome", "story"), ("welcome", "name")]
    assert read_toml(path)["answers"] == {"welcome": {"story": story}}


def test_answers_put_in_at_the_save_are_laid_out_as_if_set_one_by_one(tmp_path: Path, starter: Workbook) -> None:
    """The same bytes as a store that saved after every change, hand-written comments included."""
    original = textwrap.dedent(
        """\
        [formative]
        format = 1
        workbook = "demo"
        person = "Ada"

        # my own note
        [answers.choose]
        energy = 3 # how I feel
        """
    )
    texts = []
    for save_each_time in (True, False):
        path = tmp_path / f"ada-{save_each_time}.toml"
        path.write_text(original, encoding="utf-8")
        with AnswerStore.open(path, starter, person="Ada") as store:
            for step_id, prompt_id, value in [
                ("people", "names", ["Ann"]),
                ("welcome", "name", "Thursday"),
                ("people", "names", ["Ann", "Bo"]),
                ("choose", "energy", 4),
                ("welcome", "story", "Line one.\nLine two."),
                ("welcome", "name", None),
            ]:
                store.set(step_id, prompt_id, value)
                if save_each_time:
                    store.save()
        texts.append(path.read_text(encoding="utf-8"))
    assert texts[0] == texts[1]
    assert "# my own note" in texts[1]


def test_a_new_sitting_in_a_file_whose_formative_table_is_split_is_a_located_refusal(
    tmp_path: Path, starter: Workbook
) -> None:
    """[formative] continued below [answers] (valid TOML, read fine): the sitting cannot be noted there."""
    from datetime import date

    path = tmp_path / "ada.toml"
    text = '[formative]\nworkbook = "demo"\n\n[answers.welcome]\nname = "x"\n\n[formative.mine]\nnote = 1\n'
    path.write_text(text, encoding="utf-8")
    with AnswerStore.open(path, starter) as store:
        assert store.get("welcome", "name") == "x"
        with pytest.raises(AnswerFileError) as caught:
            store.start_sitting(2, date(2026, 12, 4))
    assert str(caught.value).startswith(f"{path}: ")
    assert path.read_text(encoding="utf-8") == text


def test_a_long_answer_reads_in_the_file_as_it_was_typed(tmp_path: Path, starter: Workbook) -> None:
    """One line of text per line of file, quotes and spaces as typed: only a third quote in a row,
    or one at the very end, is escaped, where it would close the string early."""
    path = tmp_path / "a.toml"
    story = 'She said "yes" twice.\nThree quotes: """ and one at the end: "'
    with AnswerStore.open(path, starter, person="Ada") as store:
        store.set("welcome", "story", story)
    text = path.read_text(encoding="utf-8")
    assert 'story = """\nShe said "yes" twice.\nThree quotes: ""\\" and one at the end: \\""""\n' in text
    assert read_toml(path)["answers"]["welcome"]["story"] == story


def test_a_file_laid_out_afresh_gains_the_format_line_it_lacked(
    tmp_path: Path, starter: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tomlkit.exceptions import TOMLKitError

    path = tmp_path / "ada.toml"
    path.write_text(
        '[formative]\nworkbook = "demo"\nperson = "Ada"\n\n[answers.welcome]\nname = "x"\n', encoding="utf-8"
    )

    def cannot_edit(*args: object) -> None:
        raise TOMLKitError("a layout tomlkit cannot edit")

    with AnswerStore.open(path, starter, person="Ada") as store:
        monkeypatch.setattr(store, "_edit", cannot_edit)
        store.set("people", "names", ["Ann"])
    text = path.read_text(encoding="utf-8")
    assert tomllib.loads(text)["formative"] == {"format": 1, "workbook": "demo", "person": "Ada"}
    assert text.index("format = 1") < text.index('workbook = "demo"')
