package org.palmgov

/**
 * The region: its backend's health, and the signed region profile that
 * decides where the backend is, whom to trust there, which provider signs
 * people in and what the region offers. A region build opens the core with
 * a [RegionTrust] (its pinned root keys and bundled signed profile); a core
 * opened without one runs on the shell's settings, and may cache the
 * backend's unsigned configuration ([refreshConfig]). Nothing here is
 * personal, so nothing is behind the app lock.
 */
class RegionClient internal constructor(private val handle: RegionHandle) {
    suspend fun serverHealth(): ServerHealth = cancellable { handle.serverHealth(it) }

    suspend fun refreshConfig(): RegionConfig = cancellable { handle.refreshConfig(it) }

    suspend fun cachedConfig(): RegionConfig? = handle.cachedConfig()

    /**
     * The signed region profile in force, its names in [language]; null for
     * a core opened without [RegionTrust]. Offline: the profile was
     * verified when it arrived and its stored hash at open. Past its expiry
     * it stays in force with [RegionProfileStatus.stale] set (refresh when
     * the network returns); with [RegionProfileStatus.updateRequired] the
     * app says an update is needed, keeps all local work, and a sync throws
     * [PalmGovException.AppUpdateRequired].
     */
    suspend fun profileStatus(language: String = defaultLanguage()): RegionProfileStatus? =
        handle.profileStatus(language)

    /**
     * Fetches the region's signed profile from its backend and, when a newer
     * one verifies (enough distinct root keys, not a rollback, this build's
     * region and app id), applies it to this open core: a new backend, pins
     * or provider take effect once a sync in flight has finished, without
     * reopening. [RegionProfileRefresh.signInRequired] says the provider
     * changed: sign in there, and the new account takes over the old one's
     * drafts and queue when the profile names the old provider as taken
     * over.
     *
     * A refused profile throws [PalmGovException.RegionProfileRefused], whose
     * `reason` is a stable code such as `profile.rollback`,
     * `profile.threshold_not_met` or `profile.other_region`; the profile in
     * force stays. Offline it throws [PalmGovException.Offline], as any
     * network call does.
     */
    suspend fun refreshProfile(language: String = defaultLanguage()): RegionProfileRefresh =
        cancellable { handle.refreshProfile(language, it) }
}
