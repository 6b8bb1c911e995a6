"""Placeholder page (replaced by the scenario comparer)."""

import solara


@solara.component
def Page():
    """Render a placeholder."""
    solara.Markdown("# Scenariovergelijker")
