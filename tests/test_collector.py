"""A check pauses the cyclic garbage collector and leaves it as it found it."""

import gc
import threading

from expertise.documents.reader import read_stdin_text
from expertise.engine.catalogue import load_catalogue
from expertise.engine.collector import collector_paused
from expertise.engine.runner import Engine


def test_check_restores_an_enabled_collector():
    assert gc.isenabled()
    doc = read_stdin_text("1. Глава администрации вправе отказать в выдаче разрешения.\n".encode())
    Engine(load_catalogue()).check(doc)
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_program_stays_off():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_comes_back_only_when_the_last_check_ends():
    inside, release = threading.Event(), threading.Event()

    def other_check():
        with collector_paused():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=other_check)
    worker.start()
    inside.wait(5)
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other check still runs
    release.set()
    worker.join(5)
    assert gc.isenabled()
