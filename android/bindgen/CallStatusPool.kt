
// ---- Appended by scripts/bindgen (android/bindgen/CallStatusPool.kt) ----
//
// UniFFI 0.32's Kotlin allocates a fresh JNA `UniffiRustCallStatus` for every
// call. Each one is two `Memory` blocks registered in JNA's global map and
// freed later by JNA's single cleaner thread. Under a steady stream of calls the
// cleaner falls behind, the map grows, and a no-op call went from a few µs to
// 30–100 µs on the desktop JVM (scripts/bench). Reusing statuses removes the
// allocation entirely.
//
// A pool per thread, not one status per thread: a Rust call can call back into
// Kotlin (the log sink, the keystore) which calls Rust again on the same thread.
// A single shared status would then be clobbered by the inner call while the
// outer one is still in flight; a pool hands the inner call its own.
internal object UniffiCallStatusPool {
    private const val KEEP = 8
    private val free = ThreadLocal.withInitial { ArrayDeque<UniffiRustCallStatus>(KEEP) }

    fun take(): UniffiRustCallStatus {
        val status = free.get().removeLastOrNull() ?: UniffiRustCallStatus()
        // Rust writes the status only on failure, so success must be the default.
        status.code = UNIFFI_CALL_SUCCESS
        status.error_buf.capacity = 0
        status.error_buf.len = 0
        status.error_buf.data = null
        return status
    }

    fun give(status: UniffiRustCallStatus) {
        val pool = free.get()
        if (pool.size < KEEP) pool.addLast(status)
    }
}
