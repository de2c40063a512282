package org.palmgov

/**
 * The region's service catalog (办事指南), on the phone: finding a service
 * by its name, pinyin, initials (`sfz`) or an everyday word (低保), its
 * guide (materials, time limit, fee, where to apply), the life events
 * (一件事一次办), and what a service still needs from this person.
 *
 * A catalog is public, so everything here but [needs] runs without the
 * app lock and offline once a catalog is on the phone; before any, the
 * reading calls throw [PalmGovException.CatalogMissing]. Every sync brings
 * the catalog up to the one the region profile pins ([update] does it on
 * its own); a catalog that fails its check throws
 * [PalmGovException.CatalogRefused] (its `reason` a stable code such as
 * `catalog.chunk_hash`) and the last good one stays in use.
 */
class ServicesClient internal constructor(private val handle: ServicesHandle) {
    /**
     * Brings the catalog up to the one the region profile pins, fetching
     * only the chunks the phone lacks. Needs no app lock and shows counts
     * only, so a WorkManager job may run it (a sync already does).
     */
    suspend fun update(): CatalogUpdate = cancellable { handle.update(it) }

    /**
     * Takes the catalog bundled with the app (the region build's
     * `catalog/manifest.json` and the files of `catalog/chunks/`, in any
     * order), checked as a fetched one is (against the profile's pin;
     * unpinned, never older than the one in force): for a first start
     * without signal.
     */
    suspend fun installBundled(manifest: ByteArray, chunks: List<ByteArray>): CatalogUpdate =
        handle.installBundled(manifest, chunks)

    /** The catalog on the phone (version, counts, whether the profile pins a newer one), or null before any. */
    suspend fun status(): CatalogStatus? = handle.status()

    /**
     * Services matching [query], best first, at most [limit] (the core
     * caps it at 200): a name in any language the region publishes
     * (Traditional characters too), pinyin, initials, everyday words and
     * keywords. [ServiceHit.matched] says why; [highlightRanges] gives
     * the runs of the name to emphasise. Offline, as the person types.
     */
    suspend fun search(query: String, language: String = defaultLanguage(), limit: UInt = 20u): List<ServiceHit> =
        handle.search(query, language, limit)

    /** A service's guide, by its [ServiceHit.code]. Throws [PalmGovException.NotFound] for a code the catalog lacks. */
    suspend fun show(code: String, language: String = defaultLanguage()): ServiceGuide = handle.show(code, language)

    /** The life events (一件事一次办) and their services, in order. */
    suspend fun lifeEvents(language: String = defaultLanguage()): List<LifeEventInfo> = handle.lifeEvents(language)

    /**
     * "What do I still need?": each of the service's materials marked as
     * in the wallet, answered by the service's form, to photograph or to
     * bring. For the signed-in person's own application leave
     * [shownOnVisit] null: their wallet counts. On a household visit pass
     * the [PresentationCheck]s of the codes the resident showed (from
     * [WalletClient.checkPresentation]): only those count, never the
     * worker's own wallet. Behind the app lock: it reads the wallet.
     */
    suspend fun needs(
        code: String,
        language: String = defaultLanguage(),
        shownOnVisit: List<PresentationCheck>? = null,
    ): ServiceNeeds = handle.needs(code, language, shownOnVisit)
}

/**
 * The runs of [ServiceHit.name] that matched, as `String` index ranges
 * (UTF-16 units) for a `SpannableString`. The core counts Unicode scalar
 * values, which is the same outside the astral planes; a name with a
 * character beyond them (rare CJK extensions in place names) is converted
 * here, so a highlight never splits a surrogate pair.
 */
fun ServiceHit.highlightRanges(): List<IntRange> = highlights.map { span ->
    val start = name.offsetByCodePoints(0, span.start.toInt())
    val end = name.offsetByCodePoints(start, span.length.toInt())
    start until end
}
