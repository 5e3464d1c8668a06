"""Redraw only the widgets a change can show through, not every widget sharing its container.

For a partial update (a key typed, a counter ticking), Textual 8's compositor picks the
widgets to render by their *clip*, the visible area of the container they sit in, rather
than by the part of them that is visible. Every widget in a step's scrolling body shares
that clip, so each key typed into an answer re-rendered all of them from their caches:
about nineteen widgets a key, a sixth of a participant's CPU per key, paid thirty times
over in a room (issue 11's echo figures).

Picking by the visible part (region ∩ clip) draws exactly the same screen: a widget whose
visible part misses the changed area has no cell in any changed span, and Textual writes
only those spans. Installed only where Compositor._get_renders is the code this replaces
(Textual 8, as checked by its shape); anywhere else Textual's own runs, and installed()
says so (a test checks, so an upgrade that moves it is noticed).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import __version__ as textual_version
from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

_textual_get_renders = Compositor._get_renders

_EXPECTED_NAMES = {"visible_widgets", "overlaps", "contains_region", "intersection", "render_lines"}
"""What Textual 8's _get_renders uses: a release that changes them gets its own code back."""


def get_renders(self: Compositor, crop: Region | None = None) -> Iterable[tuple[Region, Region, list[Strip]]]:
    """Compositor._get_renders as Textual 8 has it, but a widget is rendered only when the part
    of it on screen (region ∩ clip) meets crop, instead of whenever its clip does."""
    _rich_traceback_guard = True  # Textual's marker: tracebacks start below here
    intersection = Region.intersection
    widget_regions = [
        (widget, region, clip)
        for widget, (region, clip) in self.visible_widgets.items()
        if not crop or crop.overlaps(intersection(region, clip))
    ]
    for widget, region, clip in widget_regions:
        if clip.contains_region(region):
            yield region, clip, widget.render_lines(Region(0, 0, region.width, region.height))
        else:
            x, y, width, height = intersection(region, clip)
            if width and height:
                yield region, clip, widget.render_lines(Region(x - region.x, y - region.y, width, height))


def _fits() -> bool:
    code = _textual_get_renders.__code__
    return textual_version.startswith("8.") and (set(code.co_names) | set(code.co_varnames)) >= _EXPECTED_NAMES


def install() -> None:
    """Render partial updates through get_renders (idempotent); leaves an unfamiliar Textual alone."""
    if Compositor._get_renders is _textual_get_renders and _fits():
        Compositor._get_renders = get_renders  # type: ignore[method-assign]


def installed() -> bool:
    return Compositor._get_renders is get_renders
