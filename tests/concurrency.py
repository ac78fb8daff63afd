"""Run callables at the same instant in separate threads, each on its own database connection."""

import threading

from django.db import close_old_connections, connection


def race(workers, timeout: float = 60) -> list:
    """Release every callable together through a barrier; return each result or the error it raised."""
    barrier = threading.Barrier(len(workers))
    results: list = [None] * len(workers)

    def run(index, work):
        close_old_connections()
        try:
            barrier.wait()
            results[index] = work()
        except Exception as error:  # collected and asserted on by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, work)) for i, work in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hung"
    return results
