"""Files an attacker or a careless user puts where Formative reads: every reader refuses them quickly.

Real named pipes, a link to /dev/zero, link loops, broken links, a folder and a socket
named like a TOML file, 5000-deep nesting, a byte-order mark, huge and unreadable
files: against `formative validate`, load_workbook, AnswerStore.open, Workshop.open,
the room scan and `formative export WORKSHOP`. Before the safe reader, a named pipe
hung each of them forever and /dev/zero filled memory, so every test here is bounded
in time and the real processes in memory too. Each hostile file meets `formative validate`
in this process (click's CliRunner: its messages, its exit status, no traceback); two runs
are real processes in 1 GiB of memory (validate going on past every hostile file at once,
and export).
"""

from __future__ import annotations

import errno
import os
import random
import resource
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import tomlkit
from click.testing import CliRunner, Result

from formative.answers import AnswerFileError, AnswerStore
from formative.answers import header as header_module
from formative.cli import cli
from formative.workbook import WorkbookError, load_workbook, load_workbook_text
from formative.workbook.depth import MAX_DEPTH, too_deep
from formative.workbook.load import MAX_ANSWER_BYTES, MAX_WORKBOOK_BYTES, parse_toml, read_limited, read_text
from formative.workbook.starter import starter_workbook
from formative.workshop.folder import Workshop, create_workshop, read_roster
from formative.workshop.participant import open_participant
from formative.workshop.room import Room, skipped_summary

pytestmark = pytest.mark.timeout(30)

Maker = Callable[[Path], None]


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))  # the socket file stays after close
    server.close()


def _link_cycle(path: Path) -> None:
    path.symlink_to("other.toml")
    path.with_name("other.toml").symlink_to(path.name)


def _sparse(path: Path) -> None:
    with path.open("wb") as file:
        file.truncate(10**10)  # 10 GB that take no disk: read whole, they fill memory


HOSTILE: dict[str, tuple[Maker, str]] = {
    "fifo": (os.mkfifo, "this is a named pipe (FIFO), not a file"),
    "dev-zero-link": (lambda p: p.symlink_to("/dev/zero"), "symbolic link to a character device (/dev/zero)"),
    "link-loop": (lambda p: p.symlink_to(p.name), "symbolic link loop"),
    "link-cycle": (_link_cycle, "symbolic link loop"),
    "dangling-link": (lambda p: p.symlink_to("gone.toml"), "broken symbolic link: it points to gone.toml"),
    "folder": (lambda p: p.mkdir(), "this is a folder, not a file"),
    "socket": (_socket, "this is a socket, not a file"),
    "huge-sparse": (_sparse, "file is too large (more than"),
}


@pytest.fixture(params=sorted(HOSTILE))
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    """A hostile x.toml (short path: a socket's path must fit in 108 bytes) and the words that name it."""
    folder = tmp_path / "h"
    folder.mkdir()
    path = folder / "x.toml"
    make, expected = HOSTILE[request.param]
    make(path)
    return path, expected


def _deep_arrays(depth: int) -> str:
    return 'title = "deep"\n\nvalue = ' + "[" * depth + "]" * depth + "\n"


def _deep_tables(depth: int) -> str:
    return 'title = "deep"\n\nvalue = ' + "{a = " * depth + "1" + "}" * depth + "\n"


def _long_dotted_key(parts: int) -> str:
    return 'title = "deep"\n\n' + ".".join(["a"] * parts) + " = 1\n"


