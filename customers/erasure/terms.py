"""What names a contact in a text, and what replaces it once they are erased."""

from dataclasses import dataclass

from references.models import Contact

MIN_NAME = 2  # a lone name shorter than this is not looked for ("A" would hit every text)
MIN_STRONG = 5  # nor a phone or name form this short (a phone field holding "n/a")


@dataclass(frozen=True)
class Terms:
    contact_id: int
    first_name: str
    last_name: str
    email: str
    phone: str

    @classmethod
    def of(cls, contact: Contact) -> "Terms":
        return cls(
            contact_id=contact.pk,
            first_name=contact.first_name.strip(),
            last_name=contact.last_name.strip(),
            email=contact.email.strip(),
            phone=contact.phone.strip(),
        )

    @classmethod
    def example(cls) -> "Terms":
        return cls(
            contact_id=0, first_name="Ann", last_name="Example", email="ann@example.com", phone="+1 555"
        )

    @property
    def label(self) -> str:
        """What their name becomes: "Erased contact #12"."""
        return f"Erased contact #{self.contact_id}"

    @property
    def placeholder_email(self) -> str:
        """A non-deliverable address, unique per contact (the .invalid top-level domain never resolves)."""
        return f"erased-{self.contact_id}@invalid"

    def names(self) -> list[str]:
        """Forms of their full name and their phone: replaced wherever they appear."""
        forms = [
            f"{self.first_name} {self.last_name}",
            f"{self.last_name}, {self.first_name}",
            f"{self.last_name} {self.first_name}",
            self.phone,
        ]
        return _longest_first(term for term in forms if len(term.strip(" ,")) >= MIN_STRONG)

    def emails(self) -> list[str]:
        return [self.email] if self.email else []

    def lone_names(self) -> list[str]:
        """Their first or last name alone: replaced only in the texts tied to them."""
        return _longest_first(name for name in (self.first_name, self.last_name) if len(name) >= MIN_NAME)

    def steps(self, *, near: bool) -> list[tuple[list[str], str]]:
        """The replacements, in order: (terms, what replaces them); longer forms first."""
        steps = [(self.names(), self.label), (self.emails(), self.placeholder_email)]
        if near:
            steps.append((self.lone_names(), self.label))
        return [(terms, replacement) for terms, replacement in steps if terms]


def _longest_first(terms) -> list[str]:
    return sorted(dict.fromkeys(terms), key=lambda t: (-len(t), t))
