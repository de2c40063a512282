package org.palmgov

/**
 * The e-licence wallet (电子证照) of the signed-in person: licences fetched
 * bound to this phone, kept sealed, and checked offline. Reading, opening
 * and checking a licence and the device list are behind the app lock;
 * [refresh] and [refreshStatus] show only counts, so a WorkManager job may
 * run them. The core needs a [WalletConfig] (`PalmGovClient.open(wallet =)`),
 * else these calls throw [PalmGovException.InvalidInput].
 */
class WalletClient internal constructor(private val handle: WalletHandle) {
    /** The licences as last fetched, named in [language]. Offline; opens no credential. */
    suspend fun licences(language: String = defaultLanguage()): List<LicenceSummary> = handle.licences(language)

    /** One licence with every claim its issuer signed. Offline. */
    suspend fun licence(id: String, language: String = defaultLanguage()): LicenceDetail = handle.licence(id, language)

    /**
     * Checks one licence offline (signature, validity, the status list last
     * fetched) and keeps the verdict. A missing or stale status list gives
     * [LicenceVerdict.Undetermined], never a silent [LicenceVerdict.Valid].
     */
    suspend fun verifyLicence(id: String): LicenceVerdict = handle.verifyLicence(id)

    /** Fetches the person's licences again, the trust list and the status lists; counts only. */
    suspend fun refresh(): WalletRefresh = cancellable { handle.refresh(it) }

    /** Fetches the trust list and the status lists only (public documents); how many status lists. */
    suspend fun refreshStatus(): UInt = cancellable { handle.refreshStatus(it) }

    /** The trust list in force (version, expiry, stale), or null before any. Offline. */
    suspend fun trustList(): TrustListStatus? = handle.trustList()

    /** The phones the person's licences are bound to, this one marked. */
    suspend fun devices(): List<WalletDevice> = cancellable { handle.devices(it) }

    /**
     * Reports another phone lost, by its [WalletDevice.keyId]: its licences
     * stop verifying once verifiers refresh their status lists.
     */
    suspend fun revokeDevice(keyId: String) = cancellable { handle.revokeDevice(keyId, it) }

    /** The licence types the core knows, with their claims, named in [language]. Offline, no lock. */
    fun licenceTypes(language: String = defaultLanguage()): List<LicenceTypeInfo> = org.palmgov.licenceTypes(language)
}
