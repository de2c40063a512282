package org.palmgov

import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.asSharedFlow

/**
 * A [LogSink] that publishes the core's log lines as a [SharedFlow], for a
 * diagnostics screen or a test. The core calls [log] on its own threads, so it
 * never suspends: when collectors fall behind, the oldest lines are dropped.
 *
 * The core promises no personal data in these lines; forwarding them to a
 * crash reporter is allowed.
 */
class FlowLogSink(capacity: Int = 256) : LogSink {
    private val flow = MutableSharedFlow<LogRecord>(
        replay = capacity,
        extraBufferCapacity = capacity,
        onBufferOverflow = BufferOverflow.DROP_OLDEST,
    )

    /** Every line logged so far (up to the capacity) and every later one. */
    val records: SharedFlow<LogRecord> = flow.asSharedFlow()

    override fun log(record: LogRecord) {
        flow.tryEmit(record)
    }
}
