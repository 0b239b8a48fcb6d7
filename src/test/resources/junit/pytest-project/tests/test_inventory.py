"""Every outcome pytest records: pass, fail, error (in a fixture), skip, xfail."""
import os
import pytest


@pytest.fixture
def database():
    raise ConnectionRefusedError("[Errno 111] Connection refused: db.internal:5432")


def test_counts_items():
    assert sum([1, 2, 3]) == 6


def test_restock_threshold():
    stock = {"apples": 3}
    assert stock["apples"] > 5, "restock threshold for apples at 0x55d0c1a2"


def test_reads_database(database):
    assert database


@pytest.mark.skip(reason="inventory service not deployed")
def test_ships_order():
    pass


@pytest.mark.xfail(reason="known rounding bug")
def test_rounds_prices():
    assert round(2.675, 2) == 2.68


def test_parses_sku():
    record = None
    assert record.sku == "A-1"


@pytest.mark.parametrize("quantity", [1, 12])
def test_quantity_limits(quantity):
    print(f"checking quantity {quantity} with seed=42")
    assert quantity < 10
