"""A table model over the catalog search service: pages fetched as the view scrolls, never all rows at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from specialist_app.gui import data
from specialist_app.gui.i18n import field_label
from specialist_app.gui.tasks import TaskRunner
from specialist_app.services.search import SearchFilters, SearchHit, SearchPage, SearchSort
from specialist_app.store.db import Store
from sync.entities import entity as entity_schema
from sync.messages import choose
from sync.regions import PROVINCES

COL_TITLE = 0
COL_SUBTITLE = 1
COL_SNIPPET = 2
COLUMN_COUNT = 3

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the record id of a row
DIGEST_ROLE = Qt.ItemDataRole.UserRole + 2  # True for a digest of a record outside the home province


def digest_tag(province: str, lang: str) -> str:
    """[摘要 · 北京] before a digest's line (here and in the 对接 tab's suggestions): one wording for both."""
    names = PROVINCES.get(province)
    where = choose(lang, *names) if names else QCoreApplication.translate("SearchResultsModel", "another province")
    return QCoreApplication.translate("SearchResultsModel", "[Digest · %1]").replace("%1", where)
PAGE_SIZE = 100
BY_ONLY_COLOUR = "#6b6b6b"  # rows found only by their institution or people: grey

AnyIndex = QModelIndex | QPersistentModelIndex


class SearchResultsModel(QAbstractTableModel):
    """Rows are search hits of one entity; `set_search` starts over, `fetchMore` asks the worker for a page."""

    page_loaded = Signal()  # a page of rows arrived (or the search found nothing)
    total_changed = Signal(int, bool)  # matches, capped (more than that many: counting stopped there)
    summary_changed = Signal(object)  # the first SearchPage of a search: totals by where, suggestion

    def __init__(self, runner: TaskRunner[Store], entity: str, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.entity = entity
        self._lang = lang
        self._hits: list[SearchHit] = []
        self._request = data.SearchRequest(entity, "", SearchFilters(), SearchSort.RELEVANCE)
        self._generation = 0
        self._loading = False
        self._exhausted = True
        self.total = 0
        self.total_capped = False

    # --- searching ---

    def set_search(self, query: str, filters: SearchFilters | None = None,
                   sort: SearchSort | None = None) -> None:
        """Start a new search (the first page is fetched at once; later pages as the view needs them)."""
        self._request = data.SearchRequest(
            self.entity, query.strip(), filters or self._request.filters, sort or self._request.sort)
        self._generation += 1
        self.beginResetModel()
        self._hits = []
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self._fetch_page()

    @property
    def request(self) -> data.SearchRequest:
        return self._request

    @property
    def loading(self) -> bool:
        return self._loading

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def _fetch_page(self) -> None:
        self._loading = True
        generation = self._generation
        offset = len(self._hits)
        self._runner.submit(
            data.search_page(self._request, PAGE_SIZE, offset),
            lambda page: self._on_page(generation, page),
            lambda exc: self._on_error(generation, exc),
            key=f"search:{self.entity}:{id(self)}" if offset == 0 else None,
            owner=self,
        )

    def _on_page(self, generation: int, page: SearchPage) -> None:
        if generation != self._generation:
            return  # an older search's answer
        self._loading = False
        if page.offset == 0:
            self.total, self.total_capped = page.total, page.total_capped
            self.total_changed.emit(page.total, page.total_capped)
            self.summary_changed.emit(page)
        if page.hits:
            first = len(self._hits)
            self.beginInsertRows(QModelIndex(), first, first + len(page.hits) - 1)
            self._hits.extend(page.hits)
            self.endInsertRows()
        if len(page.hits) < page.limit:
            self._exhausted = True
        self.page_loaded.emit()

    def _on_error(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
            self._exhausted = True
        raise exc

    # --- Qt model interface ---

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: AnyIndex) -> None:
        if self.canFetchMore(parent):
            self._fetch_page()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == COL_SUBTITLE and hit.digest_province is not None:
                return f"{self._digest_tag(hit.digest_province)} {hit.subtitle}"
            return (hit.title, hit.subtitle, hit.snippet)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and hit.digest_province is not None:
            return self.tr("Only a digest is on this computer: the full text is fetched from the server when you"
                           " open it")
        if role == Qt.ItemDataRole.ToolTipRole:
            if hit.by_only:
                return self.tr("Found only by its institution or people (owner, completing units, inventors)")
            return hit.snippet or hit.title
        if role == Qt.ItemDataRole.ForegroundRole and hit.by_only:
            return QColor(BY_ONLY_COLOUR)  # the weaker hits, listed after the title/text ones
        if role == ID_ROLE:
            return hit.id
        if role == DIGEST_ROLE:
            return hit.digest_province is not None
        return None

    def _digest_tag(self, province: str) -> str:
        return digest_tag(province, self._lang)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return super().headerData(section, orientation, role)
        if section == COL_TITLE:
            schema = entity_schema(self.entity)
            return field_label(schema.field(schema.title_field), self._lang)
        if section == COL_SUBTITLE:
            headers = {  # by entity: what the subtitle column holds
                "expert": self.tr("Unit and field"),
                "demand": self.tr("Demanding unit and field"),
            }
            return headers.get(self.entity, self.tr("Owner and domain"))
        if section == COL_SNIPPET:
            return self.tr("Matching text")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Title column: by title; any other column: newest first (what the search service offers)."""
        wanted = SearchSort.TITLE if column == COL_TITLE else SearchSort.NEWEST
        if wanted != self._request.sort:
            self.set_search(self._request.query, self._request.filters, wanted)
