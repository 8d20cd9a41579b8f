"""Which documents to watch: the catalog's documents plus the user's Open Terms Archive
declarations (``<config>/declarations/*.json`` and any files given on the command line)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from guard.catalog.loader import Catalog, CatalogError, load_catalog
from guard.paths import AppPaths
from guard.terms.declarations import declarations_dir, load_declaration, load_declarations_dir
from guard.terms.errors import DeclarationError
from guard.terms.models import WatchedDocument

log = logging.getLogger(__name__)


def catalog_documents(catalog: Catalog) -> list[WatchedDocument]:
    return [WatchedDocument.from_catalog(provider, document) for provider in catalog for document in provider.documents]


def load_app_catalog(paths: AppPaths) -> tuple[Catalog, list[str]]:
    """The shipped catalog with the user's files on top; without a shipped catalog, the user's alone."""
    problems: list[str] = []
    try:
        catalog = load_catalog(user=paths.user_catalog_dir)
    except CatalogError as error:
        problems.append(str(error))
        if not paths.user_catalog_dir.is_dir():
            return Catalog(), problems
        catalog = load_catalog(shipped=paths.user_catalog_dir)
    return catalog, problems + [problem.message() for problem in catalog.problems]


def build_watch_list(paths: AppPaths, catalog: Catalog | None = None,
                     declaration_files: Iterable[Path] = ()) -> tuple[list[WatchedDocument], list[str]]:
    """Documents to watch and the problems met while gathering them (each a readable line)."""
    problems: list[str] = []
    if catalog is None:
        catalog, problems = load_app_catalog(paths)
    documents = catalog_documents(catalog)
    declarations, found = load_declarations_dir(declarations_dir(paths.config_dir))
    problems.extend(found)
    for path in declaration_files:
        try:
            declaration = load_declaration(Path(path))
        except DeclarationError as error:
            problems.append(str(error))
            continue
        declarations.append(declaration)
        problems.extend(declaration.problems)
    seen = {doc.key for doc in documents}
    for declaration in declarations:
        for document in declaration.documents:
            if document.key in seen:
                problems.append(f"{declaration.path}: {document.provider_id}/{document.document_id} is already "
                                "watched; this declaration's copy was ignored.")
                continue
            seen.add(document.key)
            documents.append(document)
    return documents, problems
