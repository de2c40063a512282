package org.palmgov

/** The region's backend: health, and the configuration cached for offline starts. */
class RegionClient internal constructor(private val handle: RegionHandle) {
    suspend fun serverHealth(): ServerHealth = cancellable { handle.serverHealth(it) }

    suspend fun refreshConfig(): RegionConfig = cancellable { handle.refreshConfig(it) }

    suspend fun cachedConfig(): RegionConfig? = handle.cachedConfig()
}
