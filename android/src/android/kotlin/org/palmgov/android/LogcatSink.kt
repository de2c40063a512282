package org.palmgov.android

import android.util.Log
import org.palmgov.LogLevel
import org.palmgov.LogRecord
import org.palmgov.LogSink

/** The [LogSink] hook on Logcat. The core's lines carry no personal data. */
class LogcatSink(private val tag: String = "palmgov") : LogSink {
    override fun log(record: LogRecord) {
        val line = "${record.target}: ${record.message}"
        when (record.level) {
            LogLevel.ERROR -> Log.e(tag, line)
            LogLevel.WARN -> Log.w(tag, line)
            LogLevel.INFO -> Log.i(tag, line)
            LogLevel.DEBUG -> Log.d(tag, line)
            LogLevel.TRACE -> Log.v(tag, line)
        }
    }
}
