"""The progress bar: drawn on a terminal after a second, silent otherwise, wiped at the end."""

from __future__ import annotations

import io
import re

import pytest

from libya_events.progress import Progress, is_terminal


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_nothing_is_drawn_during_the_first_second() -> None:
    stream, clock = Terminal(), Clock()
    with Progress(10, "validating", enabled=True, stream=stream, clock=clock) as bar:
        clock.now += 0.9
        bar.advance(5, "events")
    assert stream.getvalue() == ""


def test_after_a_second_the_bar_shows_share_step_and_time_then_is_wiped() -> None:
    stream, clock = Terminal(), Clock()
    with Progress(8, "validating", enabled=True, stream=stream, clock=clock) as bar:
        clock.now += 1.5
        bar.advance(2, "events")
        assert (
            stream.getvalue() == "\rvalidating events [######------------------]  25%   1.5 s\x1b[K"
        )
        clock.now += 0.05  # too soon to redraw
        bar.advance(2, "statements")
        assert stream.getvalue().count("\r") == 1
        clock.now += 0.5
        bar.advance(0, None)
        assert stream.getvalue().endswith(
            "\rvalidating statements [############------------]  50%   2.0 s\x1b[K"
        )
    assert stream.getvalue().endswith("\r\x1b[K")


def test_the_share_never_passes_the_whole() -> None:
    stream, clock = Terminal(), Clock()
    bar = Progress(4, enabled=True, stream=stream, clock=clock)
    clock.now += 2
    bar.advance(9)
    assert stream.getvalue() == f"\r[{'#' * 24}] 100%   2.0 s\x1b[K"


@pytest.mark.parametrize("enabled", [False, None])
def test_silent_when_disabled_or_not_a_terminal(enabled: bool | None) -> None:
    stream, clock = io.StringIO(), Clock()
    with Progress(10, "validating", enabled=enabled, stream=stream, clock=clock) as bar:
        clock.now += 5
        bar.advance(5, "events")
    assert stream.getvalue() == ""


def test_is_terminal_needs_every_stream_to_be_one() -> None:
    assert is_terminal(Terminal(), Terminal())
    assert not is_terminal(Terminal(), io.StringIO())
    closed = Terminal()
    closed.close()
    assert not is_terminal(closed)


class Immediate(Progress):
    """The CLI's bar without the one-second grace, so a small package shows it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs, delay=0.0)


@pytest.fixture(scope="module")
def small_package(tmp_path_factory: pytest.TempPathFactory):
    from libya_events.testing.synthetic import write_synthetic

    return write_synthetic(tmp_path_factory.mktemp("progress") / "pkg", 60).path


def run_cli(monkeypatch: pytest.MonkeyPatch, args: list[str], tty: bool) -> tuple[int, str, str]:
    import sys

    from libya_events import cli, progress

    monkeypatch.setattr(progress, "Progress", Immediate)
    err, out = (Terminal(), Terminal()) if tty else (io.StringIO(), io.StringIO())
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", out)
    code = cli.main(args)
    return code, out.getvalue(), err.getvalue()


def test_validate_draws_the_bar_on_a_terminal_and_wipes_it(monkeypatch, small_package) -> None:
    code, out, err = run_cli(monkeypatch, ["validate", str(small_package)], tty=True)
    assert code == 0
    assert err.startswith("\rvalidating reading sources [")
    drawn = r"\rvalidating [a-z_ -]+ \[[#-]{24}\] +\d+% +\d+\.\d s\x1b\[K"
    assert re.fullmatch(f"({drawn})+\r\x1b\\[K", err)
    assert out.startswith(f"libya-events validate: {small_package}\nVALID")


@pytest.mark.parametrize(
    ("args", "tty"), [(["--quiet"], True), ([], False)], ids=["quiet", "not-a-terminal"]
)
def test_validate_draws_no_bar_quiet_or_off_a_terminal(
    monkeypatch, small_package, args: list[str], tty: bool
) -> None:
    code, _, err = run_cli(monkeypatch, ["validate", str(small_package), *args], tty=tty)
    assert code == 0
    assert err == ""
