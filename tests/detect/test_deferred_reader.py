"""Linux's accessibility reader is made on first use (a pass without a client in a meeting
never loads it, issue 18), and is then the real AT-SPI reader under the same name."""

from __future__ import annotations

from datetime import UTC, datetime

from guard.catalog.loader import load_catalog
from guard.detect.accessibility.atspi import AtSpiReader
from guard.detect.matching import DetectionRules
from guard.detect.platform import DeferredReader, default_backends


def test_the_linux_reader_is_the_at_spi_reader_made_on_first_read():
    reader = default_backends("linux").accessibility
    assert isinstance(reader, DeferredReader) and reader.name == AtSpiReader.name
    assert reader.reader is None
    rules = DetectionRules.from_catalog(load_catalog(), "linux")
    assert reader.observations((), rules, datetime.now(UTC)) == []
    assert isinstance(reader.reader, AtSpiReader)
    reader.close()


def test_closing_a_reader_never_made_makes_none():
    made: list[str] = []

    def make() -> AtSpiReader:
        made.append("made")
        return AtSpiReader()

    reader = DeferredReader("at-spi", make)
    reader.close()
    assert made == [] and reader.reader is None