DEEP = {
    "arrays-5000": _deep_arrays(5000),
    "inline-tables-5000": _deep_tables(5000),
    "dotted-key-50000": _long_dotted_key(50_000),  # tomllib alone took 40 s on this 100 kB file
}


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def formative(*args: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    """The real command, in 1 GiB of memory and bounded time: a hang or a memory blow-up fails."""
    return subprocess.run(
        [sys.executable, "-m", "formative", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory,
        check=False,
    )


def validate(*paths: Path) -> Result:
    """`formative validate` in this process: a usage error or a refusal, never a crash."""
    result = CliRunner().invoke(cli, ["validate", *map(str, paths)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


# The reader itself ---------------------------------------------------------------------


def test_load_workbook_refuses_hostile_files_at_once(hostile: tuple[Path, str]) -> None:
    path, expected = hostile
    started = time.monotonic()
    with pytest.raises(WorkbookError) as caught:
        load_workbook(path)
    assert time.monotonic() - started < 5
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{path}: ")
    assert expected in problem.message


@pytest.mark.parametrize("kind", ["fifo", "dev-zero-link"])
def test_a_pipe_or_device_swapped_in_after_the_stat_is_still_refused(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stat said "regular file" (we pretend: the path changed in between); the open must not
    block on the pipe, and the check of the open descriptor must refuse it."""
    path = tmp_path / "x.toml"
    make, expected = HOSTILE[kind]
    make(path)
    monkeypatch.setattr("formative.workbook.load.check_regular", lambda path, limit: None)
    started = time.monotonic()
    with pytest.raises(WorkbookError) as caught:
        read_limited(path, 1000)
    assert time.monotonic() - started < 5
    assert expected in caught.value.problems[0].message


def test_a_missing_file_is_still_no_such_file(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="no such file"):
        load_workbook(tmp_path / "nope.toml")


def test_reading_stops_at_limit_plus_one_byte_whatever_stat_says() -> None:
    """/proc files report size 0: only the bounded read can tell they are too long."""
    maps = Path("/proc/self/maps")
    if not maps.is_file():
        pytest.skip("no /proc on this system")
    with pytest.raises(WorkbookError, match=r"too large \(more than 10 bytes\)"):
        read_limited(maps, 10)


def test_a_file_just_under_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_bytes(b"x" * 1000)
    assert read_limited(path, 1000) == b"x" * 1000
    with pytest.raises(WorkbookError, match="too large"):
        read_limited(path, 999)


def test_permission_denied_is_said_as_such(tmp_path: Path) -> None:
    """A real file this account may not read: mode 000 for a normal user; as root (who reads
    anything on disk) /proc/sys/vm/drop_caches, which the kernel opens for writing only."""
    if os.geteuid() != 0:
        path = tmp_path / "secret.toml"
        path.write_text('title = "x"\n', encoding="utf-8")
        path.chmod(0)
    else:
        path = Path("/proc/sys/vm/drop_caches")
        try:
            os.close(os.open(path, os.O_RDONLY))
        except PermissionError:
            pass
        except OSError:
            pytest.skip("running as root, and /proc/sys/vm/drop_caches is not there to refuse a read")
        else:
            pytest.skip("running as root, and even /proc/sys/vm/drop_caches opened for reading")
    with pytest.raises(WorkbookError, match="permission denied"):
        read_text(path)


def test_os_errors_become_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "w.toml"
    path.write_text('title = "x"\n', encoding="utf-8")

    def refuse(*args: object) -> int:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(WorkbookError, match="cannot read: Input/output error"):
        read_text(path)


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_deep_nesting_is_one_located_problem(tmp_path: Path, shape: str) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(DEEP[shape], encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(WorkbookError) as caught:
        load_workbook(path)
    assert time.monotonic() - started < 5
    [problem] = caught.value.problems
    assert "nested too deeply" in problem.message
    assert (problem.line, problem.column) == (3, 1 if shape.startswith("dotted") else 9)


def test_nesting_up_to_the_limit_is_fine() -> None:
    """The key counts as a level, as it does in the parsed document: {"a": [[…]]}."""
    levels = MAX_DEPTH - 1
    assert too_deep("a = " + "[" * levels + "]" * levels) is None
    assert too_deep("a = " + "[" * (levels + 1) + "]" * (levels + 1)) == 4
    assert too_deep(".".join(["k"] * MAX_DEPTH) + " = 1") is None
    assert too_deep("\n[" + ".".join(["k"] * (MAX_DEPTH + 1)) + "]") == 1


@pytest.mark.parametrize(
    "text",
    [
        'a = "' + "[" * 500 + '"',
        "b = '''" + "{" * 500 + "'''",
        'c = """\\"""' + "[" * 500 + '"""',
        "# " + "[" * 500,
        '"' + "." * 500 + '" = 1',
        "d = [\n" + "1.5,\n" * 500 + "]",
    ],
)
def test_brackets_and_dots_in_strings_comments_and_numbers_are_not_nesting(text: str) -> None:
    parse_toml(text, "t.toml")  # valid TOML, and not deep
    assert too_deep(text) is None


def test_a_recursion_error_from_any_parser_becomes_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parser that gives up earlier than our own limit still gives a message, at line 1."""

    def recurse(text: str) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("formative.workbook.load.tomllib.loads", recurse)
    with pytest.raises(WorkbookError, match="nested too deeply") as caught:
        parse_toml("a = [[1]]\n", "t.toml")
    assert caught.value.problems[0].line == 1


def test_a_recursion_error_while_validating_becomes_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    from formative.workbook.model import Workbook

    def recurse(data: object) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(Workbook, "model_validate", recurse)
    with pytest.raises(WorkbookError, match="nested too deeply"):
        load_workbook_text(starter_workbook("x", "X"), "x.toml")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + starter_workbook("bom", "Bom").encode("utf-8"))
    assert load_workbook(path).id == "bom"


def test_utf16_gets_a_message_not_a_decoding_error(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_bytes('title = "x"\n'.encode("utf-16"))
    with pytest.raises(WorkbookError, match="UTF-16 text; save the file as UTF-8"):
        load_workbook(path)


def test_an_oversized_workbook_is_refused_from_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * (MAX_WORKBOOK_BYTES + 1))
    with pytest.raises(WorkbookError, match=f"more than {MAX_WORKBOOK_BYTES:,} bytes"):
        load_workbook(path)


def test_a_hostile_roster_is_refused(hostile: tuple[Path, str]) -> None:
    path, expected = hostile
    with pytest.raises(WorkbookError, match=r"x\.toml") as caught:
        read_roster(path)
    assert expected in caught.value.problems[0].message


# formative validate, as a real process ---------------------------------------------------


def test_validate_refuses_hostile_files(hostile: tuple[Path, str]) -> None:
    path, expected = hostile
    result = validate(path)
    assert result.exit_code == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_validate_reports_deep_nesting(tmp_path: Path, shape: str) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(DEEP[shape], encoding="utf-8")
    result = validate(path)
    assert result.exit_code == 1
    assert f"{path}:3:" in result.stderr and "nested too deeply" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + starter_workbook("bom", "Bom").encode("utf-8"))
    result = validate(path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok")


def test_validate_goes_on_after_a_hostile_file(tmp_path: Path) -> None:
    """The real command, in 1 GiB and bounded time, past every hostile file to a good one."""
    hostile = []
    for number, (make, _) in enumerate(HOSTILE[name] for name in sorted(HOSTILE)):
        folder = tmp_path / f"h{number}"  # each its own x.toml (a link cycle makes two files)
        folder.mkdir()
        make(folder / "x.toml")
        hostile.append(folder / "x.toml")
    good = tmp_path / "b.toml"
    good.write_text(starter_workbook("b", "B"), encoding="utf-8")
    result = formative("validate", *map(str, hostile), str(good))
    assert result.returncode == 1
    for path, (_, expected) in zip(hostile, (HOSTILE[name] for name in sorted(HOSTILE)), strict=True):
        assert f"{path}" in result.stderr and expected in result.stderr, (path, expected)
    assert f"ok  {good}" in result.stdout
    assert "Traceback" not in result.stderr


# Answer files ------------------------------------------------------------------------------


def test_answer_store_refuses_hostile_files_and_leaves_them(hostile: tuple[Path, str], starter: object) -> None:
    from formative.workbook.model import Workbook

    assert isinstance(starter, Workbook)
    path, expected = hostile
    before = os.lstat(path)
    with pytest.raises(AnswerFileError) as caught:
        AnswerStore.open(path, starter, lock=False)
    assert expected in str(caught.value) and "left untouched" in str(caught.value)
    after = os.lstat(path)
    assert (before.st_mode, before.st_ino) == (after.st_mode, after.st_ino)


def test_answer_store_refuses_deep_nesting(tmp_path: Path, starter: object) -> None:
    from formative.workbook.model import Workbook

    assert isinstance(starter, Workbook)
    path = tmp_path / "a.toml"
    path.write_text('[formative]\nworkbook = "demo"\n[answers.welcome]\nname = ' + "[" * 5000 + "]" * 5000)
    with pytest.raises(AnswerFileError, match="nested"):
        AnswerStore.open(path, starter, lock=False)


def test_a_recursion_error_in_the_answer_parser_is_a_message(
    tmp_path: Path, starter: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from formative.workbook.model import Workbook

    assert isinstance(starter, Workbook)
    path = tmp_path / "a.toml"
    path.write_text('[formative]\nworkbook = "demo"\n', encoding="utf-8")

    def recurse(text: str) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("formative.answers.store.tomlkit.parse", recurse)
    with pytest.raises(AnswerFileError, match=r"a.toml:1:1: nested too deeply"):
        AnswerStore.open(path, starter, lock=False)


def test_an_answer_file_with_a_byte_order_mark_round_trips(tmp_path: Path, starter: object) -> None:
    from formative.workbook.model import Workbook

    assert isinstance(starter, Workbook)
    path = tmp_path / "a.toml"
    text = '# my notes\n[formative]\nworkbook = "demo"\nperson = "Zoë"\n\n[answers.welcome]\nname = "Zoë"\n'
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    with AnswerStore.open(path, starter) as store:
        assert store.get("welcome", "name") == "Zoë"
        store.set("welcome", "story", "A long story\nover two lines")
        store.save()
    saved = path.read_text(encoding="utf-8")
    assert saved.startswith("# my notes\n[formative]")  # nothing lost, the mark dropped
    with AnswerStore.open(path, starter, lock=False) as again:
        assert again.get("welcome", "name") == "Zoë"
        assert again.get("welcome", "story") == "A long story\nover two lines"


def test_a_100000_character_answer_still_round_trips(tmp_path: Path, starter: object) -> None:
    from formative.workbook.model import Workbook

    assert isinstance(starter, Workbook)
    path = tmp_path / "a.toml"
    long_answer = "ü€𝄞 " * 25_000  # 100,000 characters, 250,000 bytes of UTF-8
    with AnswerStore.open(path, starter) as store:
        store.set("welcome", "story", long_answer)
        store.save()
    assert path.stat().st_size < MAX_ANSWER_BYTES
    with AnswerStore.open(path, starter, lock=False) as again:
        assert again.get("welcome", "story") == long_answer


def test_an_oversized_answer_file_is_refused(tmp_path: Path, starter: object) -> None:
    from formative.workbook.model import Workbook

    assert isinstance(starter, Workbook)
    path = tmp_path / "a.toml"
    path.write_bytes(b"#" * (MAX_ANSWER_BYTES + 1))
    with pytest.raises(AnswerFileError, match="too large"):
        AnswerStore.open(path, starter, lock=False)
    assert path.stat().st_size == MAX_ANSWER_BYTES + 1


# Workshops -----------------------------------------------------------------------------------


@pytest.fixture
def workshop(tmp_path: Path) -> Workshop:
    create_workshop(tmp_path / "ws", "community-design-workshop", "Room", ["Ada", "Bo"])
    return Workshop.open(tmp_path / "ws")


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_workshop_file_is_refused(tmp_path: Path, kind: str) -> None:
    make, expected = HOSTILE[kind]
    make(tmp_path / "workshop.toml")
    started = time.monotonic()
    with pytest.raises(WorkbookError) as caught:
        Workshop.open(tmp_path)
    assert time.monotonic() - started < 5
    assert expected in caught.value.problems[0].message


def test_a_hostile_file_takes_its_name_and_is_never_reused(workshop: Workshop, hostile: tuple[Path, str]) -> None:
    path, _ = hostile
    taken = workshop.answers_dir / "ada.toml"
    if path.is_symlink():
        taken.symlink_to(os.readlink(path))
    else:
        path.rename(taken)
    assert workshop.participant_file("Ada") == workshop.answers_dir / "ada-2.toml"


def _good_answers(workshop: Workshop, name: str, value: str) -> None:
    step, prompt = _first_shared_text_prompt(workshop)
    with AnswerStore.open(workshop.participant_file(name), workshop.workbook, person=name) as store:
        store.set(step, prompt, value)


def _first_shared_text_prompt(workshop: Workshop) -> tuple[str, str]:
    for step in workshop.workbook.steps:
        for prompt in step.answer_prompts:
            if step.shared and prompt.kind in ("short_text", "long_text"):
                return step.id, prompt.id
    raise AssertionError("no shared text prompt")


def _plant_everything(answers: Path) -> dict[str, str]:
    """Every kind of bad file beside the good ones; returns file name -> words that must name it."""
    expected = {}
    for kind, (make, words) in HOSTILE.items():
        if kind == "link-cycle":
            continue  # its second link would be one more file in the folder
        make(answers / f"{kind}.toml")
        expected[f"{kind}.toml"] = words
    (answers / "broken.toml").write_text("[formative\n", encoding="utf-8")
    expected["broken.toml"] = "TOML syntax"
    (answers / "deep.toml").write_text("x = " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    expected["deep.toml"] = "nested too deeply"
    (answers / "stranger.toml").write_text("x = 1\n", encoding="utf-8")
    expected["stranger.toml"] = "not a Formative answer file"
    (answers / "latin1.toml").write_bytes(b'[formative]\nperson = "Jos\xe9"\n')
    expected["latin1.toml"] = "not valid UTF-8"
    (answers / "flat.toml").write_text('[formative]\nperson = "F"\n[answers]\nx = 1\n', encoding="utf-8")
    expected["flat.toml"] = "one table per step"
    return expected


def test_room_reads_good_files_and_names_every_bad_one(workshop: Workshop) -> None:
    _good_answers(workshop, "Ada", "Ada's answer")
    _good_answers(workshop, "Bo", "Bo's answer")
    expected = _plant_everything(workshop.answers_dir)
    room = Room(workshop)
    started = time.monotonic()
    assert room.refresh() is True
    assert time.monotonic() - started < 5
    assert [p.name for p in room.participants] == ["Ada", "Bo"]
    assert sorted(room.values(*_first_shared_text_prompt(workshop))) == ["Ada's answer", "Bo's answer"]
    named = {path.name: message for path, message in room.problems.items()}
    assert set(named) == set(expected)
    for name, words in expected.items():
        assert words in named[name], (name, named[name])
    summary = skipped_summary(room.problems)
    assert summary.startswith(f"{len(expected)} files in answers/ skipped: ")
    assert "fifo.toml: this is a named pipe (FIFO), not a file" in summary


def test_room_reads_a_bad_file_once_not_on_every_tick(workshop: Workshop, monkeypatch: pytest.MonkeyPatch) -> None:
    _good_answers(workshop, "Ada", "Ada's answer")
    _plant_everything(workshop.answers_dir)
    reads: list[str] = []
    real_read_text = header_module.read_text  # the room reads answer files through answers.header

    def counting(path: Path, limit: int) -> str:
        reads.append(path.name)
        return real_read_text(path, limit)

    monkeypatch.setattr(header_module, "read_text", counting)
    room = Room(workshop)
    room.refresh()
    first = sorted(reads)
    assert "fifo.toml" not in first and "dev-zero-link.toml" not in first and "huge-sparse.toml" not in first
    problems = dict(room.problems)
    reads.clear()
    for _ in range(5):
        assert room.refresh() is False
    assert reads == [], "unchanged files, good or bad, are not read again"
    assert room.problems == problems


def test_room_forgets_a_bad_file_once_it_is_gone_or_fixed(workshop: Workshop) -> None:
    fifo = workshop.answers_dir / "evil.toml"
    os.mkfifo(fifo)
    room = Room(workshop)
    room.refresh()
    assert list(room.problems) == [fifo]
    fifo.unlink()
    assert room.refresh() is True
    assert room.problems == {}


def test_dot_vote_options_survive_bad_files(workshop: Workshop) -> None:
    from formative.workbook.model import DotVote

    found = next(
        (s.id, p) for s in workshop.workbook.steps for p in s.prompts if isinstance(p, DotVote) and p.options_from
    )
    source_step, source_prompt = found[1].options_from.split(".")
    with AnswerStore.open(workshop.participant_file("Ada"), workshop.workbook, person="Ada") as store:
        store.set(source_step, source_prompt, "Supper club")
    _plant_everything(workshop.answers_dir)
    room = Room(workshop)
    room.refresh()
    session = open_participant(workshop, "Bo", room)
    try:
        assert session.walk.options(found[1]) == ["Supper club"]
    finally:
        session.close()


def test_export_of_a_workshop_with_bad_files(workshop: Workshop, tmp_path: Path) -> None:
    _good_answers(workshop, "Ada", "Ada's answer")
    _plant_everything(workshop.answers_dir)
    out = tmp_path / "report.md"
    result = formative("export", str(workshop.folder), "-o", str(out), "--participants", str(tmp_path / "each"))
    assert result.returncode == 0, result.stderr
    assert f"Skipped {workshop.answers_dir / 'fifo.toml'}: this is a named pipe" in result.stderr
    assert "Ada's answer" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "each").iterdir()) == ["ada.md"]


def test_a_line_ending_backslash_does_not_hide_what_follows() -> None:
    text = 'a = """one \\\n  two"""\nb = ' + "[" * 200 + "]" * 200
    assert too_deep(text) == text.index("b = ") + 4


def test_rows_of_a_multi_line_array_are_counted_right() -> None:
    """A row like [[1]] looks like a table header; inside an array its brackets still open and close."""
    rows = "".join(f"m{n} = [\n  [1],\n  [[{n}]]\n]\n" for n in range(150))
    parse_toml(rows, "t.toml")
    assert too_deep(rows) is None
    deep = "m = [\n" + "[\n" * 60 + "[[1]]\n" + "]\n" * 60 + "]\n"
    assert too_deep(deep) is None
    deeper = "m = [\n" + "[\n" * 99 + "[[1]]\n" + "]\n" * 99 + "]\n"
    assert too_deep(deeper) == 4


def _random_value(rng: random.Random, levels: int) -> object:
    """A random TOML value nested `levels` deep (branching only near the top, to stay small)."""
    nasty = ["[", "]", "{", "}", '"', "'", "\\", "\n", "#", ".", "=", ",", '"""', "'''", "x"]
    if levels <= 0:
        return rng.choice([1, 1.5, True, "".join(rng.choices(nasty, k=rng.randint(0, 8)))])
    width = rng.randint(1, 3) if levels < 6 and rng.random() < 0.3 else 1
    keys = ["a", "b-c", "1", "x.y", 'q"z', "sp ace", "[k]"]
    if rng.random() < 0.5:
        return [_random_value(rng, levels - 1) for _ in range(width)]
    return {f"{rng.choice(keys)}{n}": _random_value(rng, levels - 1) for n in range(width)}


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def test_the_nesting_scan_agrees_with_the_parser_on_random_documents() -> None:
    """Documents written by tomlkit (tables, arrays of tables, inline arrays, strings full of
    brackets, quotes and dots): shallow ones always pass, very deep ones are always caught."""
    rng = random.Random(9)
    shallow = deep = 0
    for n in range(400):
        levels = rng.randint(0, 10) if n % 5 else rng.randint(130, 250)
        text = tomlkit.dumps({f"k{i}": _random_value(rng, levels) for i in range(rng.randint(1, 3))})
        depth = _depth(tomllib.loads(text))
        if depth <= 60:
            shallow += 1
            assert too_deep(text) is None, text
        elif depth > 140:
            deep += 1
            assert too_deep(text) is not None, text
    assert shallow > 200 and deep > 50


def test_deep_nesting_is_located_where_it_starts() -> None:
    from formative.workbook.load import deep_nesting_problem

    levels = MAX_DEPTH + 1
    text = "\n# two lines before\nkey = 1\n    deep = " + "[" * levels + "]" * levels + "\n"
    problem = deep_nesting_problem(text, "wb.toml")
    assert (problem.line, problem.column) == (4, 12), "the first bracket, found by the scan"
    given = deep_nesting_problem(text, "wb.toml", start=text.index("key"))
    assert (given.line, given.column) == (3, 1), "where the caller found it, when it says"
    second = deep_nesting_problem("\ndeep = " + "[" * levels + "]" * levels, "wb.toml")
    assert (second.line, second.column) == (2, 8), "on the line after a blank first line"
    nowhere = deep_nesting_problem("a = 1\n", "wb.toml")
    assert (nowhere.line, nowhere.column) == (1, 1), "a parser gave up before our limit: line 1"
    assert "nested too deeply" in problem.message and str(MAX_DEPTH) in problem.message


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        # a [table] header: each part is a level
        ("[a.b]", 2, None),
        ("[a.b]", 1, 0),
        # a dotted key below a header counts the header's levels, from where its line starts
        ("[a.b]\nc.d = 1", 4, None),
        ("[a.b]\nc.d = 1", 3, 6),
        ("a.b.c = 1", 2, 0),
        # a header with a quoted part is read token by token and counts the same
        ('["a".b.c]\nd.e = 1', 5, None),
        ('["a".b.c]\nd.e = 1', 4, 10),
        ('["a".b.c]', 2, 0),
        # a dotted key inside an inline table is as deep as the table: found at its brace
        ("x = {a.b.c = 1}", 3, 4),
        ("x = {a.b = 1}", 4, None),
    ],
)
def test_headers_and_dotted_keys_count_their_parts(text: str, limit: int, expected: int | None) -> None:
    parse_toml(text, "t.toml")
    assert too_deep(text, limit) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        # a whole-line row such as [[1]] in a multi-line array: its brackets add to the array's
        ("x = [\n[[1]]\n]", 4, None),
        ("x = [\n[[1]]\n]", 3, 4),
        # and close again, so what follows the array starts from nothing
        ("x = [\n[[1]]\n]\ny = [[[1]]]", 4, None),
        ("x = [\n[[1]]\n]\ny = [[[[1]]]]", 4, 18),
    ],
)
def test_rows_of_a_multi_line_array_nest_and_close(text: str, limit: int, expected: int | None) -> None:
    parse_toml(text, "t.toml")
    assert too_deep(text, limit) == expected
