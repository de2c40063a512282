package org.palmgov

/** The grid worker's household roster (网格户册), cached for offline visits. */
class RosterClient internal constructor(private val handle: RosterHandle) {
    /** The roster as last cached; works offline. */
    suspend fun roster(): List<Household> = handle.roster()

    /** Fetches the roster the township assigned; every sync does this too. */
    suspend fun refreshRoster(): List<Household> = cancellable { handle.refreshRoster(it) }

    /** [refreshRoster] for a WorkManager job: no app lock, only the count. */
    suspend fun refreshInBackground(): UInt = cancellable { handle.refreshInBackground(it) }

    /**
     * Adds a household met on the way, stored durably at once and sent with
     * the next sync. Throws [PalmGovException.InvalidInput] naming the field.
     */
    suspend fun addHousehold(household: NewHousehold): Household = handle.addHousehold(household)
}
