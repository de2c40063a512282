package org.palmgov.android

import android.os.Looper
import java.util.concurrent.Callable
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.Future
import org.robolectric.Shadows.shadowOf

/**
 * The core calls the hooks on its own worker threads and they block there
 * while the main thread shows the prompt. In a Robolectric test the test
 * thread is the main thread: it starts the hook call on [worker], then runs
 * the main looper with [awaitOnMain] until the prompt appears.
 */
class CoreThread : AutoCloseable {
    private val pool: ExecutorService = Executors.newSingleThreadExecutor { Thread(it, "core-worker") }

    fun <T> call(block: () -> T): Future<T> = pool.submit(Callable(block))

    override fun close() {
        pool.shutdownNow()
    }
}

/** Runs the main looper until [probe] returns something, for at most [timeoutMs]. */
fun <T : Any> awaitOnMain(timeoutMs: Long = 5_000, probe: () -> T?): T {
    val deadline = System.nanoTime() + timeoutMs * 1_000_000
    while (true) {
        shadowOf(Looper.getMainLooper()).idle()
        probe()?.let { return it }
        check(System.nanoTime() < deadline) { "nothing reached the main thread in $timeoutMs ms" }
        Thread.sleep(5)
    }
}

/** The hook's answer, running the main looper while the worker waits for it. */
fun <T> Future<T>.answer(timeoutMs: Long = 5_000): Result<T> {
    awaitOnMain(timeoutMs) { if (isDone) Unit else null }
    return try {
        Result.success(get())
    } catch (e: java.util.concurrent.ExecutionException) {
        Result.failure(e.cause ?: e)
    }
}
