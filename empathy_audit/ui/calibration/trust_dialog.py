"""Asking the user to trust the keys a pack is signed with, the first time each name and key arrive."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from empathy_audit.packs.authorship import Claim
from empathy_audit.signing import fingerprint


def ask_to_trust(parent: QWidget, claims: list[Claim]) -> bool:
    """True when the user chose to trust every listed (name, key) and import."""
    seen: dict[tuple[str, str], Claim] = {(c.name, c.key): c for c in claims}
    listing = "\n".join(f"• {c.name or '(no name)'}: key {fingerprint(c.key)}" for c in seen.values())
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Trust New Keys?",
        "These packs are signed by keys this workspace has not seen before:\n\n"
        f"{listing}\n\nAsk each person to read out their key (Help > About in their Empathy Audit) and "
        "compare. Once trusted, anything claiming their name with another key is refused.",
        parent=parent,
    )
    trust = box.addButton("Trust and Import", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is trust
