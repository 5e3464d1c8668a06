"""Release a name from the facilitator's screen: a lost laptop, a forgotten PIN.

Hosted participants bind their name to a key or a PIN on first use (see
workshop/identity.py). Releasing frees it: the next person to log in under that name
binds it anew. The list shows how each name is held, never a PIN or a key.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from formative.tui.widgets.safe_text import literal
from formative.workshop.folder import Workshop
from formative.workshop.identity import People, PeopleFileError, Person


def held_by(person: Person) -> str:
    if person.keys:
        return "SSH key"
    return "printed code" if person.coach_code else "PIN"


class ReleaseScreen(ModalScreen[None]):
    """The names taken in this workshop; Enter releases the highlighted one."""

    DEFAULT_CSS = """
    ReleaseScreen { align: center middle; }
    ReleaseScreen #release { width: 60; max-width: 100%; height: auto; max-height: 80%;
                             border: round $accent; background: $surface; padding: 0 1; }
    ReleaseScreen OptionList { height: auto; max-height: 20; }
    ReleaseScreen .dim { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "dismiss", "Close")]

    def __init__(self, workshop: Workshop) -> None:
        super().__init__()
        self.people = People(workshop.folder, workshop.data.roster, workshop.data.keys)

    def compose(self) -> ComposeResult:
        with Vertical(id="release"):
            yield Static(Content("Release a name").stylize("bold"))
            yield Static(Content("The next person to log in under it chooses a new PIN."), classes="dim")
            yield OptionList(id="names")
            yield Static(Content("Enter releases · Esc closes"), classes="dim")

    def on_mount(self) -> None:
        names = self.query_one(OptionList)
        try:
            everyone = self.people.everyone()
        except PeopleFileError as error:
            self.notify(str(error), severity="error", markup=False)
            everyone = []
        for person in everyone:
            names.add_option(Option(literal(f"{person.name} · {held_by(person)}"), id=person.name))
        if everyone:
            names.highlighted = 0
        else:
            names.add_option(Option(Content("No names are taken yet."), disabled=True))
        names.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        name = event.option.id
        if name is None:
            return
        try:
            freed = self.people.release(name)
        except PeopleFileError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        event.option_list.remove_option(name)
        if freed is not None:
            self.notify(f"Released {freed}.", markup=False)
