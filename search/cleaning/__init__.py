"""Cleaning: take the boilerplate out of a page (menus, datelines, share lines, templates); find title, date, site."""

from .. import stage_exports

_EXPORTS = {
    "clean_page": ".clean", "page_lines": ".markup",
    "SiteTemplates": ".templates", "TEMPLATES_FILE": ".templates", "learn_templates": ".templates",
    "line_key": ".templates", "load_templates": ".templates", "save_templates": ".templates", "site_key": ".templates",
}
__all__ = list(_EXPORTS)
__getattr__ = stage_exports(__name__, _EXPORTS)
