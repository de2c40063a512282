package org.palmgov.bench

import org.palmgov.AppLockOutcome
import org.palmgov.PalmGovClient
import org.palmgov.softwareAppLock
import org.palmgov.softwareKeystore

/**
 * The Kotlin → Rust call-overhead micro-benchmark run by scripts/bench.
 *
 * Measures, through the generated bindings on the desktop JVM:
 * - a no-op method call on the core object;
 * - a 1 KB string sent to the core and returned.
 *
 * Each figure is the median of several batches after warm-up, in µs per
 * call. Printed as `name<TAB>µs` lines for scripts/bench's table.
 */
fun main() {
    val dir = kotlin.io.path.createTempDirectory("palmgov-bench").toFile()
    val core = org.palmgov.PalmGov.open(
        org.palmgov.PalmGovConfig(
            dataDir = dir.absolutePath,
            server = PalmGovClient.serverConfig("http://127.0.0.1:9/"),
            logLevel = org.palmgov.LogLevel.WARN,
        ),
        softwareKeystore(ByteArray(32) { 1 }),
        softwareAppLock(AppLockOutcome.UNLOCKED),
        null,
    )
    val text = "政".repeat(340) + "abcd"
    check(text.toByteArray().size == 1024)
    val raw = measure { check(RawLib.ffi_palmgov_uniffi_contract_version() > 0) }
    val noop = measure { core.diagnosticsNoop() }
    val echo = measure { check(core.diagnosticsEcho(text).length == text.length) }
    println("jna_raw_call_us\t%.2f".format(raw))
    println("kotlin_noop_call_us\t%.2f".format(noop))
    println("kotlin_echo_1kb_us\t%.2f".format(echo))
    core.shutdown()
    core.destroy()
    dir.deleteRecursively()
}

/** A raw JNA direct-mapped call into the same library: the same-run baseline. */
private object RawLib {
    init {
        com.sun.jna.Native.register(RawLib::class.java, "palmgov")
    }

    @JvmStatic external fun ffi_palmgov_uniffi_contract_version(): Int
}

private fun measure(call: () -> Unit): Double {
    val batch = System.getProperty("palmgov.bench.batch")?.toInt() ?: 20_000
    repeat(5 * batch) { call() }
    val samples = (1..15).map {
        val start = System.nanoTime()
        repeat(batch) { call() }
        (System.nanoTime() - start) / 1_000.0 / batch
    }
    return samples.sorted()[samples.size / 2]
}
