"""Screen text: (Bahasa Indonesia, English). Placeholders in {braces}."""

UI: dict[str, tuple[str, str]] = {
    "app.title": ("Dasbor Rencana Aksi Smart City Kotim", "Kotim Smart City Action-Plan Dashboard"),
}
